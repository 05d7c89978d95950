#!/bin/bash
# runtime.sh — properties of the translator that have no native run to
# compare with: it is a static executable that needs neither a host libc
# nor /proc (it runs inside x86-64 containers), it reports an unknown
# system call once under XLATE_DEBUG and is silent otherwise, and it
# refuses a host whose pages are not 4 KiB (qemu-aarch64 -p plays one).
set -u
top_builddir=$(cd "${top_builddir:-.}" && pwd)
xlate=$top_builddir/xlate a64=$top_builddir/xlate-aarch64
id=$top_builddir/tests/guest/identity
[ -x "$xlate" ] || { echo "FAIL: no $xlate"; exit 1; }
[ "$(uname -m)" = x86_64 ] || { echo "SKIP: needs an x86-64 host"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/xlate-runtime.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# check NAME COMMAND...: the command's status says whether NAME holds.
check() {
	local name=$1
	shift
	if "$@" >"$work/out" 2>&1; then
		echo "ok    $name"
		passed=$((passed + 1))
	else
		echo "FAIL  $name"
		sed 's/^/      /' "$work/out" | head -20
		failed=$((failed + 1))
	fi
}

no_interp() {
	LC_ALL=C readelf -lW "$1" | grep -q 'Requesting program interpreter' && {
		echo "$1 has a PT_INTERP"
		return 1
	}
	return 0
}
# The sanitizer runtimes cannot be linked static, so that build's xlate
# is dynamic by design (translator/runtime/local.mk); xlate-aarch64 is
# uninstrumented and static in every build.
static=yes
case " $("$top_builddir/config.status" --config 2>/dev/null) " in
*"'--enable-sanitizers'"* | *" --enable-sanitizers "*) static= ;;
esac
if [ -n "$static" ]; then
	check "xlate is static (no PT_INTERP)" no_interp "$xlate"
else
	echo "SKIP  xlate is static: the sanitizer build links it dynamically"
fi
[ -x "$a64" ] && check "xlate-aarch64 is static (no PT_INTERP)" no_interp "$a64"

# A root holding nothing but the translator and static guests: no libc,
# no /proc, no /sys. The guest still sees its /proc/self files and CPU,
# and an exec comes back to the translator without /proc/self/exe.
bare() {
	local root=$work/root
	mkdir -p "$root"
	cp "$xlate" "$id" /bin/busybox "$root/" || return 1
	unshare -Ur chroot "$root" /xlate /identity one two >"$work/bare" 2>&1
	local rc=$?
	cat "$work/bare"
	[ $rc = 0 ] || return 1
	for want in "machine x86_64" "exe is the program 1" "cmdline is argv 1" \
		"auxv file is the auxv 1" "maps: stack 1 text named 1" \
		"hwcap matches cpuid 1 hwcap2 matches cpuid 1"; do
		grep -qx "$want" "$work/bare" || { echo "missing: $want"; return 1; }
	done
	grep -q "^cpuinfo has flags 1 agreeing with cpuid 1" "$work/bare" || return 1
	[ "$(unshare -Ur chroot "$root" /xlate /busybox sh -c '/busybox echo exec ok')" = "exec ok" ]
}
if [ -z "$static" ]; then
	echo "SKIP  runs with no libc, /proc or /sys: the sanitizer build's xlate needs its libc"
elif unshare -Ur true 2>/dev/null; then
	check "runs with no libc, /proc or /sys" bare
else
	echo "SKIP  runs with no libc, /proc or /sys (no user namespaces)"
fi

# Reported once however often it is called; nothing said without
# XLATE_DEBUG.
enosys_once() {
	XLATE_DEBUG=1 "$xlate" "$id" >/dev/null 2>"$work/debug" || return 1
	local n
	n=$(grep -c 'syscall 1000 .*ENOSYS' "$work/debug")
	[ "$n" = 1 ] || { echo "syscall 1000 reported $n times"; cat "$work/debug"; return 1; }
	"$xlate" "$id" >/dev/null 2>"$work/quiet" || return 1
	[ ! -s "$work/quiet" ] || { cat "$work/quiet"; return 1; }
}
check "unknown syscall: ENOSYS, reported once under XLATE_DEBUG" enosys_once

# XLATE_SUMMARY: each process counts its own work. A shell loops, then
# forks a subshell that does nothing; the subshell's count must not hold
# its parent's loop (a fork child once inherited the parent's counts).
own_counts() {
	rm -f "$work/sum"
	XLATE_IMAGES=0 XLATE_SUMMARY="$work/sum" "$xlate" /bin/busybox sh -c \
		'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; (exit 0); true' || return 1
	cat "$work/sum"
	# Interpreted instructions ($11) of the two processes: the child's is
	# the smaller, and under a tenth of the parent's.
	awk '/summary:/ { n++; v = $11 + 0; if (n == 1 || v < lo) lo = v; if (v > hi) hi = v }
	     END { exit !(n == 2 && lo * 10 < hi) }' "$work/sum"
}
check "summary: a fork child counts its own work" own_counts

pages() {
	"$QEMU_AARCH64" -p 4096 "$a64" /bin/true || { echo "4 KiB pages: refused"; return 1; }
	"$QEMU_AARCH64" -p 16384 "$a64" /bin/true 2>"$work/refusal"
	local rc=$?
	cat "$work/refusal"
	[ $rc = 126 ] && grep -q '16384 bytes.*4096' "$work/refusal"
}
if [ -n "${QEMU_AARCH64:-}" ] && [ -x "$a64" ]; then
	check "16 KiB pages refused clearly (aarch64)" pages
else
	echo "SKIP  16 KiB pages refused (needs QEMU_AARCH64 and xlate-aarch64)"
fi

echo "runtime: $passed passed, $failed failed"
[ $failed = 0 ]
