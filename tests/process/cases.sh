# cases.sh — the process-model cases (sourced by tests/guest/run.sh -c).
#   t TIERS NAME [-i STDIN] [-f SED] [-x] PROGRAM ARGS...
# Under xlate — fast: make check; full: make check-process-full (with
# CPython's own threading, signal, subprocess, thread and queue tests,
# which the acceptance asks of the x86-64 host only). Under the aarch64
# translator in qemu-aarch64 — a64: make check, for a case of at most a
# few seconds of CPU there (all of them: about 11 s, measured on 2 busy
# cores under nice); a64-full: make check-process-full, for the rest
# (compilers and python: 2 to 54 s each, 100 s together). -x: the case
# executes other x86-64 programs (run.sh gives mode a64 a binfmt_misc
# entry for that).
# What qemu-user does to every aarch64 program, not only to ours: it has
# no robust futex lists (ENOSYS); it runs a host thread of its own (ps
# shows l); it runs a vfork as a fork, refuses a fork-like clone without
# SIGCHLD and asserts in a fork of a threaded process (forktree.c,
# pthreads.c); and when a process dies of a signal it prints a line of
# its own first, on the stderr the guest had (`qemu_signal` deletes it).
# Each was checked by running a static aarch64 build of the same calls
# under qemu-aarch64.
p=$top_builddir/tests/process
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
qemu_signal='/^qemu: uncaught target signal [0-9]+ \([^)]*\) - (core dumped|no core)$/d'

t fast atomics "$p/atomics" 4 20000 2000
t a64 atomics-a64 "$p/atomics" 3 2000 300
t fast pthreads "$p/pthreads"
t a64 pthreads-a64 "$p/pthreads" qemu
t fast futex "$p/futex"
t a64 futex-a64 "$p/futex" no-robust
t fast forktree "$p/forktree"
t a64 forktree-a64 -x -f "$qemu_signal" "$p/forktree" qemu
t fast,a64 ctx "$p/ctx"
t fast,a64 unwind "$p/unwind"

# Shells: every command they run is exec'd, so through the translator again.
t fast,a64 bash-pipes -x /bin/bash -c \
	'seq 1 2000 | grep 7 | sort -r | head -5 | tr 7 x; echo "${PIPESTATUS[@]}"; ls tree | wc -l'
t fast,a64 bash-subshells -x /bin/bash -c \
	'x=$(echo a; (echo b; exit 3); echo "st $?"); echo "$x"; (cd tree && basename "$(pwd)");
	 echo $((2**40)) $(( $(wc -l <nums.txt) * 2 )); f() { return 7; }; f; echo $?;
	 y=$( (exit 9) ); echo "sub $?"; echo "$(echo "$(echo nested)")"'
t fast,a64 bash-traps /bin/bash -c \
	'trap "echo bye \$?" EXIT; false; (trap "echo in sub" EXIT; exit 2); echo "sub=$?";
	 f() { trap "echo fn-return" RETURN; return 1; }; f; exit 4'
t fast,a64 bash-jobs -x /bin/bash -c \
	'(exit 7) & wait $!; echo "bg $?"; sleep 30 & k=$!; kill -TERM $k; wait $k; echo "killed $?";
	 (exit 3) & (exit 5) & wait; echo all; { echo out; echo err >&2; } 2>&1 | cat;
	 set -o pipefail; false | true; echo "pipefail $?"'
t fast,a64 shebang -x -f 's|/[^ ]*/s\.sh|DIR/s.sh|' /bin/bash -c \
	'printf "#!/bin/sh -e\necho \"script \$0 \$1\"\nexit 6\n" >s.sh; chmod +x s.sh; ./s.sh one; echo "status $?";
	 printf "#!/usr/bin/env perl\nprint qq(perl via env @ARGV\\n);\n" >p.pl; chmod +x p.pl; ./p.pl a b;
	 exec ./s.sh two'
t fast,a64 make -x /bin/bash -c \
	'printf "all: b.txt\n\t@echo done\na.out:\n\techo building > a.out\nb.txt: a.out\n\tcat a.out a.out > b.txt\nbad:\n\tnosuchcommand-xyz\n.PHONY: all bad\n" >Makefile;
	 make; make; make bad; echo "make bad: $?"; make -n clean 2>&1; echo "$?"'
t fast,a64-full gcc-c -x /bin/bash -c \
	'printf "#include <stdio.h>\nint main(void) { printf(\"%%d\\\\n\", 6 * 7); return 0; }\n" >t.c;
	 gcc -O2 -o t t.c && ./t; echo "gcc $?"'
t full,a64-full g++ -x /bin/bash -c \
	'printf "#include <iostream>\n#include <stdexcept>\n#include <vector>\n" >t.cc;
	 printf "static int down(int n) { if (!n) throw std::runtime_error(\"bottom\"); return down(n - 1) + 1; }\n" >>t.cc;
	 printf "int main() { std::vector<int> v{3, 1, 2}; for (int x : v) std::cout << x * 2 << std::endl;\n" >>t.cc;
	 printf "try { down(4); } catch (const std::exception &e) { std::cout << e.what() << std::endl; } }\n" >>t.cc;
	 g++ -O1 -o tpp t.cc && ./tpp; echo "g++ $?"'
# Scripts, not -c strings: job control (set -m) and traps. Bash reports
# a background job's end asynchronously, and a killed child with its pid.
t fast,a64 bash-job-control -x -f 's/^(.*: line [0-9]+:) +[0-9]+ /\1 PID /; /^\[[0-9]+\][-+ ] /d; '"$qemu_signal" \
	/bin/bash "$src/jobs.sh"
t fast,a64 bash-script-traps /bin/bash "$src/traps.sh"
t full,a64-full gcc-direct -x /usr/bin/gcc -O2 -Wall -o ctx "$src/ctx.c"
t full,a64 bash-signal-trap /bin/bash -c \
	'trap "echo got USR1" USR1; kill -USR1 $$; echo after; trap "echo term; exit 3" TERM; kill $$; echo not-reached'
t full,a64-full python-threads /usr/bin/python3 -c \
	'import threading, queue
q = queue.Queue(); total = [0]; lock = threading.Lock()
def work(n):
    for i in range(n):
        with lock: total[0] += i
    q.put(n)
ts = [threading.Thread(target=work, args=(2000 + k,)) for k in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
print(total[0], sorted(q.get() for _ in ts))'
t full,a64-full python-mp -f "$qemu_signal" /usr/bin/python3 "$src/py-mp.py"
t full,a64-full python-subprocess -x /usr/bin/python3 "$src/py-subprocess.py"
t full,a64-full python-signals /usr/bin/python3 "$src/py-signals.py"
t full,a64-full python-faulthandler -x -f "$qemu_signal" /usr/bin/python3 "$src/py-faulthandler.py"

# CPython's own tests (libpython3.11-testsuite), one module or two a case.
# Only what cannot vary between two good runs is compared: the per-module
# totals, the skipped tests with their reasons, and any failure's name.
regrtest='/^Ran [0-9]+ tests|^(OK|FAILED)( \(.*\))?$|^== Tests result|^(FAIL|ERROR): |'
regrtest+=' \.\.\. (skipped .*|FAIL|ERROR|expected failure|unexpected success)$/!d'
regrtest+='; s/^(Ran [0-9]+ tests) in .*/\1/'
t full cpython-threading -f "$regrtest" /usr/bin/python3 -m test -v test_threading
t full cpython-signal -f "$regrtest" /usr/bin/python3 -m test -v test_signal
t full cpython-subprocess -f "$regrtest" /usr/bin/python3 -m test -v test_subprocess
t full cpython-thread-queue -f "$regrtest" /usr/bin/python3 -m test -v test_thread test_queue
