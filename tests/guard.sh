#!/bin/bash
# guard.sh — make check runs every test through this: a test still running
# after XLATE_TEST_TIMEOUT seconds (default 1200) has its processes listed
# and is killed, and fails, instead of hanging the whole run. It bounds a
# broken test; it is not a speed requirement (the slowest test takes about
# 3 minutes on a loaded 2-core machine).
#   guard.sh COMMAND ARGS...
limit=${XLATE_TEST_TIMEOUT:-1200}
set -m # the test and the watchdog each get a process group of their own
"$@" &
test_pid=$!
(
	sleep "$limit"
	echo "guard.sh: '$*' still running after $limit s (XLATE_TEST_TIMEOUT): killed"
	ps -eo pid,pgid,stat,wchan:24,etime,args --forest | awk -v g="$test_pid" 'NR == 1 || $2 == g'
	kill -TERM -- "-$test_pid"
	sleep 30
	kill -KILL -- "-$test_pid" 2>/dev/null
) &
watchdog=$!
wait "$test_pid"
rc=$?
kill -- "-$watchdog" 2>/dev/null
exit "$rc"
