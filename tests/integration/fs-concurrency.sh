#!/bin/bash
# Concurrency: a thousand simultaneous uploads of one module (one wins, the
# rest get EEXIST, one source, one compile), then readers reading an image
# over and over while newer versions of it are published and the cleaner
# evicts to a small budget: no reader ever sees a partial image.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
fs_enter_namespace "$@"

M=$T/mnt S=$T/store
export FAKE_XLATEC_LOG=$T/xlatec.log FAKE_XLATEC_PAD=$((1 << 20))
fs_start "$M" -o "store=$S,translator=$FAKE_XLATE,compiler=$FAKE_XLATEC" \
	-o max_rate=0,jobs=2,max_size=5M,clean_interval=100ms
I=$M/cache/$TARGET

# --- a thousand uploads of one key at once ------------------------------------
"$FSTOOL" mkelf "$T/a" 31 65536 >/dev/null
A=$(key_of "$T/a")
expect_out "ok=1 eexist=999 other=0" "$FSTOOL" race "$M/requests/$A" "$T/a" 1000
wait_for "the image of the raced module" test -e "$I/$A"
expect_stat "$M" uploads.accepted 1
check "more duplicates counted than refused" [ "$(stat_of "$M" uploads.duplicate)" -le 999 ]
wait_stat "$M" translating 0
check "the raced module compiled more than once" [ "$(grep -c " $A " "$FAKE_XLATEC_LOG")" = 1 ]
expect_out ok "$FSTOOL" verify "$I/$A" "$A"

# --- readers while images are published and evicted ---------------------------
rm -f "$T/stop"
"$FSTOOL" readers "$I/$A" 6 "$T/stop" >"$T/readers.out" 2>&1 &
readers=$!
for i in $(seq 1 10); do
	# a newer, larger image of A, and another 1 MiB image pushing the store over 5M
	"$FSTOOL" map "$M/requests/$A.map" $((0x400000 + i * 64)):16 >/dev/null
	"$FSTOOL" mkelf "$T/b$i" $((40 + i)) 4096 >/dev/null
	"$FSTOOL" put "$M/requests/$(key_of "$T/b$i")" "$T/b$i" >/dev/null
	wait_for "round $i's images" bash -c "grep -q ' $(key_of "$T/b$i") ' '$FAKE_XLATEC_LOG' &&
		[ \"\$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[\"queued\"] + d[\"translating\"])' '$M/stats')\" = 0 ]"
done
touch "$T/stop"
wait "$readers"
rc=$?
cat "$T/readers.out"
check "a reader saw a partial or unreadable image (exit $rc)" [ "$rc" = 0 ]
check "readers read nothing whole" grep -q "^ok=[1-9]" "$T/readers.out"
check "readers saw fewer than two versions of the image" \
	bash -c "grep -oq 'versions=\\([2-9]\\|[1-9][0-9]\\)' '$T/readers.out'"
check "the cleaner evicted nothing" [ "$(stat_of "$M" evictions)" -gt 0 ]
check "the store is over its budget" [ "$(stat_of "$M" bytes)" -le $((6 << 20)) ]
check "the growing image compiled only once" [ "$(grep -c " $A " "$FAKE_XLATEC_LOG")" -ge 2 ]
expect_stat "$M" errors 0
fs_stop "$M"
fs_done
