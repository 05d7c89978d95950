# cases.sh — the process-model cases (sourced by tests/guest/run.sh -c).
#   t TIERS NAME [-i STDIN] [-f SED] PROGRAM ARGS...
# fast: make check; full: make check-process-full; a64: under the
# aarch64 translator in qemu-aarch64. qemu-user has no robust futex lists
# (ENOSYS) and cannot exec an aarch64 program without a binfmt entry, so
# the a64 set leaves those out (tests/guest/binfmt.sh covers exec there);
# it reports a child's death by SIGABRT or SIGSEGV on stderr itself.
p=$top_builddir/tests/process
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

t fast atomics "$p/atomics" 4 20000 2000
t a64 atomics-a64 "$p/atomics" 3 2000 300
t fast pthreads "$p/pthreads"
t a64 pthreads-a64 "$p/pthreads" qemu
t fast futex "$p/futex"
t a64 futex-a64 "$p/futex" no-robust
t fast forktree "$p/forktree"
t a64 forktree-a64 -f '/^qemu: uncaught target signal/d' "$p/forktree" no-exec
t fast,a64 ctx "$p/ctx"
t fast,a64 unwind "$p/unwind"

# Shells: every command they run is exec'd, so through the translator again.
t fast bash-pipes /bin/bash -c \
	'seq 1 2000 | grep 7 | sort -r | head -5 | tr 7 x; echo "${PIPESTATUS[@]}"; ls tree | wc -l'
t fast bash-subshells /bin/bash -c \
	'x=$(echo a; (echo b; exit 3); echo "st $?"); echo "$x"; (cd tree && basename "$(pwd)");
	 echo $((2**40)) $(( $(wc -l <nums.txt) * 2 )); f() { return 7; }; f; echo $?;
	 y=$( (exit 9) ); echo "sub $?"; echo "$(echo "$(echo nested)")"'
t fast bash-traps /bin/bash -c \
	'trap "echo bye \$?" EXIT; false; (trap "echo in sub" EXIT; exit 2); echo "sub=$?";
	 f() { trap "echo fn-return" RETURN; return 1; }; f; exit 4'
t fast bash-jobs /bin/bash -c \
	'(exit 7) & wait $!; echo "bg $?"; sleep 30 & k=$!; kill -TERM $k; wait $k; echo "killed $?";
	 (exit 3) & (exit 5) & wait; echo all; { echo out; echo err >&2; } 2>&1 | cat;
	 set -o pipefail; false | true; echo "pipefail $?"'
t fast shebang -f 's|/[^ ]*/s\.sh|DIR/s.sh|' /bin/bash -c \
	'printf "#!/bin/sh -e\necho \"script \$0 \$1\"\nexit 6\n" >s.sh; chmod +x s.sh; ./s.sh one; echo "status $?";
	 printf "#!/usr/bin/env perl\nprint qq(perl via env @ARGV\\n);\n" >p.pl; chmod +x p.pl; ./p.pl a b;
	 exec ./s.sh two'
t fast make /bin/bash -c \
	'printf "all: b.txt\n\t@echo done\na.out:\n\techo building > a.out\nb.txt: a.out\n\tcat a.out a.out > b.txt\nbad:\n\tnosuchcommand-xyz\n.PHONY: all bad\n" >Makefile;
	 make; make; make bad; echo "make bad: $?"; make -n clean 2>&1; echo "$?"'
t fast gcc-c /bin/bash -c \
	'printf "#include <stdio.h>\nint main(void) { printf(\"%%d\\\\n\", 6 * 7); return 0; }\n" >t.c;
	 gcc -O2 -o t t.c && ./t; echo "gcc $?"'
t full g++ /bin/bash -c \
	'printf "#include <iostream>\n#include <vector>\nint main() { std::vector<int> v{3, 1, 2}; for (int x : v) std::cout << x * 2 << std::endl; }\n" >t.cc;
	 g++ -O1 -o tpp t.cc && ./tpp; echo "g++ $?"'
t full gcc-direct /usr/bin/gcc -O2 -Wall -o ctx "$src/ctx.c"
t full bash-signal-trap /bin/bash -c \
	'trap "echo got USR1" USR1; kill -USR1 $$; echo after; trap "echo term; exit 3" TERM; kill $$; echo not-reached'
t full python-threads /usr/bin/python3 -c \
	'import threading, queue
q = queue.Queue(); total = [0]; lock = threading.Lock()
def work(n):
    for i in range(n):
        with lock: total[0] += i
    q.put(n)
ts = [threading.Thread(target=work, args=(2000 + k,)) for k in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
print(total[0], sorted(q.get() for _ in ts))'
t full python-mp /usr/bin/python3 -c \
	'import multiprocessing as mp
if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(3) as p: print(p.map(abs, range(-5, 5)))
    pr = mp.Process(target=exit, args=(3,)); pr.start(); pr.join(); print(pr.exitcode)'
t full python-subprocess /usr/bin/python3 -c \
	'import subprocess as s
print(s.run(["sh", "-c", "echo hi; exit 3"], capture_output=True))
print(s.check_output("seq 3 | tac", shell=True))
try: s.run(["/nonexistent"])
except OSError as e: print(type(e).__name__, e.errno)'
