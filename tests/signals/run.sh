#!/bin/bash
# run.sh — the signal test programs, natively (the oracle) and under each
# translator: stdout and exit status must match. victim is signalled from
# this (native) shell.
#   run.sh BUILDDIR   (make check passes top_builddir and QEMU_AARCH64)
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

prefix() {
	case $1 in
	native) ;;
	xlate) echo "$top_builddir/xlate" ;;
	a64) echo "$QEMU_AARCH64 $top_builddir/xlate-aarch64" ;;
	esac
}

# run_plain MODE PROG: stdout and the exit status into $work/PROG.MODE
run_plain() {
	local out=$work/$2.$1
	# shellcheck disable=SC2046
	(cd "$work" && exec $(prefix "$1") "$dir/$2") >"$out" 2>"$out.err"
	echo "exit status $?" >>"$out"
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
	wait "$pid"
	echo "exit status $?" >>"$out"
}

fail=0
for prog in segv traps alarm restart altstack storm death threads victim; do
	runner=run_plain
	[ $prog = victim ] && runner=run_victim
	$runner native $prog
	for m in $modes; do
		$runner "$m" $prog
		if cmp -s "$work/$prog.native" "$work/$prog.$m"; then
			echo "PASS: $prog ($m)"
		else
			echo "FAIL: $prog ($m)"
			diff "$work/$prog.native" "$work/$prog.$m" | head -20
			head -5 "$work/$prog.$m.err"
			fail=1
		fi
	done
done
exit $fail
