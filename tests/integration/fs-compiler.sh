#!/bin/bash
# Compilers that fail: exit non-zero, crash, hang (with a child: the whole
# process group dies at the timeout), write garbage, nothing, an image for
# another machine, run out of their memory limit, fail once then succeed
# (retry with backoff), or do not exist. Each costs its job, never the
# daemon; a key that failed is not retried for the same coverage.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
fs_enter_namespace "$@"

M=$T/mnt S=$T/store
export FAKE_XLATEC_MODE_FILE=$T/mode FAKE_XLATEC_LOG=$T/xlatec.log FAKE_XLATEC_PIDS=$T/pids
export FAKE_XLATEC_COUNTER=$T/counter FAKE_XLATEC_FLAKY=1 FAKE_XLATEC_BIGMEM=$((256 << 20))
runs() { grep -c . "$FAKE_XLATEC_LOG" 2>/dev/null || echo 0; }
seed=20
# upload MODE: a fresh module, compiled with the compiler in MODE
upload() {
	echo "$1" >"$FAKE_XLATEC_MODE_FILE"
	seed=$((seed + 1))
	"$FSTOOL" mkelf "$T/m$seed" $seed 1024 >/dev/null
	KEY=$(key_of "$T/m$seed")
	expect_out ok "$FSTOOL" put "$M/requests/$KEY" "$T/m$seed"
}
alive() { kill -0 "$1" 2>/dev/null; }

fs_start "$M" -o "store=$S,translator=$FAKE_XLATE,compiler=$FAKE_XLATEC" \
	-o jobs=2,retries=1,retry_delay=20ms,job_timeout=1s,job_mem=64M

# every failing mode: two attempts (retries=1), then given up
failed=0
for mode in fail:exit crash:crash hang:timeout garbage:bad_output noout:bad_output \
	wrongarch:bad_output bigmem:exit; do
	upload "${mode%%:*}"
	failed=$((failed + 1))
	wait_stat "$M" failed $failed
	check "an image from a compiler in mode ${mode%%:*}" [ ! -e "$M/cache/$TARGET/$KEY" ]
	check "rosetta changed after mode ${mode%%:*}" cmp -s "$M/rosetta" "$FAKE_XLATE"
	[ "${mode%%:*}" != hang ] || read -r hang_pid hang_child <"$T/pids"
done
expect_stat "$M" jobs.exit 4
expect_stat "$M" jobs.crash 2
expect_stat "$M" jobs.timeout 2
expect_stat "$M" jobs.bad_output 6
expect_stat "$M" jobs.retries 7
expect_stat "$M" compiled 0
check "the hung compiler survived its timeout" bash -c "! kill -0 $hang_pid 2>/dev/null"
check "the hung compiler's child survived the timeout" bash -c "! kill -0 $hang_child 2>/dev/null"
check "no log of the memory limit" grep -q "exited with 3: fake-xlatec: out of memory" "$T/daemon.log"
check "no log of the crash" grep -q "killed by signal 11" "$T/daemon.log"
check "no log of the garbage" grep -q "bad compiler output: no ELF magic" "$T/daemon.log"
check "no log of the wrong machine" grep -q "bad compiler output: wrong machine" "$T/daemon.log"
check "job directories left behind" bash -c "[ -z \"\$(ls '$S/xlatefs/spool')\" ]"

# a failed key is tried again when its coverage grows, not for the same coverage
expect_out ok "$FSTOOL" map "$M/requests/$KEY.map" 0x400078:12
failed=$((failed + 1))
wait_stat "$M" failed $failed
before=$(runs)
echo ok >"$FAKE_XLATEC_MODE_FILE"
expect_out ok "$FSTOOL" map "$M/requests/$KEY.map" 0x400078:12
wait_stat "$M" maps.accepted 2
expect_out ok "$FSTOOL" map "$M/requests/$KEY.map" 0x400090:4
wait_for "the image once the coverage grew" test -e "$M/cache/$TARGET/$KEY"
expect_out ok "$FSTOOL" verify "$M/cache/$TARGET/$KEY" "$KEY"
wait_stat "$M" translating 0
check "the same coverage retried a failed key" [ "$(runs)" = $((before + 1)) ]

# fails once, then succeeds on the retry
upload flaky
wait_for "the image after a retry" test -e "$M/cache/$TARGET/$KEY"
expect_out ok "$FSTOOL" verify "$M/cache/$TARGET/$KEY" "$KEY"
expect_stat "$M" jobs.retries 9
expect_stat "$M" failed $failed
expect_stat "$M" errors 0
fs_stop "$M"

# no compiler at all: a warning at start, jobs fail (exit 127), serving goes on
fs_start "$M" -o "store=$S,translator=$FAKE_XLATE,compiler=$T/no-such-compiler,retries=0"
check "no warning about the missing compiler" grep -q "compiler $T/no-such-compiler: No such file" "$T/daemon.log"
upload ok
wait_stat "$M" failed 1
expect_stat "$M" jobs.exit 1
check "rosetta changed" cmp -s "$M/rosetta" "$FAKE_XLATE"
fs_stop "$M"
fs_done
