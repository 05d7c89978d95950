#!/bin/bash
# quickstart.sh — the whole xlatefs model on this machine, in one command:
#   1. installs the build dependencies (as root; skip with XLATE_NO_DEPS=1)
#      and builds everything in build/;
#   2. in private user, mount and PID namespaces: mounts xlatefs with a fresh
#      store and the real xlatec as its compiler, and registers the share's
#      binfmt line in a private binfmt_misc instance (Linux >= 6.7);
#   3. runs real Debian x86-64 programs through the share twice: the first
#      run misses and submits its modules, the daemon compiles them, the
#      second run hits the images; prints the cache and the share's stats.
# Nothing outside the namespaces changes; everything is gone when it ends.
# Usage: sudo bash contrib/quickstart.sh     (XLATE_KEEP=1 keeps the work dir)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "${XLATE_QS_INSIDE:-}" ]; then
	if [ "${XLATE_NO_DEPS:-0}" != 1 ] && [ "$(id -u)" = 0 ]; then
		bash "$src/contrib/install-deps.sh"
	fi
	cd "$src"
	[ -x build/xlate ] && [ -x build/xlatefs ] && [ -x build/xlatec ] || {
		autoreconf -fi
		mkdir -p build
		(cd build && "$src/configure" && make -j"$(nproc)")
	}
	make -C build -j"$(nproc)" >/dev/null
	[ -c /dev/fuse ] || { echo "quickstart: /dev/fuse is missing (modprobe fuse)" >&2; exit 1; }
	work=$(mktemp -d "${TMPDIR:-/tmp}/xlatefs-quickstart.XXXXXX")
	[ -n "${XLATE_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
	# A user namespace as well: a private binfmt_misc instance needs one.
	XLATE_QS_INSIDE=1 unshare -Urmpf --mount-proc bash "$0" "$work" && rc=0 || rc=$?
	[ -z "${XLATE_KEEP:-}" ] || echo "work directory kept: $work"
	exit $rc
fi

# ---- inside the namespaces ----------------------------------------------------
work=$1
B=$src/build
M=$work/rosetta S=$work/store
mkdir -p "$M" "$S"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# On an x86-64 host the share serves a copy of xlate stamped with
# EI_ABIVERSION = 1: the binfmt magic then matches every native x86-64
# program but not the translator itself, which runs natively.
cp "$B/xlate" "$work/xlate"
if [ "$(uname -m)" = x86_64 ]; then
	printf '\001' | dd of="$work/xlate" bs=1 seek=8 conv=notrunc status=none
fi

say "mounting xlatefs at $M (store $S)"
mkfifo "$work/ready"
"$B/xlatefs" "$M" -f -o "store=$S,translator=$work/xlate,compiler=$B/xlatec,jobs=2" \
	>"$work/xlatefs.log" 2>&1 &
daemon=$!
for _ in $(seq 100); do
	mountpoint -q "$M" && break
	kill -0 $daemon 2>/dev/null || { cat "$work/xlatefs.log"; exit 1; }
	sleep 0.1
done
mountpoint -q "$M" || { echo "quickstart: xlatefs did not mount" >&2; exit 1; }
ls -l "$M"
echo "binfmt line: $(cat "$M/binfmt")"

run() { "$@"; }
if mount -t binfmt_misc none /proc/sys/fs/binfmt_misc 2>/dev/null; then
	cat "$M/binfmt" >/proc/sys/fs/binfmt_misc/register
	say "registered: every x86-64 program here now runs through $M/rosetta"
else
	say "no private binfmt_misc (Linux < 6.7): running programs through $M/rosetta by hand"
	run() { "$M/rosetta" "$@"; }
fi

printf 'xlatefs quick start %s\n' "$(seq 1 5000 | tr '\n' ' ')" >"$work/input.txt"
for _ in 1 2 3 4 5 6; do cat "$work/input.txt" "$work/input.txt" >"$work/t" && mv "$work/t" "$work/input.txt"; done
workload() {
	run /usr/bin/grep -m1 'model name' /proc/cpuinfo
	run /bin/ls -l --time-style=+ "$M"
	run /usr/bin/sha256sum "$work/input.txt"
	run /usr/bin/xz -6 -c "$work/input.txt" | run /usr/bin/xz -d | run /usr/bin/md5sum
	run /usr/bin/python3 -c 'import json, hashlib, zlib
d = {"sum": sum(i * i for i in range(200000)), "sha": hashlib.sha1(b"x" * 9999).hexdigest()}
print(json.dumps(d), len(zlib.compress(json.dumps(d).encode() * 100)))'
	run /usr/bin/sqlite3 :memory: 'create table t(x); with recursive c(i) as (select 1 union all select i + 1 from c where i < 20000) insert into t select i * 7 % 1000 from c; select count(*), sum(x), count(distinct x) from t;'
}
stat_of() { sed -n "s/^ *\"$1\": \([0-9]*\).*/\1/p" "$M/stats" | head -n1; }

say "first run: the cache is empty, programs run in the interpreter and submit their modules"
t0=$(date +%s%N)
workload
t1=$(date +%s%N)
echo "first run: $(((t1 - t0) / 1000000)) ms; misses $(stat_of misses), hits $(stat_of hits)"

say "the daemon compiles what was submitted (xlatec, $(nproc) cores)"
# Submissions are asynchronous: done when nothing is queued or running
# for three seconds in a row.
idle=0
for _ in $(seq 1800); do
	q=$(stat_of queued) t=$(stat_of translating)
	if [ "${q:-0}" = 0 ] && [ "${t:-0}" = 0 ]; then idle=$((idle + 1)); else idle=0; fi
	[ $idle -ge 3 ] && break
	sleep 1
done
echo "compiled $(stat_of compiled), failed $(stat_of failed)"
ls -l "$M/cache/"*/ | head -n 20

say "second run: the images are in the cache"
t0=$(date +%s%N)
workload
t1=$(date +%s%N)
echo "second run: $(((t1 - t0) / 1000000)) ms; misses $(stat_of misses), hits $(stat_of hits)"

say "the share's stats"
cat "$M/stats"
say "the store"
"$B/xlatefs-cache" --store "$S" stats
# With flag F the kernel holds the translator open: unregister first.
[ ! -e /proc/sys/fs/binfmt_misc/rosetta ] || echo -1 >/proc/sys/fs/binfmt_misc/rosetta
fusermount3 -u "$M" 2>/dev/null || umount "$M"
wait $daemon || true
