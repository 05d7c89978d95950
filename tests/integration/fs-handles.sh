#!/bin/bash
# File handles (FUSE_CAP_EXPORT_SUPPORT), as virtiofsd uses them to export
# an xlatefs mount: handles of rosetta, a directory and an image open the
# same bytes again; when a newer image replaces one, the daemon makes the
# kernel drop the old one's name and forget its node, and the old handle
# then resolves (a "." lookup of the forgotten node id) to ESTALE, never to
# the newer image or a partial one.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
# open_by_handle_at needs CAP_DAC_READ_SEARCH of the initial user namespace
[ "$(id -u)" = 0 ] || skip "open_by_handle_at needs real root (virtiofsd runs as root too)"
FS_NS_USER= fs_enter_namespace "$@"

M=$T/mnt S=$T/store I=$T/mnt/cache/$(uname -m)-v1
fs_start "$M" -o "store=$S,translator=$FAKE_XLATE,compiler=$FAKE_XLATEC,jobs=1,retries=0"
"$FSTOOL" mkelf "$T/mod" 9 4096 >/dev/null
K=$(key_of "$T/mod")
expect_out ok "$FSTOOL" put "$M/requests/$K" "$T/mod"
wait_for "the first image" test -e "$I/$K"
cp "$I/$K" "$T/v1"

out=$("$FSTOOL" handle-save "$M/rosetta" "$T/h.rosetta" 2>&1)
[ "$out" != "name_to_handle_at: EOPNOTSUPP" ] || fail "no file handles: export support is off"
expect_out ok "$FSTOOL" handle-open "$M" "$T/h.rosetta" "$T/rosetta"
check "rosetta through its handle differs" cmp -s "$T/rosetta" "$FAKE_XLATE"
expect_out ok "$FSTOOL" handle-save "$I/$K" "$T/h.v1"
expect_out ok "$FSTOOL" handle-open "$M" "$T/h.v1" "$T/v1.h"
check "the image through its handle differs" cmp -s "$T/v1.h" "$T/v1"
expect_out ok "$FSTOOL" handle-save "$M/requests" "$T/h.requests"
expect_out "read: EISDIR" "$FSTOOL" handle-open "$M" "$T/h.requests" "$T/dir"

# new coverage: a newer image of the module; the daemon tells the kernel to
# drop the old one's name, and with nothing holding it the kernel forgets it
expect_out ok "$FSTOOL" map "$M/requests/$K.map" 0x400078:12
wait_for "the newer image" bash -c "! cmp -s '$I/$K' '$T/v1'"
lookups=$(stat_of "$M" export_lookups)
expect_out "open_by_handle_at: ESTALE" "$FSTOOL" handle-open "$M" "$T/h.v1" "$T/stale"
check "the forgotten node was not looked up by its id" [ "$(stat_of "$M" export_lookups)" -gt "$lookups" ]
expect_out ok "$FSTOOL" handle-save "$I/$K" "$T/h.v2"
expect_out ok "$FSTOOL" handle-open "$M" "$T/h.v2" "$T/v2.h"
check "the newer image through its handle differs" cmp -s "$T/v2.h" "$I/$K"
expect_out ok "$FSTOOL" verify "$T/v2.h" "$K"
# the fixed nodes still resolve after all that
expect_out ok "$FSTOOL" handle-open "$M" "$T/h.rosetta" "$T/rosetta2"
check "rosetta through its handle differs after the republish" cmp -s "$T/rosetta2" "$FAKE_XLATE"
expect_stat "$M" errors 0
fs_stop "$M"
fs_done
