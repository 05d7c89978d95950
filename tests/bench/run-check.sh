#!/bin/sh
# run-check.sh — make check: run.sh end to end on a tiny xz workload, with
# stand-in translators so that only the harness is under test: one that
# runs the program unchanged (its cells must hold numbers), one that
# corrupts the output (its cells must say FAIL and run.sh must fail), and
# a warm mode that must be skipped because the stand-in loads no images.
set -eu
if [ "$(uname -m)" != x86_64 ]; then
	echo "run-check: SKIP: the benchmark needs an x86-64 host (native runs are its oracle)"
	exit 77
fi
for tool in bash xz; do
	if ! command -v $tool >/dev/null; then
		echo "run-check: SKIP: no $tool"
		exit 77
	fi
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

printf '#!/bin/sh\nexec "$@"\n' >"$dir/same"
printf '#!/bin/sh\n"$@" && printf x\n' >"$dir/corrupt"
chmod +x "$dir/same" "$dir/corrupt"

status=0
BENCH_OUT=$dir/out BENCH_RUNS=2 BENCH_MODES="native qemu interp warm" \
	BENCH_WORKLOADS=xzsmall BENCH_XZ_SMALL_KB=16 \
	QEMU_X86_64=$dir/corrupt XLATE=$dir/same XLATEC=$top_builddir/xlatec \
	XLATEFS_CACHE=$top_builddir/xlatefs-cache \
	bash "$top_srcdir/tests/bench/run.sh" >"$dir/stdout" 2>"$dir/stderr" || status=$?
cat "$dir/stdout" "$dir/stderr"

fail() {
	echo "run-check: $*" >&2
	exit 1
}
# bash reports its own errors (unbound variables, bad syntax) as "run.sh: line N:".
! grep -q 'run.sh: line [0-9]' "$dir/stderr" || fail "run.sh has a shell error (above)"
[ $status = 1 ] || fail "run.sh exited $status, not 1, with a corrupting mode"
row=$(grep '^xz9-16K ' "$dir/stdout" | tr -s ' ') || fail "no xz9-16K row in the table"
set -- $row
# label unit native qemu interp warm | ratios...
[ "$4" = FAIL ] || fail "the corrupted qemu cell says '$4', not FAIL"
[ "$6" = - ] || fail "the warm cell says '$6', not - (skipped)"
case $3 in *[!0-9.]* | '') fail "the native cell is '$3', not a time" ;; esac
case $5 in *[!0-9.]* | '') fail "the interp cell is '$5', not a time" ;; esac
grep -q 'mode warm skipped: xlate ran' "$dir/stderr" || fail "no message saying why warm was skipped"
[ "$(grep -c '	ok	' "$dir/out/results.tsv")" = 4 ] || fail "not 2 good runs each of native and interp"
[ -s "$dir/out/ratios.png" ] || ! command -v gnuplot >/dev/null || fail "gnuplot drew no ratios.png"
echo "run-check: harness behaves"
