#!/bin/bash
# A full store disk (a small private tmpfs): storing an upload fails, a
# compile's publish fails and is retried, uploads spooled on a full disk fail
# while written; the daemon counts each, keeps serving, and recovers once
# there is room again.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
fs_enter_namespace "$@"

M=$T/mnt D=$T/small
S=$D/store
mkdir -p "$D"
mount -t tmpfs -o size=2m tmpfs "$D" || skip "cannot mount a tmpfs in a user namespace"
fill() { dd if=/dev/zero of="$D/fill" bs=16k 2>/dev/null; sync; }
unfill() { rm -f "$D/fill"; }
export FAKE_XLATEC_GATE=$T/gate FAKE_XLATEC_PAD=$((256 << 10))
mkfifo "$T/gate"

fs_start "$M" -o "store=$S,state=$T/state,spool=$T/spool" \
	-o "translator=$FAKE_XLATE,compiler=$FAKE_XLATEC,retry_delay=50ms,retries=5"

# storing the source fails: the upload is dropped and counted
"$FSTOOL" mkelf "$T/a" 51 200000 >/dev/null
A=$(key_of "$T/a")
fill
expect_out ok "$FSTOOL" put "$M/requests/$A" "$T/a"
wait_stat "$M" uploads.rejected_store 1
check "rosetta changed" cmp -s "$M/rosetta" "$FAKE_XLATE"
check "the store left temp files on the full disk" \
	bash -c "[ -z \"\$(find '$S/v1' -name '.tmp-*')\" ]"

# room again: stored; then the disk fills while it compiles
unfill
expect_out ok "$FSTOOL" put "$M/requests/$A" "$T/a"
wait_stat "$M" uploads.accepted 1
fill
echo go >"$T/gate"
wait_stat "$M" jobs.store_error 1
check "an image on a full disk" [ ! -e "$M/cache/$TARGET/$A" ]
check "rosetta changed" cmp -s "$M/rosetta" "$FAKE_XLATE"
unfill
echo go >"$T/gate"
wait_for "the image after the disk had room again" test -e "$M/cache/$TARGET/$A"
expect_out ok "$FSTOOL" verify "$M/cache/$TARGET/$A" "$A"
expect_stat "$M" failed 0
expect_stat "$M" errors 0
fs_stop "$M"

# uploads spooled on the full disk fail while they are written
fs_start "$M" -o "store=$S,state=$T/state,spool=$D/spool" \
	-o "translator=$FAKE_XLATE,compiler=$FAKE_XLATEC"
"$FSTOOL" mkelf "$T/b" 52 400000 >/dev/null
fill
expect_out "write: ENOSPC" "$FSTOOL" put "$M/requests/$(key_of "$T/b")" "$T/b"
wait_stat "$M" uploads.rejected_store 1
check "the image stored before is unreadable" cmp -s "$M/cache/$TARGET/$A" \
	<("$CACHE_CLI" --store "$S" get "$TARGET" "$A")
unfill
expect_out ok "$FSTOOL" put "$M/requests/$(key_of "$T/b")" "$T/b"
wait_stat "$M" uploads.accepted 1
echo go >"$T/gate"
wait_for "the image of the second module" test -e "$M/cache/$TARGET/$(key_of "$T/b")"
fs_stop "$M"
fs_done
