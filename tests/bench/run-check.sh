#!/bin/sh
# run-check.sh — make check: run.sh end to end on a tiny xz workload, with
# stand-ins for the translators so that only the harness is under test:
#   qemu    corrupts the output: its cells must say FAIL, run.sh must fail
#   interp  runs the program unchanged: its cells must hold times
#   warm    refuses to run without images when they are required, like
#           xlate, and records modules and code maps into a share; its
#           xlatec publishes the module itself as the "image", so the
#           harness's module discovery, map merging, store and summary are
#           used for real, with BENCH_WARM=map and =whole. A second run
#           must find every image in the store.
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
XLATEFS_CACHE=$top_builddir/xlatefs-cache
export XLATEFS_CACHE

printf '#!/bin/sh\n"$@" && printf x\n' >"$dir/corrupt"
cat >"$dir/xlate" <<'EOF'
#!/bin/sh
# Records like xlate with a share: each module, and a code map sent in two
# submissions (header and one record each: offset 0x1000, 0x40 bytes).
if [ -n "${XLATE_SHARE:-}" ] && [ "${XLATE_SUBMIT:-1}" != 0 ]; then
	for m in "$1" $(ldd "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
		key=$("$XLATEFS_CACHE" key "$m") || exit 1
		cp "$m" "$XLATE_SHARE/requests/$key" || exit 1
		for n in 1 2; do
			printf 'XLMP\001\000\010\000\000\020\000\000\100\000\000\000' \
				>>"$XLATE_SHARE/requests/$key.map"
		done
	done
fi
if [ "${XLATE_REQUIRE_IMAGES:-}" = 1 ] &&
	[ -z "$(find "${XLATE_STORE:-/nonexistent}" -type f -path '*/v1/*' 2>/dev/null)" ]; then
	echo "stand-in xlate: no image" >&2
	exit 127
fi
if [ -n "${XLATE_SUMMARY:-}" ]; then
	echo "xlate: summary: blocks 3 translated, 1 interpreted; instructions 75 translated, 25 interpreted (75.0% translated); images 4 hits, 0 misses; 0 fault replays" >>"$XLATE_SUMMARY"
fi
exec "$@"
EOF
cat >"$dir/xlatec" <<'EOF'
#!/bin/sh
# Publishes the module itself as its "image", once it has checked that a
# code map it is given has one header, as xlatec wants.
if [ "$1" = --version ]; then
	echo "xlatec 0.1.0, image ABI 1, translator build 0123456789abcdef0123456789abcdef"
	exit 0
fi
store= target= map=
while [ $# -gt 1 ]; do
	case $1 in
	--store) store=$2 && shift ;;
	--target) target=$2 && shift ;;
	--map) map=$2 && shift ;;
	esac
	shift
done
if [ -n "$map" ] && { [ "$(od -An -tx1 -N8 "$map" | tr -d ' \n')" != 584c4d5001000800 ] ||
	[ "$(od -An -v -tx1 -w8 "$map" | tr -d ' ' | grep -c '^584c4d5001000800$')" != 1 ]; }; then
	echo "stand-in xlatec: $map is not a code map with one header" >&2
	exit 1
fi
exec "$XLATEFS_CACHE" --store "$store" put "$target" "$1"
EOF
chmod +x "$dir/corrupt" "$dir/xlate" "$dir/xlatec"

fail() {
	echo "run-check: $*" >&2
	exit 1
}

bench() {
	status=0
	BENCH_WARM=$1 BENCH_OUT=$dir/out BENCH_RUNS=2 BENCH_MODES="native qemu interp warm" \
		BENCH_WORKLOADS=xzsmall BENCH_XZ_SMALL_KB=16 \
		QEMU_X86_64=$dir/corrupt XLATE=$dir/xlate XLATEC=$dir/xlatec \
		bash "$top_srcdir/tests/bench/run.sh" >"$dir/stdout" 2>"$dir/stderr" || status=$?
	cat "$dir/stdout" "$dir/stderr"
	# bash reports its own errors (unbound variables, bad syntax) as "run.sh: line N:".
	! grep -q 'run.sh: line [0-9]' "$dir/stderr" || fail "run.sh has a shell error (above)"
	[ $status = 1 ] || fail "run.sh exited $status, not 1, with a corrupting mode"
}

bench map
row=$(grep '^xz9-16K ' "$dir/stdout" | tr -s ' ') || fail "no xz9-16K row in the table"
set -- $row
# label unit native qemu interp warm | ratios...
[ "$4" = FAIL ] || fail "the corrupted qemu cell says '$4', not FAIL"
for cell in "$3" "$5" "$6"; do
	case $cell in *[!0-9.]* | '') fail "a native, interp or warm cell is '$cell', not a time" ;; esac
done
[ "$(grep -c '	ok	' "$dir/out/results.tsv")" = 6 ] || fail "not 2 good runs each of native, interp, warm"
# xz, liblzma, libc and ld.so at least.
[ "$(grep -c 'bench: xlatec --map' "$dir/stderr")" -ge 4 ] || fail "fewer than 4 modules translated"
grep -q '^warm: .*xz9-16K 75.0%;' "$dir/stdout" || fail "no share of translated instructions"
[ -s "$dir/out/ratios.png" ] || ! command -v gnuplot >/dev/null || fail "gnuplot drew no ratios.png"

bench map
! grep -q 'bench: xlatec' "$dir/stderr" || fail "the second run translated again"
bench whole
[ "$(grep -c 'bench: xlatec --whole' "$dir/stderr")" -ge 4 ] || fail "fewer than 4 modules translated whole"
grep -q '^xz9-16K .* | ' "$dir/stdout" || fail "no table with BENCH_WARM=whole"
echo "run-check: harness behaves"
