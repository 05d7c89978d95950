#!/bin/bash
# aot-image.sh — pretranslated images end to end on one small module
# (tests/aot/aotprog), native output as the oracle, with a plain directory
# as the share (cache/<target>/<key>, requests/):
#   interpreter only; a miss that submits the module and its code map;
#   a partial image from that map (the rest falls back to the interpreter,
#   code the program rewrites too), of whole functions and of blocks
#   (--map-blocks); a whole image; determinism (the same
#   module, map and build give the same bytes); damaged and mismatched
#   images refused (the program still runs); XLATE_REQUIRE_IMAGES; and the
#   aarch64 target (cross-compiled image, xlate-aarch64 under qemu-aarch64)
#   when the cross compiler and qemu are there.
set -eu
prog=aotprog
. "$(dirname "$0")/common.sh"
target=x86_64-v1
mkdir -p "$share/cache/$target" "$share/requests"
img=$share/cache/$target/$key

"$prog" >"$work/native.all"
"$prog" ab >"$work/native.ab"

# 1. Interpreter only: nothing looked up, nothing translated.
xl XLATE_IMAGES=0 "$B/xlate" "$prog"
same all "interpreter only"
[ "$(frac)" = 0.0 ] || fail "interpreter only ran translated code"
ninsns=$(total)
echo "ok: interpreter only"

# 2. A miss: the run submits the module and the code map of what ran.
xl "$B/xlate" "$prog" ab
same ab "miss"
cmp -s "$prog" "$share/requests/$key" || fail "module not submitted as requests/$key"
[ -s "$share/requests/$key.map" ] || fail "no code map submitted"
grep -q "1 misses" "$work/sum" || fail "the miss is not in the summary: $(cat "$work/sum")"
echo "ok: miss submits module and code map"

# 3. A partial image from that map: what ran is translated; the parts
# the map did not see, and the code the program rewrites, are interpreted.
"$B/xlatec" -q -j2 --map "$share/requests/$key.map" -o "$img" "$share/requests/$key"
"$B/xlatec" -q -j2 --map "$share/requests/$key.map" -o "$work/again" "$share/requests/$key"
cmp -s "$img" "$work/again" || fail "partial images of the same module and map differ"
xl XLATE_SUBMIT=0 "$B/xlate" "$prog" ab
same ab "partial image, mapped parts"
at_least 95 "partial image, mapped parts"
f=$(frac)
xl XLATE_SUBMIT=0 "$B/xlate" "$prog"
same all "partial image with fallback"
grep -q "1 hits" "$work/sum" || fail "no image hit: $(cat "$work/sum")"
awk '/summary/ { if ($4 > 0 && $6 > 0) ok = 1 } END { exit !ok }' "$work/sum" ||
	fail "expected both translated and interpreted blocks: $(cat "$work/sum")"
# Translated and interpreted code count the same instructions.
[ "$(total)" = "$ninsns" ] ||
	fail "partial image with fallback counted $(total) instructions, the interpreter alone $ninsns: $(cat "$work/sum")"
echo "ok: partial image ($f% translated on the mapped parts), deterministic, fallback"

# 3b. The same with --map-blocks: only the blocks that ran and their
# successors; every branch elsewhere goes back to the interpreter.
"$B/xlatec" -q -j2 --map-blocks --map "$share/requests/$key.map" -o "$img" \
	"$share/requests/$key"
xl XLATE_SUBMIT=0 "$B/xlate" "$prog" ab
same ab "block image, mapped parts"
at_least 95 "block image, mapped parts"
f=$(frac)
xl XLATE_SUBMIT=0 "$B/xlate" "$prog"
same all "block image with fallback"
[ "$(total)" = "$ninsns" ] ||
	fail "block image with fallback counted $(total) instructions, the interpreter alone $ninsns: $(cat "$work/sum")"
echo "ok: block image ($f% translated on the mapped parts), fallback"

# 4. A whole image (plus the map, for the jump table): all but the
# rewritten code runs translated.
"$B/xlatec" -q -j2 --whole --map "$share/requests/$key.map" -o "$img" "$share/requests/$key"
"$B/xlatec" -q -j2 --whole --map "$share/requests/$key.map" -o "$work/again" \
	"$share/requests/$key"
cmp -s "$img" "$work/again" || fail "whole images of the same module differ"
xl XLATE_SUBMIT=0 XLATE_REQUIRE_IMAGES=1 "$B/xlate" "$prog" abde
"$prog" abde >"$work/native.abde"
same abde "whole image"
at_least 95 "whole image"
f=$(frac)
echo "ok: whole image ($f% translated), deterministic"

# 5. Damaged images are misses, never run; so is another module's.
cp "$img" "$work/good"
size=$(stat -c %s "$img")
for off in 0 200 $((size / 2)) $((size - 40)) $((size - 1)); do
	cp "$work/good" "$img"
	b=$(od -An -tu1 -j "$off" -N1 "$img" | tr -d ' ')
	printf "\\$(printf %03o $(((b + 1) % 256)))" |
		dd of="$img" bs=1 seek="$off" conv=notrunc status=none
	xl XLATE_SUBMIT=0 XLATE_DEBUG=1 "$B/xlate" "$prog" abs
	"$prog" abs >"$work/native.abs"
	same abs "damaged image (byte $off)"
	grep -q "refused: " "$work/err" || fail "damaged image (byte $off) not refused"
	[ "$(frac)" = 0.0 ] || fail "damaged image (byte $off) ran"
	xl XLATE_SUBMIT=0 XLATE_REQUIRE_IMAGES=1 "$B/xlate" "$prog" abs
	grep -q "exit 127" "$work/out" || fail "XLATE_REQUIRE_IMAGES ran without an image"
done
echo "ok: damaged images refused, the program runs interpreted"
mv "$work/good" "$img"
other=$(xxhsum -H2 "$B/xlatec" | sed -E 's/^(XXH128_)?([0-9a-f]{32}).*/\2/')
cp "$img" "$share/cache/$target/$other"
cp "$prog" "$work/prog2" && printf x >>"$work/prog2" # another key, same code
other=$(xxhsum -H2 "$work/prog2" | sed -E 's/^(XXH128_)?([0-9a-f]{32}).*/\2/')
cp "$img" "$share/cache/$target/$other"
xl XLATE_SUBMIT=0 XLATE_DEBUG=1 "$B/xlate" "$work/prog2" abs
same abs "another module's image"
grep -q "refused: image of another module" "$work/err" || fail "another module's image not refused"
echo "ok: another module's image refused"

# 6. The aarch64 target: images from the cross compiler, run by
# xlate-aarch64 under qemu-aarch64.
if [ -z "${QEMU_AARCH64:-}" ] || [ ! -x "$B/xlate-aarch64" ] ||
	! command -v aarch64-linux-gnu-gcc >/dev/null; then
	echo "aarch64 part skipped: needs qemu-aarch64, xlate-aarch64 and aarch64-linux-gnu-gcc"
	exit 0
fi
mkdir -p "$share/cache/aarch64-v1"
"$B/xlatec" -q -j2 --target aarch64-v1 --whole --map "$share/requests/$key.map" \
	-o "$share/cache/aarch64-v1/$key" "$share/requests/$key"
xl XLATE_SUBMIT=0 XLATE_REQUIRE_IMAGES=1 $QEMU_AARCH64 "$B/xlate-aarch64" "$prog" abde
same abde "aarch64 whole image"
at_least 95 "aarch64 whole image"
f=$(frac)
echo "ok: aarch64 whole image ($f% translated)"
