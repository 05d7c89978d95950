# lib.sh — shell functions for the VM tests (sourced; defines, runs nothing).
#
# Test accounting: ok/not_ok print one line each; vm_finish prints the
# "N passed, N failed" closing line and sets the exit status.
# Guests: vm_virtiofsd exports a directory, vm_boot starts a guest and waits
# for its init to say it is ready, vm_sh runs a shell script in it, vm_halt
# powers it off; vm_cleanup (run from an EXIT trap) kills whatever is left.

XLVM_BOOT_TIMEOUT=${XLVM_BOOT_TIMEOUT:-120} # seconds: failure guards only
XLVM_CMD_TIMEOUT=${XLVM_CMD_TIMEOUT:-300}
xlvm_pass=0 xlvm_fail=0
declare -A xlvm_qemu=() xlvm_boot_s=() xlvm_ready=()
xlvm_pids=()

ok() {
	xlvm_pass=$((xlvm_pass + 1))
	echo "ok: $*"
}
not_ok() {
	xlvm_fail=$((xlvm_fail + 1))
	echo "FAIL: $*"
}
# check NAME CMD...: ok or not_ok by CMD's status, which it returns.
check() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
		return 1
	fi
}
vm_finish() {
	echo "$xlvm_pass passed, $xlvm_fail failed"
	[ "$xlvm_fail" = 0 ] && [ "$xlvm_pass" -gt 0 ]
}
die() {
	echo "FAIL: $*"
	xlvm_fail=$((xlvm_fail + 1))
	vm_finish
	exit 1
}

# vm_require_root: the VM tests run as root (virtiofsd, FUSE mounts that
# virtiofsd may use); they skip (77) otherwise.
vm_require_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: the VM tests run as root (virtiofsd, allow_other FUSE mounts)"
		exit 77
	fi
}

# vm_accel: how the x86-64 guests run, "kvm" or "tcg" (on stderr, a line
# saying why when it is not KVM). XLVM_ACCEL chooses; by default KVM when qemu
# can use /dev/kvm, else TCG (correct, several times slower). Also TCG when
# the host's KVM is PVM (module kvm_pvm without kvm_intel/kvm_amd: a
# nested, software KVM that runs only PVM-enabled guest kernels, not
# Debian's).
vm_accel() {
	if [ -n "${XLVM_ACCEL:-}" ]; then
		echo "# x86-64 guests: $XLVM_ACCEL (XLVM_ACCEL)" >&2
		echo "$XLVM_ACCEL"
	elif ! echo quit | qemu-system-x86_64 -M none -accel kvm -nodefaults -display none \
		-monitor stdio >/dev/null 2>&1; then
		echo "# x86-64 guests run under TCG, slower: qemu cannot use /dev/kvm here" \
			"($( [ -e /dev/kvm ] && echo "it exists but KVM does not start" || echo "it is absent"))" >&2
		echo tcg
	elif [ -d /sys/module/kvm_pvm ] && [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ]; then
		echo "# x86-64 guests run under TCG: this host's KVM is PVM (kvm_pvm), which does not boot" \
			"Debian's kernel (XLVM_ACCEL=kvm forces it)" >&2
		echo tcg
	else
		echo kvm
	fi
}

# vm_need_tool PROGRAM PACKAGE: a missing test dependency is an error.
vm_need_tool() {
	command -v "$1" >/dev/null || [ -x "$1" ] ||
		die "$1 not found: apt-get install $2 (contrib/install-deps.sh)"
}

# stamp FILE: EI_ABIVERSION = 1. The kernel ignores the byte; the binfmt
# mask does not, so a stamped x86-64 program runs natively under an x86-64
# binfmt entry that catches every unstamped one (DESIGN.md, Testing).
stamp() {
	[ "$(head -c4 "$1")" = $'\x7fELF' ] || {
		echo "stamp: $1 is not an ELF file" >&2
		return 1
	}
	printf '\001' | dd of="$1" bs=1 seek=8 count=1 conv=notrunc status=none
}

# vm_workdir: a scratch directory for one test run, removed by vm_cleanup
# unless XLVM_KEEP=1.
vm_workdir() {
	xlvm_work=$(mktemp -d "${TMPDIR:-/tmp}/xlvm-XXXXXX")
	trap vm_cleanup EXIT
	trap 'exit 130' INT TERM
}

# wait_line FILE REGEX SECONDS [PID]: waits (tail -f, no polling) for a line
# of FILE matching REGEX; fails after SECONDS or when PID has exited.
wait_line() {
	local file=$1 re=$2 secs=$3 pid=${4:-}
	timeout "$secs" tail -n +1 -F ${pid:+--pid="$pid"} "$file" 2>/dev/null | grep -q -m1 -E -- "$re"
}

# vm_virtiofsd NAME DIR [OPTIONS]: exports DIR on $xlvm_work/NAME.sock and
# returns once virtiofsd listens. One virtiofsd serves one guest. OPTIONS
# (virtiofsd -o) default to cache=auto, right for plain directories; an
# xlatefs mount wants cache=none (contrib/vm/TROUBLESHOOTING.md: its stats
# file has no size a cache could trust, its images are replaced in place).
vm_virtiofsd() {
	local name=$1 dir=$2 opts=${3:-cache=auto}
	local log=$xlvm_work/$name.virtiofsd.log
	/usr/lib/qemu/virtiofsd --socket-path="$xlvm_work/$name.sock" \
		-o source="$dir,$opts" >"$log" 2>&1 &
	xlvm_pids+=($!)
	wait_line "$log" 'Waiting for vhost-user socket connection' 30 $! || {
		cat "$log"
		die "virtiofsd for $dir did not start"
	}
}

# vm_boot NAME ARCH KERNELDIR INITRD TAG=SOCKET...: starts a guest and waits
# for XLVM-READY. ARCH x86_64 runs under KVM, aarch64 under TCG. Each
# TAG=SOCKET becomes a virtiofs device with that tag.
vm_boot() {
	local name=$1 arch=$2 kdir=$3 initrd=$4
	shift 4
	local ctl=$xlvm_work/$name.ctl con=$xlvm_work/$name.console
	local mem=${XLVM_MEM:-1024} fs=() i=0 start=$EPOCHREALTIME line
	for spec in "$@"; do
		fs+=(-chardev "socket,id=fs$i,path=${spec#*=}"
			-device "vhost-user-fs-pci,chardev=fs$i,tag=${spec%%=*}")
		i=$((i + 1))
	done
	local machine
	case $arch in
	x86_64)
		machine=(qemu-system-x86_64 -M q35)
		[ -n "${xlvm_accel:-}" ] || xlvm_accel=$(vm_accel)
		if [ "$xlvm_accel" = kvm ]; then
			machine+=(-accel kvm -cpu host)
		else
			machine+=(-accel tcg -cpu max)
		fi
		machine+=(-append "console=ttyS0 quiet panic=-1 rdinit=/init")
		;;
	aarch64)
		# pauth-impdef: pointer authentication with a cheap hash (QARMA
		# costs TCG much for nothing a test needs).
		machine=(qemu-system-aarch64 -M virt -accel tcg -cpu max,pauth-impdef=on -smp 2
			-append "console=ttyAMA0 quiet panic=-1 rdinit=/init")
		;;
	esac
	rm -f "$ctl.in" "$ctl.out"
	mkfifo "$ctl.in" "$ctl.out"
	# Our ends of the control channel, opened read-write so that opening
	# never blocks. qemu's exit is told on the channel itself, by the
	# subshell that waits for it.
	eval "exec {xlvm_in_$name}<>\"$ctl.in\" {xlvm_out_$name}<>\"$ctl.out\""
	# vhost-user needs the guest RAM in shared memory (memfd).
	(
		"${machine[@]}" -m "$mem" -nodefaults -no-user-config -display none -no-reboot \
			-object "memory-backend-memfd,id=mem,size=${mem}M,share=on" -numa node,memdev=mem \
			-kernel "$kdir/kernel" -initrd "$initrd" \
			-serial "file:$con" -pidfile "$xlvm_work/$name.pid" \
			-device virtio-serial-pci -chardev "pipe,id=ctl,path=$ctl" \
			-device virtserialport,chardev=ctl,name=xlvm \
			"${fs[@]}" >"$xlvm_work/$name.qemu.log" 2>&1
		echo "qemu exit status $?" >>"$xlvm_work/$name.qemu.log"
		echo XLVM-EXIT 1<>"$ctl.out"
	) &
	xlvm_qemu[$name]=$!
	if ! vm_read "$name" line "$XLVM_BOOT_TIMEOUT" || [ "${line%% *}" != XLVM-READY ]; then
		vm_dump "$name"
		die "guest $name did not boot (${line:-no answer})"
	fi
	xlvm_boot_s[$name]=$(echo "$EPOCHREALTIME - $start" | bc)
	xlvm_ready[$name]=$line
	echo "# $name: booted in ${xlvm_boot_s[$name]} s (${line#XLVM-READY })"
}

# vm_read NAME VAR SECONDS: one line from the guest's control channel.
vm_read() {
	local fd="xlvm_out_$1"
	IFS= read -r -t "$3" "$2" <&"${!fd}"
}

# vm_sh NAME SCRIPT: runs SCRIPT in the guest, after the lines of
# $xlvm_guest_env (what a test sets for every script, such as exports);
# its stdout and stderr land in $xlvm_work/NAME.out and NAME.err; returns
# its exit status (255 when the guest stopped answering).
vm_sh() {
	local name=$1 in="xlvm_in_$1" line where=
	local out=$xlvm_work/$name.out err=$xlvm_work/$name.err
	printf '%s\n' "$(printf '%s\n%s' "${xlvm_guest_env:-}" "$2" | base64 -w0)" >&"${!in}"
	: >"$out.b64"
	: >"$err.b64"
	while vm_read "$name" line "$XLVM_CMD_TIMEOUT"; do
		case $line in
		XLVM-OUT) where=$out.b64 ;;
		XLVM-ERR) where=$err.b64 ;;
		XLVM-RC\ *)
			base64 -d <"$out.b64" >"$out"
			base64 -d <"$err.b64" >"$err"
			return "${line#XLVM-RC }"
			;;
		XLVM-EXIT) break ;;
		*) [ -n "$where" ] && printf '%s\n' "$line" >>"$where" ;;
		esac
	done
	vm_dump "$name"
	: >"$out"
	echo "guest $name stopped answering" >"$err"
	return 255
}

# vm_halt NAME: powers the guest off and waits for qemu to exit.
vm_halt() {
	local name=$1 in="xlvm_in_$1" line
	[ -n "${xlvm_qemu[$name]:-}" ] || return 0
	printf '%s\n' "$(printf 'sync; poweroff -f' | base64 -w0)" >&"${!in}"
	while vm_read "$name" line "$XLVM_BOOT_TIMEOUT" && [ "$line" != XLVM-EXIT ]; do :; done
	vm_kill "$name"
}

# vm_kill NAME: stops the guest's qemu (if still running) and reaps it.
vm_kill() {
	local pidfile=$xlvm_work/$1.pid
	[ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
	wait "${xlvm_qemu[$1]}" 2>/dev/null
	unset "xlvm_qemu[$1]"
}

# vm_dump NAME: the end of a guest's console and qemu's messages.
vm_dump() {
	echo "--- $1 console (last lines)"
	tail -n 40 "$xlvm_work/$1.console" 2>/dev/null
	echo "--- $1 qemu"
	tail -n 20 "$xlvm_work/$1.qemu.log" 2>/dev/null
}

# vm_xlatefs MNT OPTIONS: starts xlatefs on the host in the foreground
# (-f -o OPTIONS) and returns once it says it is mounted. vm_xlatefs_stop
# unmounts it and checks that it exited 0; vm_cleanup does the same for one
# left running.
vm_xlatefs() {
	local mnt=$1 opts=$2 line=
	mkdir -p "$mnt"
	rm -f "$xlvm_work/xlatefs.ready"
	mkfifo "$xlvm_work/xlatefs.ready"
	"$top_builddir/xlatefs" "$mnt" -f -o "$opts" -o notify_fd=3 \
		3>"$xlvm_work/xlatefs.ready" 2>>"$xlvm_work/xlatefs.log" &
	xlvm_xlatefs_pid=$! xlvm_xlatefs_mnt=$mnt
	read -r line <"$xlvm_work/xlatefs.ready"
	if [ "$line" != ready ]; then
		cat "$xlvm_work/xlatefs.log"
		die "xlatefs did not come up on $mnt"
	fi
}
vm_xlatefs_stop() {
	local rc
	[ -n "${xlvm_xlatefs_pid:-}" ] || return 0
	umount "$xlvm_xlatefs_mnt" || umount -l "$xlvm_xlatefs_mnt"
	wait "$xlvm_xlatefs_pid"
	rc=$?
	xlvm_xlatefs_pid=
	if [ "$rc" != 0 ] || grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$xlvm_work/xlatefs.log"; then
		not_ok "xlatefs exited $rc; its log:"
		tail -n 20 "$xlvm_work/xlatefs.log"
	fi
}

# json_get FILE FIELD: one value of a JSON file such as the share's stats
# ("uploads.accepted" descends into objects); empty when absent.
json_get() {
	python3 - "$1" "$2" <<'PY' 2>/dev/null
import json, sys
d = json.load(open(sys.argv[1]))
for part in sys.argv[2].split("."):
    d = d[part]
print(d)
PY
}

# vm_cleanup: kills every guest, then the helpers serving them (virtiofsd
# holds the share's mount busy in its own namespace), then stops xlatefs and
# runs the test's own cleanup (xlvm_on_exit), and removes the scratch dir.
vm_cleanup() {
	local rc=$? pid name
	for name in "${!xlvm_qemu[@]}"; do vm_kill "$name"; done
	for pid in "${xlvm_pids[@]}"; do kill "$pid" 2>/dev/null; done
	for pid in "${xlvm_pids[@]}"; do wait "$pid" 2>/dev/null; done
	vm_xlatefs_stop
	if declare -F xlvm_on_exit >/dev/null; then xlvm_on_exit; fi
	if [ "${XLVM_KEEP:-0}" = 1 ]; then
		echo "# kept $xlvm_work"
	elif [ -n "${xlvm_work:-}" ]; then
		rm -rf "$xlvm_work"
	fi
	exit "$rc"
}
