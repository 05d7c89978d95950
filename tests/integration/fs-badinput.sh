#!/bin/bash
# What a guest can send that is wrong: a wrong hash, a truncated upload, a
# non-ELF, an ELF for another machine or with headers out of bounds, an
# oversized upload, garbage code maps, too many requests at once, too many
# per second, bad names. Each is refused or dropped, counted, and the daemon
# keeps serving correct data.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
fs_enter_namespace "$@"

M=$T/mnt S=$T/store
R=$M/requests
patch_byte() { printf "\\x$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# still_serving: rosetta and a verified image read back right
still_serving() {
	check "rosetta changed" cmp -s "$M/rosetta" "$FAKE_XLATE"
	check "the good image changed" cmp -s "$M/cache/$TARGET/$KG" "$T/good.img"
}

"$FSTOOL" mkelf "$T/good" 1 >/dev/null
KG=$(key_of "$T/good")
"$FAKE_XLATEC" --target "$TARGET" -o "$T/good.img" "$T/good"
"$CACHE_CLI" --store "$S" put "$TARGET" "$T/good.img" --key "$KG" >/dev/null

fs_start "$M" -o "store=$S,translator=$FAKE_XLATE,compiler=$FAKE_XLATEC" \
	-o max_upload=64k,max_map=1k,map_records=4,max_pending=4,max_rate=0

# --- uploads -------------------------------------------------------------
"$FSTOOL" mkelf "$T/m1" 11 2048 >/dev/null
"$FSTOOL" mkelf "$T/m2" 12 2048 >/dev/null
K1=$(key_of "$T/m1")

# a wrong hash: m2's bytes under m1's name
expect_out ok "$FSTOOL" put "$R/$K1" "$T/m2"
wait_stat "$M" uploads.rejected_hash 1
# a truncated upload: the first 100 bytes
expect_out ok "$FSTOOL" put "$R/$K1" "$T/m1" 100
wait_stat "$M" uploads.rejected_hash 2
check "a bad upload was stored" bash -c "! '$CACHE_CLI' --store '$S' get sources $K1 >/dev/null 2>&1"

# not an x86-64 module, each with its true hash as name
head -c 5000 /dev/urandom >"$T/noise"
cp "$T/m2" "$T/arm"; patch_byte "$T/arm" 18 b7		# e_machine EM_AARCH64
cp "$T/m2" "$T/oob"; patch_byte "$T/oob" 39 7f		# e_phoff far past the end
cp "$T/m2" "$T/rel"; patch_byte "$T/rel" 16 01		# e_type ET_REL
for f in noise arm oob rel; do
	expect_out ok "$FSTOOL" put "$R/$(key_of "$T/$f")" "$T/$f"
done
wait_stat "$M" uploads.rejected_elf 4

# too large: the write fails with EFBIG, the upload is dropped
"$FSTOOL" mkelf "$T/big" 13 100000 >/dev/null
expect_out "write: EFBIG" "$FSTOOL" put "$R/$(key_of "$T/big")" "$T/big"
wait_stat "$M" uploads.rejected_size 1

# bad names, and nothing but creating
expect_out "Operation not permitted" bash -c "(: >'$R/foo') 2>&1 | sed 's/.*: //'"
expect_out "Operation not permitted" bash -c "(: >'$R/${K1}.mapx') 2>&1 | sed 's/.*: //'"
expect_out "Operation not permitted" bash -c "(: >'$R/${K1^^}') 2>&1 | sed 's/.*: //'"
expect_out "Operation not permitted" bash -c "ln -s x '$R/$K1' 2>&1 | sed 's/.*: //'"

# more uploads in flight than max_pending=4: EDQUOT; the four held ones are empty
exec 5>"$R/$(key_of "$T/m1")" 6>"$R/$(key_of "$T/m2")" 7>"$R/$(key_of "$T/noise")" \
	8>"$R/$(key_of "$T/arm")"
expect_out "open: EDQUOT" "$FSTOOL" put "$R/$(key_of "$T/oob")" "$T/oob"
expect_stat "$M" uploads.rejected_quota 1
exec 5>&- 6>&- 7>&- 8>&-
wait_stat "$M" uploads.rejected_hash 6
still_serving

# --- code maps --------------------------------------------------------------
M1=$R/$K1.map
printf 'XLMP\001\000\010\000' >"$T/hdr"
raw() { expect_out ok "$FSTOOL" raw "$M1" "$1"; }
head -c 100 /dev/urandom >"$T/g1"
printf 'XLMP\001\000\020\000AAAABBBBCCCCDDDD' >"$T/g2"			# record size 16
{ cat "$T/hdr"; printf '\x78\x00\x40\x00\x00\x00\x00\x00'; } >"$T/g3"	# length 0
printf 'XLMP\002\000\010\000\x78\x00\x40\x00\x04\x00\x00\x00' >"$T/g4"	# version 2
{ cat "$T/hdr"; printf 'abcdefghijkl'; } >"$T/g5"			# 1.5 records
: >"$T/g6"								# nothing
printf 'PMLX\001\000\010\000\x78\x00\x40\x00\x04\x00\x00\x00' >"$T/g7"	# magic
{ cat "$T/hdr"; printf '\xf0\xff\xff\xff\x11\x00\x00\x00'; } >"$T/g8"	# past 2^32 (found by fuzzing)
for g in g1 g2 g3 g4 g5 g6 g7 g8; do raw "$T/$g"; done
wait_stat "$M" maps.rejected_format 8
expect_stat "$M" maps.accepted 0

# one submission over max_map=1k: EFBIG while writing
ranges=$(for i in $(seq 0 199); do printf '%d:4 ' $((0x400000 + i * 16)); done)
# shellcheck disable=SC2086
expect_out "write: EFBIG" "$FSTOOL" map "$M1" $ranges
wait_stat "$M" maps.rejected_size 1

# the key's merged map holds map_records=4 ranges: one more is dropped, then EDQUOT
expect_out ok "$FSTOOL" map "$M1" 0x1000:4 0x2000:4 0x3000:4 0x1002:8
wait_stat "$M" maps.accepted 1
expect_out ok "$FSTOOL" map "$M1" 0x5000:4 0x6000:4
wait_stat "$M" maps.rejected_quota 1
expect_out ok "$FSTOOL" map "$M1" 0x4000:4
wait_stat "$M" maps.accepted 2
expect_out "open: EDQUOT" "$FSTOOL" map "$M1" 0x7000:4
expect_stat "$M" maps.rejected_quota 2
still_serving

# --- and still working ------------------------------------------------------
expect_out ok "$FSTOOL" put "$R/$K1" "$T/m1"
wait_for "the image of a good upload" test -e "$M/cache/$TARGET/$K1"
expect_out ok "$FSTOOL" verify "$M/cache/$TARGET/$K1" "$K1"
expect_stat "$M" uploads.accepted 1
expect_stat "$M" errors 0
fs_stop "$M"

# --- rate and spool limits ---------------------------------------------------
fs_start "$M" -o "store=$S,translator=$FAKE_XLATE,compiler=$FAKE_XLATEC" \
	-o max_rate=5,max_spool=32k,max_upload=64k
t0=$(date +%s%N)
for i in $(seq 1 40); do
	"$FSTOOL" put "$R/$(printf '%032x' "$i")" "$T/noise"
done >"$T/rate.out"
ms=$((($(date +%s%N) - t0) / 1000000))
again=$(grep -c "EAGAIN" "$T/rate.out") created=$(grep -c -v "EAGAIN" "$T/rate.out")
# a bucket of 5 refilled at 5 per second: however slow the machine
allowed=$((5 + 5 * ms / 1000 + 1))
check "40 creates at max_rate=5 in $ms ms: $created passed, at most $allowed may" \
	[ "$created" -le "$allowed" ]
[ "$ms" -ge 6000 ] || check "40 creates at max_rate=5 in $ms ms: none refused" [ "$again" -ge 1 ]
wait_stat "$M" uploads.rejected_rate "$again"
"$FSTOOL" mkelf "$T/big2" 14 40000 >/dev/null
# spool: 40000 bytes in flight over max_spool=32k (after the bucket refilled)
wait_for "the rate bucket to refill" bash -c "'$FSTOOL' put '$R/$(key_of "$T/big2")' '$T/big2' | grep -q EDQUOT"
wait_stat "$M" uploads.rejected_quota 1
still_serving
expect_stat "$M" errors 0
fs_stop "$M"
fs_done
