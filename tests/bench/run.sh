#!/bin/bash
# run.sh — the xlatefs benchmark (issue 7): the same x86-64 programs run
# natively, under qemu-x86_64, under xlate interpreting only and under
# xlate with warm images; prints the median of BENCH_RUNS runs per
# workload and mode, the slowdown against native and against qemu, and
# draws the ratios to a PNG. Every run's output must equal the native
# output, or its cell says FAIL. `make bench` runs it; see README.md here
# for the settings (all BENCH_* environment variables).
set -u -o pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)

note() { printf 'bench: %s\n' "$*" >&2; }
die() {
	note "$*"
	exit 1
}

# shellcheck source=tests/bench/workloads.sh
. "$BENCH_DIR/workloads.sh"
# shellcheck source=tests/bench/modes.sh
. "$BENCH_DIR/modes.sh"
# shellcheck source=tests/bench/warm.sh
. "$BENCH_DIR/warm.sh"

# Native execution is the oracle and the unit: an x86-64 host is needed.
[ "$(uname -m)" = x86_64 ] || die "the benchmark compares with native runs: it needs an x86-64 host"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	RUNS=${BENCH_RUNS:-1}
else
	RUNS=${BENCH_RUNS:-3}
fi
case $RUNS in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer, not '$RUNS'" ;; esac
MODES=${BENCH_MODES:-native qemu interp warm}
WORKLOADS=${BENCH_WORKLOADS:-$WORKLOADS_ALL}
OUT=${BENCH_OUT:-$PWD/bench-out}
WORK=$OUT/work
RUNDIR=$OUT/runs
mkdir -p "$WORK" "$RUNDIR" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$OUT/work
RUNDIR=$OUT/runs

# A caller's XLATE_* settings (a share, debugging) would change what the
# modes measure; each mode sets its own.
for var in $(env | sed -n 's/^\(XLATE_[A-Za-z0-9_]*\)=.*/\1/p'); do
	note "ignoring $var from the environment"
	unset "$var"
done

ACTIVE=()
for m in $MODES; do
	if mode_available "$m"; then
		ACTIVE+=("$m")
	fi
done
[ ${#ACTIVE[@]} -gt 0 ] || die "no mode can run"

# Per workload: its program, a native reference output, images if warm.
declare -A PROG=() WARM_OK=() TRANSLATED=()
: >"$OUT/meta.tsv"
SELECTED=()
for wl in $WORKLOADS; do
	declare -F "wl_${wl}_find" >/dev/null || die "unknown workload '$wl' (workloads: $WORKLOADS_ALL)"
	if ! "wl_${wl}_find"; then
		note "workload $wl skipped"
		continue
	fi
	PROG[$wl]=$WL_PROG
	"wl_${wl}_setup"
	note "$wl: reference run (native; also finds the modules it loads)"
	rm -f "$WORK/lddebug.$wl".*
	if ! LD_DEBUG=files LD_DEBUG_OUTPUT="$WORK/lddebug.$wl" "$WL_PROG" "${WL_ARGS[@]}" \
		<"$WL_STDIN" 2>"$WORK/ref.$wl.err" | "wl_${wl}_digest" >"$WORK/ref.$wl"; then
		note "workload $wl skipped: its native run fails ($WORK/ref.$wl.err):"
		tail -n 5 "$WORK/ref.$wl.err" >&2
		continue
	fi
	SELECTED+=("$wl")
	printf '%s\t%s\t%s\n' "$wl" "$("wl_${wl}_label")" "${WL_UNIT[$wl]}" >>"$OUT/meta.tsv"
	WARM_OK[$wl]=1
	if [[ " ${ACTIVE[*]} " == *" warm "* ]]; then
		if warm_prepare "$wl"; then
			TRANSLATED[$wl]=$(warm_translated "$wl")
		else
			WARM_OK[$wl]=0
		fi
	fi
done
[ ${#SELECTED[@]} -gt 0 ] || die "no workload can run"

# run_one WL MODE ROUND: one timed run, checked against the reference;
# appends its line to results.tsv.
run_one() {
	local wl=$1 mode=$2 round=$3 base t0 t1 rc value status=ok why=
	base=$RUNDIR/$wl.$mode.$round
	if [ "$mode" = warm ]; then
		STORE=$(warm_store "$wl")
	fi
	mode_use "$mode"
	"wl_${wl}_setup"
	t0=$(date +%s%N)
	env "${MODE_ENV[@]}" "${MODE_PREFIX[@]}" "${PROG[$wl]}" "${WL_ARGS[@]}" \
		<"$WL_STDIN" >"$base.out" 2>"$base.err"
	rc=$?
	t1=$(date +%s%N)
	if [ $rc -ne 0 ]; then
		status=FAIL why="exit status $rc"
	elif ! "wl_${wl}_digest" <"$base.out" | cmp -s - "$WORK/ref.$wl"; then
		status=FAIL why="output differs from the native run ($WORK/ref.$wl)"
	elif [ "${WL_UNIT[$wl]}" = s ]; then
		value=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", ns / 1e9 }')
	elif ! value=$("wl_${wl}_rate" <"$base.out"); then
		status=FAIL why="no rate in its output"
	fi
	if [ $status = ok ]; then
		note "$(printf 'run %d/%d  %-9s %-7s %10s %s' "$round" "$RUNS" "$wl" "$mode" "$value" "${WL_UNIT[$wl]}")"
		rm -f "$base.out" "$base.err"
	else
		value=-
		note "run $round/$RUNS  $wl $mode: FAIL, $why; kept $base.out and $base.err"
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$wl" "$mode" "$round" "$status" "$value" >>"$OUT/results.tsv"
}

# Prints why workload $1 is not run in mode $2 (a table cell: skip, noimg);
# fails when it is run.
not_run() {
	if [ "$2" = interp ] && [[ $WL_HEAVY == *" $1 "* ]] && [ "${BENCH_INTERP_HEAVY:-0}" != 1 ]; then
		echo skip
	elif [ "$2" = warm ] && [ "${WARM_OK[$1]}" != 1 ]; then
		echo noimg
	else
		return 1
	fi
}

: >"$OUT/results.tsv"
for wl in "${SELECTED[@]}"; do
	for mode in "${ACTIVE[@]}"; do
		if why=$(not_run "$wl" "$mode"); then
			if [ "$why" = skip ]; then
				note "$wl under the interpreter skipped: ~20x native would take long (BENCH_INTERP_HEAVY=1 runs it)"
			fi
			printf '%s\t%s\t-\t%s\t-\n' "$wl" "$mode" "$why" >>"$OUT/results.tsv"
		fi
	done
done
# Rounds outside, modes inside: a slow drift of the machine's speed then
# touches every mode alike instead of whichever ran last.
for ((round = 1; round <= RUNS; round++)); do
	for wl in "${SELECTED[@]}"; do
		for mode in "${ACTIVE[@]}"; do
			not_run "$wl" "$mode" >/dev/null || run_one "$wl" "$mode" "$round"
		done
	done
done

# Every requested mode gets a column, so a skipped one shows as "-".
{
	printf 'xlatefs benchmark: median of %s run(s); %s' "$RUNS" "$(date -u '+%Y-%m-%d %H:%M UTC')"
	[ "${BENCH_QUICK:-0}" = 1 ] && printf ' (BENCH_QUICK=1: small sizes, not comparable)'
	printf '\nunit s: wall seconds per run; MIPS: 7-Zip rating. Ratios are slowdowns (x times longer).\n'
	awk -v modes="$MODES" -v dat="$OUT/ratios.dat" -f "$BENCH_DIR/report.awk" \
		"$OUT/meta.tsv" "$OUT/results.tsv"
	if [ ${#TRANSLATED[@]} -gt 0 ]; then
		printf 'warm: guest instructions run as translated code (one untimed run, XLATE_SUMMARY):'
		for wl in "${SELECTED[@]}"; do
			[ -n "${TRANSLATED[$wl]:-}" ] && printf ' %s %s;' "$("wl_${wl}_label")" "${TRANSLATED[$wl]}"
		done
		printf '\n'
	fi
} | tee "$OUT/table.txt"

# The ratio columns against native come first in ratios.dat (report.awk).
nnat=0
case " $MODES " in *" native "*) for m in $MODES; do [ "$m" != native ] && nnat=$((nnat + 1)); done ;; esac
if ! command -v gnuplot >/dev/null; then
	note "no plot: gnuplot not found (Debian package gnuplot-nox)"
elif [ $nnat -eq 0 ]; then
	note "no plot: no mode to compare with native"
elif gnuplot -e "dat='$OUT/ratios.dat'; png='$OUT/ratios.png'; nnat=$nnat; title='xlatefs benchmark, median of $RUNS run(s)'" \
	"$BENCH_DIR/plot.gp" 2>"$OUT/gnuplot.err"; then
	note "plot: $OUT/ratios.png"
else
	note "gnuplot failed ($OUT/gnuplot.err):"
	cat "$OUT/gnuplot.err" >&2
fi
note "table: $OUT/table.txt; every run: $OUT/results.tsv"
grep -q "	FAIL	" "$OUT/results.tsv" && die "some runs failed: their cells say FAIL"
exit 0
