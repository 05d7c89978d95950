#!/bin/bash
# fault-state.sh — the guest state a fault shows (tests/aot/faultprog),
# native output as the oracle: interpreter only; a partial image (from
# the code map of a run of some of the tests: the others fall back to
# the interpreter); a whole image; and the aarch64 target (cross-compiled
# whole image, xlate-aarch64 under qemu-aarch64) when the cross compiler
# and qemu are there. Translated code must leave the guest's cpu exact at
# every fault: registers, flags, vectors, x87, and the stores before it.
set -eu
prog=faultprog
. "$(dirname "$0")/common.sh"
mkdir -p "$share/cache/x86_64-v1" "$share/cache/aarch64-v1" "$share/requests"

"$prog" >"$work/native.all"
"$prog" ace >"$work/native.ace"
[ "$(grep -c '^signal ' "$work/native.all")" = 6 ] || fail "native run: not six faults"

xl XLATE_IMAGES=0 "$B/xlate" "$prog"
same all "interpreter only"
echo "ok: interpreter only"

# A run of tests a, c and e submits the module and their code map.
xl "$B/xlate" "$prog" ace
same ace "miss"
[ -s "$share/requests/$key.map" ] || fail "no code map submitted"

# Partial image: a, c and e translated, the rest interpreted. After each
# fault the dispatcher replays up to 64 blocks in the interpreter
# (image_dispatch.c): of this small program's 30,000 instructions, about
# 500 a fault, hence 95%.
"$B/xlatec" -q -j2 --map "$share/requests/$key.map" -o "$share/cache/x86_64-v1/$key" \
	"$share/requests/$key"
xl XLATE_SUBMIT=0 "$B/xlate" "$prog" ace
same ace "partial image, mapped tests"
at_least 95 "partial image, mapped tests"
f=$(frac)
xl XLATE_SUBMIT=0 "$B/xlate" "$prog"
same all "partial image with fallback"
echo "ok: partial image ($f% translated on the mapped tests, all tests with fallback)"

"$B/xlatec" -q -j2 --whole --map "$share/requests/$key.map" \
	-o "$share/cache/x86_64-v1/$key" "$share/requests/$key"
xl XLATE_SUBMIT=0 XLATE_REQUIRE_IMAGES=1 "$B/xlate" "$prog"
same all "whole image"
at_least 95 "whole image"
echo "ok: whole image ($(frac)% translated)"

if [ -z "${QEMU_AARCH64:-}" ] || [ ! -x "$B/xlate-aarch64" ] ||
	! command -v aarch64-linux-gnu-gcc >/dev/null; then
	echo "aarch64 part skipped: needs qemu-aarch64, xlate-aarch64 and aarch64-linux-gnu-gcc"
	exit 0
fi
"$B/xlatec" -q -j2 --target aarch64-v1 --whole --map "$share/requests/$key.map" \
	-o "$share/cache/aarch64-v1/$key" "$share/requests/$key"
xl XLATE_SUBMIT=0 XLATE_REQUIRE_IMAGES=1 $QEMU_AARCH64 "$B/xlate-aarch64" "$prog"
same all "aarch64 whole image"
at_least 95 "aarch64 whole image"
echo "ok: aarch64 whole image ($(frac)% translated)"
