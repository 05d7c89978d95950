# cases.sh — the programs run.sh compares (sourced by run.sh).
#   t TIERS NAME [-i STDIN] [-f SED] [-x] PROGRAM ARGS...
# TIERS: fast (make check), full (check-guest-full), a64 (also under the
# aarch64 translator in make check), a64-full (under the aarch64
# translator in check-guest-full). Paths are relative to the case
# directory, which holds data.sh's inputs. -f filters stdout and stderr of every mode
# through sed (for output that differs between two native runs). -x: the
# program executes others (run.sh gives mode a64 what that needs).
id=$top_builddir/tests/guest/identity

t fast,a64 true /bin/true
t fast,a64 false /bin/false
t fast,a64 identity "$id" one "two words" ""
t fast,a64 identity-pie "$id-pie" static-pie
t fast,a64 identity-dyn "$id-dyn" dynamic "" x
# The fault section waits for guest signal delivery (the signals work).
t fast,a64 memory "$top_builddir/tests/guest/memory" brk mmap unmap mremap files code
t fast,a64 uname /usr/bin/uname -m -s -o
t fast,a64 syscalls "$top_builddir/tests/guest/syscalls"
t fast,a64 seq /usr/bin/seq -w 1 3 100
t fast,a64 sort-n /usr/bin/sort -n nums.txt
t fast,a64 uniq-c /usr/bin/uniq -c words_sorted.txt
t fast,a64 sha256sum /usr/bin/sha256sum text.txt nums.txt table.csv
t fast,a64 md5sum /usr/bin/md5sum text.txt words.txt
t fast,a64 date /usr/bin/date -u -d @1700000000 "+%Y-%m-%d %H:%M:%S %A %j %s"
t fast,a64 factor /usr/bin/factor 1 2 97 1234567 600851475143 18446744073709551557
t fast,a64 printf /usr/bin/printf '%Lf %g %e %.3f %x %s %Lg\n' 3.14159265358979323846 1e-5 \
	12345.678 2.5 255 hi 1.5e4000
t fast,a64 od /usr/bin/od -A x -t x1z -N 512 text.txt
t fast,a64 wc /usr/bin/wc text.txt nums.txt words.txt
t fast,a64 tr -i text.txt /usr/bin/tr a-z A-Z
t fast,a64 cut /usr/bin/cut -d, -f2,4 table.csv
t fast,a64 head /usr/bin/head -n 25 text.txt
t fast,a64 tail /usr/bin/tail -n 25 text.txt
t fast,a64 grep-E /usr/bin/grep -E -n '^(Th|the) [a-z]+' text.txt
t fast,a64 grep-P /usr/bin/grep -P -c '\bfree\b(?= software)' text.txt
t fast,a64 sed /usr/bin/sed -e 's/\([a-z]*\)ware/<\1>/g' -e '/^$/d' text.txt
t fast,a64 mawk /usr/bin/mawk -F, '{ s += $3; n[$2]++ } END { for (k in n) print k, n[k]; printf "%.6f\n", s / NR }' table.csv
t fast,a64 find /usr/bin/find tree -name '*.txt' -o -type l -printf '%p %y %s\n'
t fast,a64 ls-l /usr/bin/ls -l --time-style=+%Y-%m-%d -R tree
t fast,a64-full bash /bin/bash scripts/basics.sh
# A forked child that decodes new code before it execs (the memory
# lock must survive fork).
t fast bash-fork /bin/bash -c '/usr/bin/seq 3; echo $?; /bin/false || echo failed $?'
t fast,a64 perl-e /usr/bin/perl -e 'printf "%.10f %s %s\n", exp(1), join(",", sort { $b <=> $a } 3, 11, 2), scalar reverse "abc"'
t full,a64-full perl /usr/bin/perl scripts/mix.pl
t fast,a64 xz /usr/bin/xz -k -9 text.txt
t fast,a64 xz-d /usr/bin/xz -d -c text.txt.xz
t fast,a64 gzip /usr/bin/gzip -k -9 -n words.txt
t fast,a64 gzip-d /usr/bin/gzip -d -c text.txt.gz
t full,a64-full bzip2 /usr/bin/bzip2 -k -9 text.txt
t full,a64-full bzip2-d /usr/bin/bzip2 -d -c text.txt.bz2
t full,a64-full sqlite3 /usr/bin/sqlite3 db.sqlite '.read workload.sql'
t full,a64-full python /usr/bin/python3.11 scripts/py_mix.py
# Under xlate in check-guest-full: make check's sanitizer build reports
# false positives on the vfork child's stack (sys_proc.c, being annotated).
t fast,a64 spawn -x /usr/bin/python3.11 scripts/spawn.py
# regrtest's wall-clock lines: the load, the total, and "NAME passed in
# DURATION" for a last test that took 30 s or more (test_long under qemu).
regrtest='/load avg: /d; /^Total duration/d; /^== /d; /^test_[a-z0-9_]+ passed in [0-9]/d'
t full python-tests -f "$regrtest" \
	/usr/bin/python3.11 -m test test_math test_json test_re test_struct test_zlib \
	test_hashlib test_decimal test_float test_long test_unicode
# Under qemu the aarch64 path is slow: a subset (about 5.5 min of the
# a64-full tier on 2 cores). test_struct starts a python of its own.
t a64-full python-tests-a64 -x -f "$regrtest" \
	/usr/bin/python3.11 -m test test_float test_struct test_long
t fast,a64 busybox-sort /bin/busybox sort -r words.txt
t fast,a64 busybox-md5 /bin/busybox md5sum text.txt
t full,a64-full busybox-awk /bin/busybox awk -F, '{ s += $1 * $3 } END { printf "%.3f\n", s }' table.csv
t full,a64-full busybox-sed /bin/busybox sed -n '/GNU/{s/GNU/gnu/g;p}' text.txt
t full,a64-full busybox-wc /bin/busybox wc -lwc text.txt
t full,a64-full busybox-sh /bin/busybox sh -c 'i=0; while [ $i -lt 50 ]; do i=$((i + 3)); done; echo $i; echo ${#PATH}'
