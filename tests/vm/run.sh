#!/bin/bash
# run.sh TEST... — runs VM test scripts one after another (they boot VMs: not
# in parallel), each with its output in tests/vm/NAME.log of the build tree;
# prints PASS, FAIL or SKIP (exit 77) per script, then "N passed, N failed,
# N skipped". Exits 1 if any failed.
set -u
top_builddir=${top_builddir:-$(pwd)}
export top_builddir
pass=0 fail=0 skip=0
mkdir -p "$top_builddir/tests/vm"
for t in "$@"; do
	name=$(basename "$t" .sh)
	log=$top_builddir/tests/vm/$name.log
	start=$EPOCHREALTIME
	bash "$t" >"$log" 2>&1
	rc=$?
	secs=$(echo "$EPOCHREALTIME - $start" | bc)
	case $rc in
	0) pass=$((pass + 1)) && res=PASS ;;
	77) skip=$((skip + 1)) && res=SKIP ;;
	*) fail=$((fail + 1)) && res=FAIL ;;
	esac
	printf '%s: %s (%.0f s)\n' "$res" "$name" "$secs"
	case $res in
	FAIL) grep -E '^(FAIL|#)' "$log" | head -n 40 && tail -n 5 "$log" ;;
	SKIP) grep -m1 '^SKIP' "$log" ;;
	*) grep -E '^# ' "$log" ;;
	esac
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
