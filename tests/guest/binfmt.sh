#!/bin/bash
# binfmt.sh — xlate as the binfmt_misc interpreter, in each form the kernel
# hands it a program: plain (F), AT_EXECFD (O, and C), and argv[0]
# preserved (P). Runs in a private user and mount namespace with a private
# binfmt_misc instance (Linux >= 6.7), so nothing outside is affected. The
# registered copy of xlate carries EI_ABIVERSION = 1 so that it does not
# match its own registration (it is an x86-64 ELF too).
set -u
top_builddir=${top_builddir:-.}
xlate=$(cd "$top_builddir" && pwd)/xlate
[ -x "$xlate" ] || { echo "FAIL: no $xlate"; exit 1; }
[ "$(uname -m)" = x86_64 ] || { echo "SKIP: needs an x86-64 host"; exit 77; }
if ! unshare -Urm sh -c 'mount -t binfmt_misc none /proc/sys/fs/binfmt_misc' 2>/dev/null; then
	echo "SKIP: no private binfmt_misc (needs user namespaces and Linux >= 6.7)"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/xlate-binfmt.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$xlate" "$work/xlate"
printf '\001' | dd of="$work/xlate" bs=1 seek=8 conv=notrunc status=none

# In the namespace: register with FLAGS, then run the checks; prints
# one line per check.
cat >"$work/inside.sh" <<'END'
flags=$1 work=$2
mount -t binfmt_misc none /proc/sys/fs/binfmt_misc || exit 3
magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00'
mask='\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
echo ":xlate:M::$magic:$mask:$work/xlate:$flags" >/proc/sys/fs/binfmt_misc/register || exit 4
# Only a translated process sees our CPU's brand string.
/usr/bin/grep -m1 -c 'xlatefs x86-64 translator' /proc/cpuinfo
# argv[0] as the caller set it (P), else the program's path.
(exec -a echo /bin/busybox translated) 2>&1 | /usr/bin/head -n1
# /proc/self/exe is the program, not the interpreter.
/usr/bin/readlink /proc/self/exe
END
rc=0
check() {
	local flags=$1 want_argv0=$2
	local out
	out=$(unshare -Urm bash "$work/inside.sh" "$flags" "$work" 2>&1)
	local expect
	expect=$(printf '1\n%s\n/usr/bin/readlink' "$want_argv0")
	if [ "$out" = "$expect" ]; then
		echo "ok    binfmt flags $flags"
	else
		echo "FAIL  binfmt flags $flags:"
		echo "$out" | sed 's/^/      /'
		rc=1
	fi
}
# Without P the kernel passes the path as argv[0]: busybox then takes
# "translated" for the applet name, as it does natively.
busybox_usage=$(/bin/busybox translated 2>&1 | head -n1)
check F "$busybox_usage"
check OF "$busybox_usage"
check CF "$busybox_usage"
check PF translated
check POCF translated

# AT_SECURE: with C the kernel computes credentials from the program, so
# a set-user-ID program run by another user is a secure exec and the
# translator must say so (and ignore XLATE_DEBUG); without C the
# interpreter's credentials apply and it is not. Needs two users in the
# namespace: root writes the id maps of an unshared child itself.
id=$(cd "$top_builddir" && pwd)/tests/guest/identity
cp "$id" "$work/setuid-id" && chmod 4755 "$work/setuid-id" && chmod 755 "$work"
cat >"$work/secure.sh" <<'END'
flags=$1 work=$2
mount -t binfmt_misc none /proc/sys/fs/binfmt_misc || exit 3
magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00'
mask='\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
echo ":xlate:M::$magic:$mask:$work/xlate:$flags" >/proc/sys/fs/binfmt_misc/register || exit 4
# setpriv is translated too; only the set-user-ID program's lines count.
XLATE_DEBUG=1 /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups "$work/setuid-id" 2>&1 |
	/usr/bin/sed -nE -e 's/^xlate\[[0-9]+\]: .*setuid-id: entry .*/debug on/p' -e '/^(pagesz|ids )/p'
END
mkfifo "$work/go"
check_secure() {
	local flags=$1 expect=$2
	unshare -Um bash -c "read _ <'$work/go'; exec bash '$work/secure.sh' $flags '$work'" \
		>"$work/secure.out" 2>&1 &
	local pid=$!
	# Until unshare has made the namespace, the maps belong to the parent's.
	while [ "$(readlink /proc/$pid/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do
		sleep 0.05
	done
	echo '0 0 65536' >/proc/$pid/uid_map && echo '0 0 65536' >/proc/$pid/gid_map
	echo go >"$work/go"
	wait $pid
	if [ "$(cat "$work/secure.out")" = "$expect" ]; then
		echo "ok    binfmt flags $flags: set-user-ID program, AT_SECURE as natively"
	else
		echo "FAIL  binfmt flags $flags: set-user-ID program:"
		sed 's/^/      /' "$work/secure.out"
		rc=1
	fi
}
checks=5
if [ "$(id -u)" = 0 ] && [ "$(awk '{ print $3 }' /proc/self/uid_map)" -ge 65536 ]; then
	check_secure CF "$(printf 'pagesz 4096 clktck 100 flags 0 secure 1 base none\nids 1')"
	check_secure F "$(printf 'debug on\npagesz 4096 clktck 100 flags 0 secure 0 base none\nids 1')"
	checks=7
else
	echo "SKIP  AT_SECURE (needs root to map a second user into the namespace)"
fi
[ $rc = 0 ] && echo "binfmt: $checks passed, 0 failed" || echo "binfmt: some failed"
exit $rc
