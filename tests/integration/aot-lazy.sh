#!/bin/bash
# aot-lazy.sh — the lazy cache end to end with the real programs: xlatefs
# mounted in a private namespace serves the real xlate as `rosetta` and runs
# the real xlatec. A program's first run through <share>/rosetta misses and
# submits its module and code map; the daemon compiles; the second run hits
# and runs translated code (the summary's fraction is printed). Native
# output is the oracle. AOT_LAZY_DYNAMIC=1 adds a dynamically linked Debian
# program (ld.so, libc: several minutes of compiling).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
[ "$(uname -m)" = x86_64 ] || skip "native x86-64 execution (the oracle) needs an x86-64 host"
fs_enter_namespace "$@"

M=$T/mnt S=$T/store
# A sanitizer build's xlatec reserves terabytes of shadow memory: no
# address-space limit for it (the limit itself is tested by fs-compiler.sh).
job_mem=
[ -z "${XLATE_SANITIZED:-}" ] || job_mem=,job_mem=0
fs_start "$M" -o "store=$S,translator=$top_builddir/xlate,compiler=$top_builddir/xlatec" \
	-o "jobs=1,negative_timeout=0$job_mem"
I=$M/cache/$TARGET

# run NAME PROG ARGS...: PROG through the share's translator; output and
# summary in $T/NAME.{out,sum}, native output in $T/NAME.native.
run() {
	local name=$1
	shift
	"$@" >"$T/$name.native" 2>&1
	XLATE_SUMMARY=$T/$name.sum "$M/rosetta" "$@" >"$T/$name.out" 2>&1
	check "$name: output differs from native" cmp -s "$T/$name.native" "$T/$name.out"
}
fraction() { sed -nE 's/.*\(([0-9.]+)% translated\).*/\1/p' "$1"; }

# wait_image KEY: the daemon compiles (minutes on a loaded machine), until
# it is idle: the last map may reach it after the module and make a newer
# image. A job the daemon gave up on ends the wait at once.
idle() { [ "$(stat_of "$M" translating)" = 0 ] && [ "$(stat_of "$M" queued)" = 0 ]; }
wait_image() {
	local i
	for i in $(seq 1 600); do
		[ -e "$I/$1" ] && idle && return 0
		if [ "$(stat_of "$M" failed)" != 0 ]; then
			fail "the daemon gave up compiling $1:"
			tail -n 5 "$T/daemon.log"
			return 1
		fi
		sleep 1
	done
	fail "no image for $1 after 10 minutes"
	return 1
}

# lazy NAME MIN MODULE PROG ARGS...: first run a miss, second a hit (of
# MODULE) with at least MIN percent of guest instructions translated.
lazy() {
	local name=$1 min=$2 mod=$3 key f
	shift 3
	key=$(key_of "$mod")
	run "$name.1" "$@"
	check "$name: first run was not a miss" grep -q " 0 hits" "$T/$name.1.sum"
	wait_image "$key" || return
	run "$name.2" "$@"
	check "$name: second run was not a hit" grep -q "images [1-9][0-9]* hits" "$T/$name.2.sum"
	f=$(fraction "$T/$name.2.sum")
	check "$name: only $f% translated" awk -v f="$f" -v m="$min" 'BEGIN { exit !(f >= m) }'
	echo "$name: second run: $f% of guest instructions in translated code"
	grep "summary" "$T/$name.2.sum"
}

lazy aotprog 90 "$top_builddir/tests/aot/aotprog" "$top_builddir/tests/aot/aotprog" abde

if [ -n "${AOT_LAZY_DYNAMIC:-}" ]; then
	printf '%s\n' 3 1 2 >"$T/nums"
	lazy sort 50 "$(readlink -f /lib64/ld-linux-x86-64.so.2)" /usr/bin/sort -n "$T/nums"
	for mod in /usr/bin/sort "$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)"; do
		wait_image "$(key_of "$mod")"
	done
	run sort.3 /usr/bin/sort -n "$T/nums"
	echo "sort, all modules: $(fraction "$T/sort.3.sum")% translated"
	cat "$T/sort.3.sum"
fi
echo "stats: $(cat "$M/stats")"
fs_stop "$M"
fs_done
