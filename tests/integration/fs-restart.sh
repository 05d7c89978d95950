#!/bin/bash
# A daemon that dies loses nothing. Killed (SIGKILL) with a compile running,
# one queued, a code map merged and an upload half written: its compiler dies
# with it, the next daemon sweeps the spool, compiles both modules with the
# merged map, and the half upload was never stored (so it is not refused as a
# duplicate: sent again whole, it is accepted). Unmounted with a compile
# running: the next daemon runs it again.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
fs_enter_namespace "$@"

M=$T/mnt S=$T/store
SPOOL=$S/xlatefs/spool PENDING=$S/xlatefs/pending I=$M/cache/$TARGET
export FAKE_XLATEC_LOG=$T/xlatec.log
mkfifo "$T/gate"
start() {
	fs_start "$M" -o "store=$S,translator=$FAKE_XLATE,compiler=$FAKE_XLATEC,jobs=1,retries=0"
}
compiled_with() { grep -q "^ok $TARGET $1 $2$" "$FAKE_XLATEC_LOG"; }
no_compiler() { ! pgrep -f fake-xlatec >/dev/null; }
seed=60
for m in a b c d; do "$FSTOOL" mkelf "$T/$m" $((++seed)) 65536 >/dev/null; done
A=$(key_of "$T/a") B=$(key_of "$T/b") C=$(key_of "$T/c") D=$(key_of "$T/d")

# --- killed -----------------------------------------------------------------
FAKE_XLATEC_GATE=$T/gate start
expect_out ok "$FSTOOL" map "$M/requests/$A.map" 0x400078:12
wait_stat "$M" maps.accepted 1
expect_out ok "$FSTOOL" put "$M/requests/$A" "$T/a"
wait_for "the compile of A" compiled_with "$A" 12
expect_out ok "$FSTOOL" put "$M/requests/$B" "$T/b"
wait_stat "$M" queued 1
exec 5>"$M/requests/$C"
head -c 1000 "$T/c" >&5
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
exec 5>&- 2>/dev/null
umount -l "$M"
wait_for "the compiler to die with the daemon" no_compiler
check "the killed daemon left no job directory (nothing to sweep)" \
	bash -c "ls -d '$SPOOL'/job-* >/dev/null 2>&1"
expect_out "$(printf '%s\n' "$A" "$B" | sort | xargs)" bash -c "ls '$PENDING' | xargs"

start
wait_for "A's image after the restart" test -e "$I/$A"
wait_for "B's image after the restart" test -e "$I/$B"
expect_out ok "$FSTOOL" verify "$I/$A" "$A"
expect_out ok "$FSTOOL" verify "$I/$B" "$B"
check "A was not compiled again with its merged map" \
	[ "$(grep -c "^ok $TARGET $A 12$" "$FAKE_XLATEC_LOG")" = 2 ]
wait_stat "$M" translating 0
check "the spool still holds a killed daemon's job" \
	bash -c "! ls -d '$SPOOL'/job-* >/dev/null 2>&1"
expect_out "" ls "$PENDING"
check "the half upload was stored" bash -c "! '$CACHE_CLI' --store '$S' get sources '$C' -o /dev/null 2>/dev/null"
expect_out ok "$FSTOOL" put "$M/requests/$C" "$T/c"
wait_for "C's image" test -e "$I/$C"
expect_out ok "$FSTOOL" verify "$I/$C" "$C"
expect_stat "$M" errors 0
fs_stop "$M"

# --- unmounted with a compile running -----------------------------------------
FAKE_XLATEC_GATE=$T/gate start
expect_out ok "$FSTOOL" put "$M/requests/$D" "$T/d"
wait_for "the compile of D" compiled_with "$D" 0
fs_stop "$M"
check "the stopped daemon left its compiler running" no_compiler
expect_out "$D" ls "$PENDING"
start
wait_for "D's image after the restart" test -e "$I/$D"
expect_out ok "$FSTOOL" verify "$I/$D" "$D"
wait_stat "$M" translating 0
expect_out "" ls "$PENDING"
expect_stat "$M" errors 0
fs_stop "$M"
fs_done
