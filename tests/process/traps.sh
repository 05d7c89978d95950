#!/bin/bash
# traps.sh — traps in a script: ERR (inherited with set -E), EXIT, RETURN,
# DEBUG, signals the script sends itself, and a TERM trap that exits from
# a subshell's kill.
set -E
trap 'echo "ERR at $LINENO: $BASH_COMMAND"' ERR
trap 'echo "exit $?"' EXIT
trap 'echo usr1; n=$((n + 1))' USR1
trap 'echo usr2' USR2
n=0
for i in 1 2 3; do kill -USR1 $$; done
kill -USR2 $$
echo "n=$n"
f() { false; }
f
g() { trap 'echo "return from g"' RETURN; return 3; }
g || echo "g: $?"
trap 'echo int caught' INT
kill -INT $$
trap 'echo "debug $BASH_COMMAND"' DEBUG
x=1
trap - DEBUG
trap -p USR2
trap 'echo term; exit 9' TERM
(kill -TERM $$)
echo not reached
