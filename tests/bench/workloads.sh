# workloads.sh — the workloads of tests/bench/run.sh (sourced by it).
#
# A workload NAME is a set of functions and one table row:
#   wl_NAME_find     sets WL_PROG to the x86-64 program it runs; fails
#                    (and says why) when the tool is not installed
#   wl_NAME_setup    makes its inputs under $WORK and sets WL_ARGS, WL_STDIN
#   wl_NAME_digest   reduces its stdout to what must equal the native output
#   wl_NAME_label    the name shown in the table
#   wl_NAME_train    (optional) as setup, for the warm mode's recording run
# and WL_UNIT[NAME]: "s" when the measure is the wall time of a run of
# fixed work (lower is better), anything else names a rate the program
# prints itself (higher is better; wl_NAME_rate extracts it).
#
# The sizes below are "full" defaults, chosen so that a native run takes
# about a second on a current x86-64 core (xz of 32 MB: about half a
# minute); BENCH_QUICK=1 picks the small ones.

declare -A WL_UNIT=([sysbench]=s [7zip]=MIPS [python]=s [sqlite]=s [xzsmall]=s [xz]=s)
WORKLOADS_ALL="sysbench 7zip python sqlite xzsmall xz"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	: "${BENCH_SYSBENCH_EVENTS:=300}" "${BENCH_7Z_DICT:=18}" "${BENCH_PY_SCALE:=3}"
	: "${BENCH_SQL_ROWS:=5000}" "${BENCH_XZ_SMALL_KB:=256}" "${BENCH_XZ_MB:=2}"
else
	: "${BENCH_SYSBENCH_EVENTS:=4000}" "${BENCH_7Z_DICT:=20}" "${BENCH_PY_SCALE:=40}"
	: "${BENCH_SQL_ROWS:=150000}" "${BENCH_XZ_SMALL_KB:=1024}" "${BENCH_XZ_MB:=32}"
fi
: "${BENCH_SYSBENCH_PRIME:=10000}"

# Prints the path of the first program NAME on $PATH (then /usr/bin, /bin)
# that is an x86-64 ELF file. Wrappers such as pyenv shims are shell
# scripts: run through a translator they would measure the shell.
find_x86_64_elf() {
	local dir f IFS=:
	for dir in $PATH /usr/bin /bin; do
		f=$dir/$1
		if [ -f "$f" ] && [ -x "$f" ] && is_x86_64_elf "$f"; then
			printf '%s\n' "$f"
			return 0
		fi
	done
	return 1
}

# ELF magic, ELFCLASS64, little-endian, e_machine EM_X86_64 (62).
is_x86_64_elf() {
	[ "$(od -An -tx1 -N6 "$1" | tr -d ' \n')" = 7f454c460201 ] &&
		[ "$(od -An -tx1 -j18 -N2 "$1" | tr -d ' \n')" = 3e00 ]
}

# find_tool NAME PACKAGE: sets WL_PROG or says what to install.
find_tool() {
	WL_PROG=$(find_x86_64_elf "$1") && return 0
	note "no x86-64 program '$1' on PATH (Debian package $2)"
	return 1
}

# Generates the deterministic text input of $1 bytes once; prints its path.
text_input() {
	local f=$WORK/text-$1.txt
	# awk ends its last line past the size; truncate cuts it there.
	if [ ! -s "$f" ]; then
		awk -v size="$1" -f "$BENCH_DIR/gentext.awk" >"$f.tmp" &&
			truncate -s "$1" "$f.tmp" && mv "$f.tmp" "$f" || return 1
	fi
	printf '%s\n' "$f"
}

# ---- sysbench cpu: prime search, a fixed event count on one thread -------
wl_sysbench_find() { find_tool sysbench sysbench; }
wl_sysbench_setup() {
	WL_ARGS=(cpu --threads=1 --events="$BENCH_SYSBENCH_EVENTS" --time=0
		--cpu-max-prime="$BENCH_SYSBENCH_PRIME" run)
	WL_STDIN=/dev/null
}
# sysbench prints no result of its computation, only timings: the event
# count and the limit are what a correct run must reproduce.
wl_sysbench_digest() { awk '/Prime numbers limit|total number of events/ { $1 = $1; print }'; }
wl_sysbench_label() { echo "sysbench-cpu"; }

# ---- 7zz b: the LZMA benchmark, one thread ---------------------------------
# 7-Zip calibrates the work of each test to the measured CPU speed, so the
# wall time of `7zz b` is nearly the same in every mode: its own rating
# (MIPS, "Tot:" line) is the measure, and the ratio is native rating over
# the mode's. One pass, dictionaries 2^18 .. 2^BENCH_7Z_DICT.
wl_7zip_find() { find_tool 7zz 7zip; }
wl_7zip_setup() {
	WL_ARGS=(b 1 -mmt1 -md"$BENCH_7Z_DICT")
	WL_STDIN=/dev/null
}
# 7zz b decompresses what it compressed and checks the CRC itself,
# reporting an error otherwise; beyond that, the same tests must have run.
wl_7zip_digest() { awk '/^[0-9]+:|^Avr:|^Tot:/ { print $1 } /[Ee]rror|ERROR/ { print }'; }
wl_7zip_rate() { awk '/^Tot:/ { r = $NF } END { if (r == "") exit 1; print r }'; }
wl_7zip_label() { echo "7zz-b-d$BENCH_7Z_DICT"; }

# ---- python3: pure-Python CPU work (pybench.py) ----------------------------
wl_python_find() { find_tool python3 python3; }
wl_python_setup() {
	WL_ARGS=(-S -E "$BENCH_DIR/pybench.py" "$BENCH_PY_SCALE")
	WL_STDIN=/dev/null
}
wl_python_digest() { cat; }
wl_python_label() { echo "python3"; }

# ---- sqlite3: generated tables, indexes, joins, windows (sqlbench.sql) ----
wl_sqlite_find() { find_tool sqlite3 sqlite3; }
wl_sqlite_setup() {
	WL_STDIN=$WORK/sqlbench-$BENCH_SQL_ROWS.sql
	sed "s/@ROWS@/$BENCH_SQL_ROWS/g" "$BENCH_DIR/sqlbench.sql" >"$WL_STDIN" ||
		die "cannot write $WL_STDIN"
	WL_ARGS=(-batch :memory:)
}
wl_sqlite_digest() { cat; }
wl_sqlite_label() { echo "sqlite3"; }

# ---- xz -9: the small input every mode runs, the interpreter included -----
wl_xzsmall_find() { find_tool xz xz-utils; }
wl_xzsmall_setup() {
	WL_STDIN=$(text_input $((BENCH_XZ_SMALL_KB * 1024))) || die "cannot generate the xz input"
	WL_ARGS=(-9 -T1 -c)
}
# The compressed stream itself must match, byte for byte.
wl_xzsmall_digest() { sha256sum | cut -d' ' -f1; }
wl_xzsmall_label() { echo "xz9-${BENCH_XZ_SMALL_KB}K"; }

# ---- xz -9 of the 32 MB input: too long for the interpreter by default ----
wl_xz_find() { find_tool xz xz-utils; }
wl_xz_setup() {
	WL_STDIN=$(text_input $((BENCH_XZ_MB * 1024 * 1024))) || die "cannot generate the xz input"
	WL_ARGS=(-9 -T1 -c)
}
# The warm mode records what xz runs on the small input (warm.sh).
wl_xz_train() { wl_xzsmall_setup; }
wl_xz_digest() { sha256sum | cut -d' ' -f1; }
wl_xz_label() { echo "xz9-${BENCH_XZ_MB}M"; }
# The interpreter is about 20x native: three runs of half a minute each
# would be half an hour. BENCH_INTERP_HEAVY=1 runs it anyway.
WL_HEAVY=" xz "
