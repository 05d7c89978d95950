#!/bin/bash
# run.sh — the signal test programs, natively (the oracle) and under each
# translator: stdout and exit status must match. victim is signalled from
# this (native) shell.
#   run.sh BUILDDIR   (make check passes top_builddir and QEMU_AARCH64)
# XLATE_SIGNALS_PYTHON=1 adds CPython's own signal suite under xlate
# (python3 -m test test_signal; about 5 minutes, 40 s natively).
set -u
top_builddir=$(cd "${1:-${top_builddir:-.}}" && pwd)
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

# The aarch64 number of the call a program may find missing under qemu
# (the runtime's own start makes others qemu does not know, rseq).
declare -A qemu_may_lack=([pwait2]=441) # epoll_pwait2

# qemu_lacks PROG: under qemu-aarch64's system call trace (on stderr), the
# run of PROG makes that call and qemu does not know it.
qemu_lacks() {
	local nr=${qemu_may_lack[$1]:-}
	[ -n "$nr" ] || return 1
	# shellcheck disable=SC2046
	(cd "$work" && QEMU_STRACE=1 exec $(prefix a64) "$dir/$1") 2>&1 >/dev/null |
		grep -q "Unknown syscall $nr\$"
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
		# Exit status 77 under qemu-aarch64 only, when the emulator
		# lacks the system call tested (qemu 7.2 has no epoll_pwait2)
		# and says so in its trace: an ENOSYS of xlate-aarch64's own
		# would not be a skip.
		if [ "$m" = a64 ] && [ "$(tail -1 "$work/$prog.$m")" = "exit status 77" ] &&
			[ "$(tail -1 "$work/$prog.native")" != "exit status 77" ] &&
			qemu_lacks "$prog"; then
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
