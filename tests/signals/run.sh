#!/bin/bash
# run.sh — the signal test programs, natively (the oracle) and under each
# translator: stdout and exit status must match. victim is signalled from
# this (native) shell.
#   run.sh BUILDDIR   (make check passes top_builddir and QEMU_AARCH64)
# XLATE_SIGNALS_PYTHON=1 adds CPython's own signal suite under xlate
# (python3 -m test test_signal; about 5 minutes, 40 s natively).
set -u
top_builddir=${1:-${top_builddir:-.}}
dir=$top_builddir/tests/signals
if [ "$(uname -m)" != x86_64 ]; then
	echo "SKIP: native x86-64 execution (the oracle) needs an x86-64 host"
	exit 77
fi
if [ ! -x "$top_builddir/xlate" ]; then
	echo "FAIL: $top_builddir/xlate was not built"
	exit 1
fi
modes="xlate"
if [ -n "${QEMU_AARCH64:-}" ] && [ -x "$top_builddir/xlate-aarch64" ]; then
	modes="$modes a64"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/xlate-signals.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Every run starts from clean-slate: no signal blocked or ignored.
prefix() {
	case $1 in
	native) echo "$dir/clean-slate" ;;
	xlate) echo "$dir/clean-slate $top_builddir/xlate" ;;
	a64) echo "$dir/clean-slate $QEMU_AARCH64 $top_builddir/xlate-aarch64" ;;
	esac
}

# run_plain MODE PROG: stdout and the exit status into $work/PROG.MODE
run_plain() {
	local out=$work/$2.$1
	# shellcheck disable=SC2046
	(cd "$work" && exec $(prefix "$1") "$dir/$2") >"$out" 2>"$out.err"
	echo "exit status $?" >>"$out"
}

# running PID: the process exists and is not a zombie.
running() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# run_victim MODE: a native shell signals the program as it waits.
run_victim() {
	local out=$work/victim.$1 pid i
	# shellcheck disable=SC2046
	$(prefix "$1") "$dir/victim" >"$out" 2>"$out.err" &
	pid=$!
	for i in $(seq 200); do grep -q ready "$out" && break; sleep 0.05; done
	kill -USR1 "$pid"
	for i in $(seq 200); do grep -q got "$out" && break; sleep 0.05; done
	kill -TERM "$pid"
	# A victim that outlives its SIGTERM is a failure, not a hang.
	for i in $(seq 200); do running "$pid" || break; sleep 0.05; done
	if running "$pid"; then
		kill -KILL "$pid"
		echo "still alive 10 s after SIGTERM" >>"$out"
	fi
	wait "$pid"
	echo "exit status $?" >>"$out"
}

fail=0
for prog in segv traps masks alarm restart altstack storm death threads victim wakeup pwait \
	pwait2; do
	runner=run_plain
	[ $prog = victim ] && runner=run_victim
	$runner native $prog
	for m in $modes; do
		$runner "$m" $prog
		# Exit status 77 under qemu-aarch64 only: the emulator lacks
		# the system call tested (qemu 7.2 has no epoll_pwait2), and
		# the program said so. xlate passes calls through natively.
		if [ "$m" = a64 ] && [ "$(tail -1 "$work/$prog.$m")" = "exit status 77" ] &&
			[ "$(tail -1 "$work/$prog.native")" != "exit status 77" ]; then
			echo "SKIP: $prog ($m): $(head -1 "$work/$prog.$m")"
		elif cmp -s "$work/$prog.native" "$work/$prog.$m"; then
			echo "PASS: $prog ($m)"
		else
			echo "FAIL: $prog ($m)"
			diff "$work/$prog.native" "$work/$prog.$m" | head -20
			head -5 "$work/$prog.$m.err"
			fail=1
		fi
	done
done
if [ -n "${XLATE_SIGNALS_PYTHON:-}" ]; then
	if (cd "$work" && "$top_builddir/xlate" /usr/bin/python3 -m test test_signal) \
		>"$work/python.out" 2>&1; then
		echo "PASS: python3 -m test test_signal (xlate)"
	else
		echo "FAIL: python3 -m test test_signal (xlate)"
		tail -30 "$work/python.out"
		fail=1
	fi
fi
exit $fail
