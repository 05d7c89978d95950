#!/bin/bash
# jobs.sh — job control in a script (set -m): process groups, stop and
# continue, %job specs, CHLD traps, disown, children killed by
# signals. Bash's asynchronous job notices ("[1]+ Terminated ...") come
# whenever it reaps: the case deletes them; every line here is determinate.

# state PID = | state PID != : polls ps, a bounded number of times, until
# the process is stopped (=) or no longer stopped (!=). Only the state
# letter counts: the flags after it say how the test runs (N under nice,
# l for qemu-user's own thread in an aarch64 process).
state() {
	local i s
	for i in $(seq 200); do
		s=$(ps -o stat= -p "$1")
		[ "${s:0:1}" "$2" T ] && return
		sleep 0.05
	done
}
set -m
sleep 30 &
p=$!
jobs -l | sed -E "s/ +$p / PID /; s/^/jobs: /"
[ "$(ps -o pgid= -p "$p" | tr -d ' ')" = "$p" ] && echo "own process group"
kill -STOP %1
state "$p" =
s=$(ps -o stat= -p "$p")
echo "stopped: ${s:0:1}"
jobs -s | sed 's/ *$//; s/^/stopped jobs: /'
kill -CONT %1
state "$p" !=
jobs -r | sed 's/ *$//; s/^/running jobs: /'
kill %1
wait "$p"
echo "wait after kill: $?"
# Not wait -n: bash 5.2 forgets a job that ended before `wait -n` began
# (it returns 127), so its result depends on timing, natively too.
n=0
trap 'n=$((n + 1))' CHLD
(exit 1) &
wait
trap - CHLD
echo "CHLD traps: $n"
sleep 10 &
d=$!
disown "$d"
echo "jobs after disown: $(jobs | wc -l)"
kill "$d"
bash -c 'kill -TERM $$'
echo "child killed by TERM: $?"
bash -c 'kill -SEGV $$'
echo "child killed by SEGV: $?"
timeout -s INT 0.2 sleep 5
echo "timeout: $?"
bash -c 'kill -INT $$; echo not reached' &
wait $!
echo "job control, INT: $?"
# Without job control an asynchronous command ignores SIGINT, and keeps
# ignoring it through exec.
set +m
bash -c 'kill -INT $$; echo "asynchronous command survived INT"' &
wait $!
echo "no job control: $?"
