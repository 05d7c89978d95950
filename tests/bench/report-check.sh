#!/bin/sh
# report-check.sh — make check: report.awk's medians, ratios and cells on
# results made up here, where the right table is known.
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

printf 'a\tA-label\ts\nb\tB-label\tMIPS\nc\tC-label\ts\n' >"$dir/meta.tsv"
# a: odd and even run counts, unsorted; b: a rate (higher is better);
# c: one failing run among good ones, a skipped and a missing mode.
cat >"$dir/results.tsv" <<'EOF'
a	native	1	ok	2.0
a	native	2	ok	1.0
a	native	3	ok	3.0
a	qemu	1	ok	9.0
a	qemu	2	ok	7.0
a	interp	1	ok	40
a	interp	2	ok	50
a	interp	3	ok	30
a	warm	1	ok	3.0
a	warm	2	ok	2.0
b	native	1	ok	1000
b	qemu	1	ok	250
b	interp	1	ok	50
b	warm	1	ok	800
c	native	1	ok	1.0
c	qemu	1	ok	4.0
c	interp	-	skip	-
c	qemu	2	FAIL	-
EOF
awk -v modes="native qemu interp warm" -v dat="$dir/ratios.dat" \
	-f "$top_srcdir/tests/bench/report.awk" "$dir/meta.tsv" "$dir/results.tsv" >"$dir/table"

# The table with its runs of spaces squeezed.
cat >"$dir/want" <<'EOF'
workload unit native qemu interp warm | qemu/native interp/native warm/native interp/qemu warm/qemu
A-label s 2.00 8.00 40.0 2.50 | 4.00 20.0 1.25 5.00 0.31
B-label MIPS 1000 250 50.0 800 | 4.00 20.0 1.25 5.00 0.31
C-label s 1.00 FAIL skip - | - - - - -
EOF
tr -s ' ' <"$dir/table" | diff -u "$dir/want" - || {
	echo "report-check: the table differs from the expected one (above)" >&2
	exit 1
}

printf 'workload\tqemu/native\tinterp/native\twarm/native\tinterp/qemu\twarm/qemu\n' >"$dir/want"
printf 'A-label\t4.0000\t20.0000\t1.2500\t5.0000\t0.3125\n' >>"$dir/want"
printf 'B-label\t4.0000\t20.0000\t1.2500\t5.0000\t0.3125\n' >>"$dir/want"
printf 'C-label\t-\t-\t-\t-\t-\n' >>"$dir/want"
diff -u "$dir/want" "$dir/ratios.dat" || {
	echo "report-check: ratios.dat differs from the expected one (above)" >&2
	exit 1
}
echo "report-check: table and ratios as expected"
