# guest.sh — what the VM tests run in their guests, and the checks they
# share (sourced after lib.sh; defines, runs nothing).
#
# Guest layout: x86-64 test programs in /opt/xlvm/bin (never stamped: the
# binfmt entry catches them), their inputs in /opt/xlvm/data; the share at
# /media/rosetta.

# The x86-64 programs the guests run: Debian's own (dynamic: ld.so, libc and
# libgmp are modules too) and probe (static).
vm_debian_programs="sort sha256sum od expr wc tr"

# The cases: shell snippets run in /opt/xlvm/data, in the guest and natively
# on the host, with $B naming the directory of the x86-64 programs (a
# guest's busybox sh prefers its own applets to PATH); stdout and exit
# status must be equal. Pipes run busybox (native) in the guest.
vm_cases=(
	'$B/sort -t, -k2,2n -k1,1r table.csv'
	'$B/sha256sum table.csv words.txt'
	'$B/od -A x -t x1z -N 256 words.txt'
	'$B/expr 123456789123456789 "*" 987654321987654321'
	'$B/wc table.csv words.txt'
	'$B/tr a-z A-Z <words.txt'
	'$B/probe 200000 | grep primes'
	'$B/expr 1 = 2'
)

# vm_stage DIR PROBE: the inputs under DIR/data, the programs in DIR/bin
# (probe copied, Debian's linked) for native runs; prints the initramfs
# options that put the same in the guest.
vm_stage() {
	local dir=$1 probe=$2 p
	mkdir -p "$dir/data" "$dir/bin"
	seq 1 3000 | awk '{ printf "%s,%d\n", substr("abcdefghij", $1 % 10 + 1, 3), ($1 * 7919) % 1009 }' \
		>"$dir/data/table.csv"
	seq 1 800 | awk '{ printf "w%x%s\n", $1 * 2654435761 % 65536, ($1 % 7 ? "" : " seven") }' \
		>"$dir/data/words.txt"
	cp "$probe" "$dir/bin/probe"
	echo "-x $probe=/opt/xlvm/bin/probe"
	for p in $vm_debian_programs; do
		ln -sf "$(command -v "$p")" "$dir/bin/$p"
		echo "-x $(command -v "$p")=/opt/xlvm/bin/$p"
	done
	echo "-f $dir/data/table.csv=/opt/xlvm/data/table.csv"
	echo "-f $dir/data/words.txt=/opt/xlvm/data/words.txt"
}

# vm_check_cases GUEST DIR LABEL: every case in GUEST against its native run
# on the host (DIR as staged by vm_stage).
vm_check_cases() {
	local guest=$1 dir=$2 label=$3 c i=0 rc want
	for c in "${vm_cases[@]}"; do
		i=$((i + 1))
		(cd "$dir/data" && B=$dir/bin && eval "$c") >"$xlvm_work/want" 2>/dev/null
		want=$?
		vm_sh "$guest" "cd /opt/xlvm/data && B=/opt/xlvm/bin && $c"
		rc=$?
		if [ "$rc" = "$want" ] && cmp -s "$xlvm_work/want" "$xlvm_work/$guest.out"; then
			ok "$label: case $i ($c) as natively"
		else
			not_ok "$label: case $i ($c): exit $rc (native $want)"
			diff "$xlvm_work/want" "$xlvm_work/$guest.out" | head -n 10
			head -n 10 "$xlvm_work/$guest.err"
		fi
	done
}

# vm_check_via_xlate GUEST LABEL: x86-64 programs in GUEST go through xlate,
# not natively (an x86-64 guest runs them natively when binfmt is not in
# the way): the share's entry is enabled, and xlate answers XLATE_DEBUG.
vm_check_via_xlate() {
	vm_sh "$1" 'grep -x enabled /proc/sys/fs/binfmt_misc/rosetta &&
		XLATE_DEBUG=1 /opt/xlvm/bin/expr 6'
	check "$2: x86-64 programs run through xlate (XLATE_DEBUG speaks)" \
		grep -q '^xlate\[[0-9]*\]: /opt/xlvm/bin/expr: entry ' "$xlvm_work/$1.err"
}

# Only the lazy path submits: every other script in the guests runs with
# XLATE_SUBMIT=0. A Debian program run through xlate would send ld.so,
# libc and its own module with their code maps, and compiling those takes
# minutes each, on the CPUs the guests need.
xlvm_guest_env='export XLATE_SUBMIT=0'

# The lazy path's module, tests/vm/lazy (lazy.c): mkinitramfs.sh -x puts it
# at /opt/xlvm/bin/lazy. vm_lazy_want OUT: its native output for
# $vm_lazy_args.
vm_lazy_args=20000
vm_lazy_want() {
	"$top_builddir/tests/vm/lazy" $vm_lazy_args >"$1"
}

# vm_run_lazy GUEST: runs lazy in GUEST through the binfmt entry, with
# submission on (xlate sends the code map and, after a miss, the module to
# requests/ at exit) and xlate's per-module summary on stderr.
vm_run_lazy() {
	vm_sh "$1" "XLATE_SUBMIT=1 XLATE_SUMMARY=1 /opt/xlvm/bin/lazy $vm_lazy_args"
}
# vm_lazy_ran GUEST WANT HOW: the last vm_run_lazy in GUEST printed WANT (a
# file) and xlate's summary says HOW the module ran (a regex: "no image, 0
# instructions translated, ..." after a miss, "image, ..." after a hit).
vm_lazy_ran() {
	cmp -s "$2" "$xlvm_work/$1.out" &&
		grep -q -E -x "xlate: +/opt/xlvm/bin/lazy: $3" "$xlvm_work/$1.err"
}
vm_lazy_missed='no image, 0 instructions translated, [1-9][0-9]* blocks interpreted'
vm_lazy_hit='image, [1-9][0-9]* instructions translated, 0 blocks interpreted'

# vm_register GUEST FLAGS: (re)registers the share's binfmt line in GUEST
# with FLAGS in place of its own (empty: as the share serves it).
vm_register() {
	local flags=${2:-}
	vm_sh "$1" "
		[ -e /proc/sys/fs/binfmt_misc/rosetta ] && echo -1 >/proc/sys/fs/binfmt_misc/rosetta
		line=\$(cat /media/rosetta/binfmt) || exit 1
		${flags:+line=\$(echo \"\$line\" | sed 's/:[A-Z]*\$/:$flags/')}
		printf '%s\\n' \"\$line\" >/proc/sys/fs/binfmt_misc/register || exit 1
		cat /proc/sys/fs/binfmt_misc/rosetta"
}

# vm_check_binfmt GUEST LABEL [real]: the binfmt behaviours users of Apple's
# share trip over, each as the kernel really does it
# (contrib/vm/TROUBLESHOOTING.md): the F flag registration needs the share
# mounted first; with F a chroot without the share still runs x86-64
# programs, without F it cannot; argv[0] survives only with P. With "real"
# (the share serves xlate, not the test double) also what the translator
# shows the program: /proc/self/exe names the program, in a chroot too.
# Leaves the share's own line registered.
vm_check_binfmt() {
	local g=$1 label=$2 real=${3:-} line
	# Registering with F before the share is there: the kernel opens the
	# interpreter at once and refuses. (A registered F entry holds the
	# share busy: unregister first.)
	vm_sh "$g" 'cat /media/rosetta/binfmt'
	line=$(cat "$xlvm_work/$g.out")
	vm_sh "$g" "[ ! -e /proc/sys/fs/binfmt_misc/rosetta ] || echo -1 >/proc/sys/fs/binfmt_misc/rosetta
		umount /media/rosetta && ! printf '%s\\n' '$line' >/proc/sys/fs/binfmt_misc/register &&
		[ ! -e /proc/sys/fs/binfmt_misc/rosetta ]"
	check "$label: F registration before the share is mounted fails" [ $? = 0 ]
	vm_sh "$g" 'mount -t virtiofs rosetta /media/rosetta'
	check "$label: share mounted again" [ $? = 0 ]
	vm_register "$g"
	check "$label: registered from /media/rosetta/binfmt" \
		grep -q -x 'interpreter /media/rosetta/rosetta' "$xlvm_work/$g.out"
	check "$label: the share's line has flags CF (shown as OCF)" grep -q -x 'flags: OCF' "$xlvm_work/$g.out"

	# A container: a chroot holding the static probe and no share.
	vm_sh "$g" 'mkdir -p /tmp/ct && cp /opt/xlvm/bin/probe /tmp/ct/probe &&
		chroot /tmp/ct /probe 1000 one'
	check "$label: F: a chroot without the share runs x86-64 programs" \
		grep -q -x 'primes<1000: 168 76127' "$xlvm_work/$g.out"
	[ -z "$real" ] || check "$label: /proc/self/exe in the chroot is the program" \
		grep -q -x 'exe=/probe' "$xlvm_work/$g.out"
	vm_register "$g" C
	vm_sh "$g" 'chroot /tmp/ct /probe 1000'
	check "$label: without F the chroot cannot find the interpreter" \
		grep -q 'No such file' "$xlvm_work/$g.err"

	# argv[0]: without P the program sees its path, with P what it was given.
	vm_register "$g" CF
	vm_sh "$g" 'exec -a custom-name /opt/xlvm/bin/probe'
	check "$label: without P argv[0] is the path" grep -q -x 'argv0=/opt/xlvm/bin/probe' "$xlvm_work/$g.out"
	[ -z "$real" ] || check "$label: /proc/self/exe is the program, not the translator" \
		grep -q -x 'exe=/opt/xlvm/bin/probe' "$xlvm_work/$g.out"
	vm_register "$g" PCF
	vm_sh "$g" 'exec -a custom-name /opt/xlvm/bin/probe two args'
	check "$label: with P argv[0] is preserved" grep -q -x 'argv0=custom-name' "$xlvm_work/$g.out"
	check "$label: with P the other arguments follow" grep -q -x 'arg2=args' "$xlvm_work/$g.out"
	vm_register "$g"
}
