# common.sh — sourced by the tests/aot scripts after setting `prog` to the
# guest's name under tests/aot: B (the build directory), prog (its path),
# work (a scratch directory removed at exit), share (the share directory
# in it), key (the guest module's XXH3-128), fail MESSAGE, and the run
# helpers below. Skips where there is no x86-64 host to run the guest
# natively.
top_builddir=${top_builddir:-.}
B=$(cd "$top_builddir" && pwd)
prog=$B/tests/aot/$prog
if [ "$(uname -m)" != x86_64 ]; then
	echo "SKIP: native x86-64 execution (the oracle) needs an x86-64 host"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/aot-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() {
	echo "FAIL: $*"
	exit 1
}
key=$(xxhsum -H2 "$prog" | sed -E 's/^(XXH128_)?([0-9a-f]{32}).*/\2/')
share=$work/share

# xl ARGS...: runs ARGS (env words first, then the translator and the
# guest) with the share and a summary; leaves out (with "exit N" when the
# run failed), err, sum.
xl() {
	rm -f "$work/sum"
	env XLATE_SHARE="$share" XLATE_SUMMARY="$work/sum" "$@" >"$work/out" 2>"$work/err" ||
		echo "exit $?" >>"$work/out"
}
# frac: the percentage of guest instructions the last run executed as
# translated code, from its summary.
frac() { sed -nE 's/.*\(([0-9.]+)% translated\).*/\1/p' "$work/sum"; }
# total: the guest instructions the last run executed, translated and
# interpreted, from its summary.
total() { sed -nE 's/.*instructions ([0-9]+) translated, ([0-9]+) interpreted.*/\1 \2/p' "$work/sum" | awk '{ print $1 + $2 }'; }
# same NAME WHAT: the last run printed what the native run saved as native.NAME.
same() {
	diff -u "$work/native.$1" "$work/out" >"$work/diff" ||
		fail "$2: output differs from native:$(echo; cat "$work/diff")"
}
# at_least PERCENT WHAT: the last run executed at least PERCENT translated.
at_least() {
	awk -v f="$(frac)" -v m="$1" 'BEGIN { exit !(f >= m) }' || fail "$2: only $(frac)% translated"
}
