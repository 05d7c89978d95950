# Shared by the share's integration tests (fs-*.sh), sourced after
#   [ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# Each test runs in private user, mount and PID namespaces (unshare -Urmpf):
# FUSE mounts and binfmt_misc registrations there touch nothing outside,
# and every process a test leaves behind dies with the namespace.
set -u

: "${top_builddir:?run me from make check}" "${top_srcdir:?run me from make check}"
XLATEFS=$top_builddir/xlatefs
CACHE_CLI=$top_builddir/xlatefs-cache
FSTOOL=$top_builddir/tests/integration/fs-tool
FAKE_XLATEC=$top_builddir/tests/integration/fake-xlatec
FAKE_XLATE=$top_builddir/tests/integration/fake-xlate.abi1
TARGET=$(uname -m)-v1

skip() {
	echo "SKIP: $*"
	exit 77
}

# Re-runs the calling test inside fresh namespaces, once. A whole test
# gets 10 minutes: a hung daemon must not hang make check. FS_NS_USER=
# (empty) keeps the caller's user namespace, for what only real root may do.
# Inside, makes the test's private directory $T.
fs_enter_namespace() {
	if [ -z "${XLATEFS_TEST_NS:-}" ]; then
		[ -c /dev/fuse ] || skip "no /dev/fuse"
		command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
		unshare -Urmpf --mount-proc true 2>/dev/null ||
			skip "user namespaces are not available (unshare -Urmpf failed)"
		XLATEFS_TEST_NS=1 exec timeout -k 10 600 unshare ${FS_NS_USER--Ur} -mpf --mount-proc \
			bash "$0" "$@"
	fi
	T=$(mktemp -d "${TMPDIR:-/tmp}/xlatefs-test-XXXXXX")
	trap 'fs_cleanup' EXIT
}

FAILURES=0 CHECKS=0
DAEMON_PID=

fs_cleanup() {
	local rc=$?
	[ -z "$DAEMON_PID" ] || kill -KILL "$DAEMON_PID" 2>/dev/null
	grep " $T/" /proc/self/mountinfo 2>/dev/null | awk '{print $5}' | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	rm -rf "$T"
	exit $rc
}

fail() {
	echo "FAIL: $*"
	FAILURES=$((FAILURES + 1))
}

# check MESSAGE COMMAND...: one assertion.
check() {
	local msg=$1
	shift
	CHECKS=$((CHECKS + 1))
	"$@" || fail "$msg"
}

# expect_out WANT COMMAND...: COMMAND prints WANT (first line).
expect_out() {
	local want=$1 got
	shift
	CHECKS=$((CHECKS + 1))
	got=$("$@" 2>&1 | head -1)
	[ "$got" = "$want" ] || fail "'$*' printed '$got', expected '$want'"
}

# Starts xlatefs in the foreground on MNT with options (one -o list per
# argument) and waits until it says it is ready on its notify pipe.
fs_start() {
	local mnt=$1 line=
	shift
	mkdir -p "$mnt"
	rm -f "$T/ready"
	mkfifo "$T/ready"
	"$XLATEFS" "$mnt" -f "$@" -o notify_fd=3 3>"$T/ready" 2>>"$T/daemon.log" &
	DAEMON_PID=$!
	read -r line <"$T/ready"
	if [ "$line" != ready ] || ! grep -q " $mnt .* - fuse.xlatefs " /proc/self/mountinfo; then
		echo "FAIL: xlatefs did not come up on $mnt; its log:"
		cat "$T/daemon.log"
		exit 1
	fi
}

# Unmounts MNT and checks the daemon exited 0 with a clean log.
fs_stop() {
	local mnt=$1 rc
	umount "$mnt" || fail "umount $mnt"
	wait "$DAEMON_PID"
	rc=$?
	DAEMON_PID=
	check "xlatefs exited $rc after umount" [ "$rc" = 0 ]
	if grep -qE "AddressSanitizer|LeakSanitizer|runtime error|ThreadSanitizer" "$T/daemon.log"; then
		fail "sanitizer report in the daemon's log"
		cat "$T/daemon.log"
	fi
}

# stat_of MNT FIELD: one counter from MNT/stats ("uploads.accepted").
stat_of() {
	python3 - "$1/stats" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for part in sys.argv[2].split("."):
    d = d[part]
print(d)
PY
}

# expect_stat MNT FIELD WANT
expect_stat() {
	local got
	got=$(stat_of "$1" "$2")
	CHECKS=$((CHECKS + 1))
	[ "$got" = "$3" ] || fail "stats $2 is $got, expected $3"
}

# wait_for DESCRIPTION COMMAND...: polls COMMAND (an asynchronous outcome,
# such as a compile job finishing) until it succeeds; fails after a minute.
wait_for() {
	local what=$1 i
	shift
	for i in $(seq 1 1200); do
		"$@" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "timed out waiting for $what"
	return 1
}

stat_is() {
	[ "$(stat_of "$1" "$2")" = "$3" ]
}

# wait_stat MNT FIELD WANT: a counter reaches WANT (requests are checked
# after close returns, when the kernel's release reaches the daemon).
wait_stat() {
	wait_for "stats $2 = $3 (it is $(stat_of "$1" "$2"))" stat_is "$@"
}

key_of() {
	"$CACHE_CLI" key "$1"
}

fs_done() {
	if [ "$FAILURES" != 0 ]; then
		echo "$FAILURES of $CHECKS checks failed; daemon log:"
		cat "$T/daemon.log" 2>/dev/null
		exit 1
	fi
	echo "all $CHECKS checks passed"
	exit 0
}
