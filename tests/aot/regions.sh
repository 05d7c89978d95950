#!/bin/bash
# regions.sh — region.c's promises (tests/aot/region_check.c: each guest
# instruction lifted into one region at most, entries, direct branches,
# map mode, determinism) on the test guests, --whole and with a code map;
# and xlatec --report counting the same instructions. overlapprog is laid
# out the way that made xlatec lift code more than once (nested and
# overlapping ranges, starts inside a range, functions without ranges
# sharing code); its map names blocks inside functions and jump-table
# targets nothing else finds. About a second.
set -eu
top_builddir=${top_builddir:-.}
B=$(cd "$top_builddir" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/regions.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() {
	echo "FAIL: $*"
	exit 1
}

# le32 N: N as four little-endian bytes (printf escapes).
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
	$(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# sym NAME: the address of a symbol of overlapprog.
sym() {
	local a
	a=$(readelf -Ws "$B/tests/aot/overlapprog" | awk -v n="$1" '$8 == n { print $2; exit }')
	[ -n "$a" ] || fail "no symbol $1 in overlapprog"
	echo $((0x$a))
}

# A code map of overlapprog (fs/xlatefs.h format), from its labels:
# the jump table's dispatch and two of its cases, the loop in the middle
# of outer, the shared tail of the functions without ranges, and ov2 (in
# ov1's FDE).
if ! command -v readelf >/dev/null; then
	echo "SKIP: readelf (binutils) is needed to make the code map"
	exit 77
fi
{
	printf 'XLMP\x01\x00\x08\x00'
	for r in "table table_1" "table_1 table_2" "table_3 table_end" "outer_loop outer_mid" \
		"bare_tail bare_end" "ov2 ov2_next"; do
		set -- $r
		printf "$(le32 "$(sym "$1")")$(le32 $(($(sym "$2") - $(sym "$1"))))"
	done
} >"$work/overlap.map"

# same NAME OUT MODE XLATEC-OPTIONS...: xlatec --report counts the
# instructions region_check printed for MODE in OUT.
same() {
	local name=$1 out=$2 mode=$3 rep n w
	shift 3
	w=$(sed -nE "s/^$mode: .*, ([0-9]+) instructions\$/\\1/p" <<<"$out")
	rep=$("$B/xlatec" --report "$@" 2>&1) || fail "$name: $rep"
	n=$(sed -nE 's/.*, ([0-9]+) instructions$/\1/p' <<<"$rep")
	[ -n "$w" ] && [ "$n" = "$w" ] ||
		fail "$name: xlatec --report $* says $n instructions, region_check $w"
}

check() { # MODULE [MAP]
	local name out
	name=$(basename "$1")${2:+ with a map}
	out=$("$B/tests/aot/region_check" "$@") || fail "$name: $out"
	same "$name" "$out" whole --whole ${2:+--map "$2"} "$1"
	if [ -n "${2:-}" ]; then
		same "$name" "$out" map --map "$2" "$1"
		same "$name" "$out" blocks --map-blocks --map "$2" "$1"
	fi
	echo "ok: $name: $(tr '\n' ' ' <<<"$out")"
}

for m in aotprog faultprog overlapprog; do
	check "$B/tests/aot/$m"
done
check "$B/tests/aot/overlapprog" "$work/overlap.map"
