#!/bin/bash
# The lazy path with the real store: a miss, a code map, the module uploaded
# through requests/, the compiler job seen running (and queueing), the image
# appearing under cache/<target>/<key> and read back verified; new coverage
# makes a newer image under the same name; the same coverage does not,
# unless the image is gone. fake-xlatec stands in for xlatec.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
fs_enter_namespace "$@"

M=$T/mnt S=$T/store
export FAKE_XLATEC_LOG=$T/xlatec.log FAKE_XLATEC_GATE=$T/gate
mkfifo "$T/gate"
runs() { grep -c . "$FAKE_XLATEC_LOG" 2>/dev/null || echo 0; }
runs_are() { [ "$(runs)" = "$1" ]; }

fs_start "$M" -o "store=$S,translator=$FAKE_XLATE,compiler=$FAKE_XLATEC" \
	-o jobs=1,retries=0,negative_timeout=0
I=$M/cache/$TARGET

"$FSTOOL" mkelf "$T/mod" 7 8192 >/dev/null
"$FSTOOL" mkelf "$T/mod2" 8 4096 >/dev/null
K=$(key_of "$T/mod") K2=$(key_of "$T/mod2")

# 1. a miss, and the code map of what ran (the source is not there yet: kept)
check "an image before anything was sent" [ ! -e "$I/$K" ]
expect_stat "$M" misses 1
expect_out ok "$FSTOOL" map "$M/requests/$K.map" 0x400078:12
wait_stat "$M" maps.accepted 1
expect_stat "$M" maps.records 1
expect_stat "$M" queued 0

# 2. the module: stored as a source, and a job starts with the map
expect_out ok "$FSTOOL" put "$M/requests/$K" "$T/mod"
wait_for "the compiler to start" grep -q "^ok $TARGET $K 12$" "$FAKE_XLATEC_LOG"
expect_stat "$M" translating 1
expect_stat "$M" uploads.accepted 1
check "an image before the compiler finished" [ ! -e "$I/$K" ]
"$CACHE_CLI" --store "$S" get sources "$K" -o "$T/src" >/dev/null
check "the stored source differs from the module" cmp -s "$T/src" "$T/mod"
expect_out "open: EEXIST" "$FSTOOL" put "$M/requests/$K" "$T/mod"
expect_stat "$M" uploads.duplicate 1

# one job at a time (jobs=1): a second module waits in the queue
expect_out ok "$FSTOOL" put "$M/requests/$K2" "$T/mod2"
wait_stat "$M" queued 1
expect_stat "$M" translating 1

echo go >"$T/gate"
wait_for "the image of the first module" test -e "$I/$K"
expect_out ok "$FSTOOL" verify "$I/$K" "$K"
check "the image was not compiled with the map" grep -aq "^range=400078+c$" "$I/$K"
echo go >"$T/gate"
wait_for "the image of the second module" test -e "$I/$K2"
expect_out ok "$FSTOOL" verify "$I/$K2" "$K2"
check "a job without a map got one" grep -aq "^map=none$" "$I/$K2"
wait_stat "$M" compiled 2
expect_stat "$M" translating 0
expect_stat "$M" queued 0
check "cache/$TARGET does not list the images" \
	bash -c "[ \"\$(ls '$I' | xargs)\" = \"\$(printf '%s\n' $K $K2 | sort | xargs)\" ]"
hits=$(stat_of "$M" hits)
check "no hit counted for the new images" [ "$hits" -ge 2 ]

# 3. new coverage, appended in two submissions: a newer image, same name
expect_out ok "$FSTOOL" map "$M/requests/$K.map" --append 0x400100:0x40 0x400078:4
wait_for "the compiler to run again" grep -q "^ok $TARGET $K 76$" "$FAKE_XLATEC_LOG"
echo go >"$T/gate"
wait_for "the newer image" grep -aq "^map_covered=76$" "$I/$K"
expect_out ok "$FSTOOL" verify "$I/$K" "$K"
wait_stat "$M" compiled 3

# 4. the same coverage again: nothing to do
expect_out ok "$FSTOOL" map "$M/requests/$K.map" 0x400078:4 0x400100:8
wait_stat "$M" maps.accepted 3
expect_stat "$M" queued 0
expect_stat "$M" translating 0
check "the same coverage ran the compiler again" [ "$(runs)" = 3 ]

# 5. ... unless the image is gone (evicted): then it compiles again
"$CACHE_CLI" --store "$S" rm "$TARGET" "$K"
expect_out ok "$FSTOOL" map "$M/requests/$K.map" 0x400078:4
wait_for "the compiler to run for the lost image" runs_are 4
echo go >"$T/gate"
wait_stat "$M" compiled 4
"$CACHE_CLI" --store "$S" get "$TARGET" "$K" -o "$T/img" >/dev/null
python3 -c '
import struct, sys
open(sys.argv[1], "wb").write(struct.pack("<IHH", 0x504d4c58, 1, 8) +
    struct.pack("<II", 0x400078, 12) + struct.pack("<II", 0x400100, 0x40))' "$T/merged.map"
env -u FAKE_XLATEC_GATE -u FAKE_XLATEC_LOG "$FAKE_XLATEC" --target "$TARGET" \
	--map "$T/merged.map" -o "$T/want" "$T/mod"
check "the recompiled image is not what the compiler writes from the merged map" \
	cmp -s "$T/want" "$T/img"
check "the image under the mount is not the store's" cmp -s "$I/$K" "$T/img"
fs_stop "$M"
fs_done
