#!/bin/bash
# xlatefs-cache: every subcommand and every exit status.
# XLATEFS_CACHE may name the command to test (e.g. run under qemu-aarch64);
# by default it is the one in the build tree.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
cli=${XLATEFS_CACHE:-$top_builddir/xlatefs-cache}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xlc-cli-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
store=$tmp/store
failures=0 checks=0

# expect RC CMD...: runs CMD, output in $tmp/out and $tmp/err, checks its status.
expect() {
	local want=$1 rc
	shift
	checks=$((checks + 1))
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL: '$*' exited $rc, expected $want"
		sed 's/^/  stdout: /' "$tmp/out" | head -5
		sed 's/^/  stderr: /' "$tmp/err" | head -5
		failures=$((failures + 1))
		return 1
	fi
}

# check CONDITION-COMMAND... MESSAGE: an extra assertion.
check() {
	local msg=$1
	shift
	checks=$((checks + 1))
	if ! "$@"; then
		echo "FAIL: $msg"
		failures=$((failures + 1))
	fi
}

c() { $cli --store "$store" "$@"; }

# --- help, version, usage errors ---
expect 0 $cli --help
check "--help documents the exit status" grep -q "Exit status" "$tmp/out"
check "--help lists every command" bash -c "for w in ls stat key put get rm verify gc stats; do grep -q \"^  \$w\" '$tmp/out' || exit 1; done"
expect 0 $cli --version
check "--version names the program" grep -q "^xlatefs-cache" "$tmp/out"
expect 2 $cli
expect 2 $cli --bogus
expect 2 c frobnicate
check "unknown command is named" grep -q frobnicate "$tmp/err"
expect 2 env -u XLATEFS_STORE $cli ls
check "a missing store is explained" grep -q -- "--store" "$tmp/err"

# --- key: the same as xxhsum -H2 ---
printf 'abc' >"$tmp/abc"
: >"$tmp/empty"
expect 0 $cli key "$tmp/abc"
check "key of 'abc'" test "$(cat "$tmp/out")" = 06b05ab6733a618578af5f94892f3950
expect 0 $cli key "$tmp/empty"
check "key of the empty file" test "$(cat "$tmp/out")" = 99aa06d3014798d86001c324468d497f
head -c 300000 /dev/urandom >"$tmp/module"
if command -v xxhsum >/dev/null; then
	expect 0 $cli key "$tmp/module"
	check "key equals xxhsum -H2" test "$(cat "$tmp/out")" = "$(xxhsum -H2 "$tmp/module" | cut -d' ' -f1)"
fi
expect 3 $cli key "$tmp/nonexistent"
expect 2 $cli key

# --- put ---
expect 0 c put sources "$tmp/module"
key=$($cli key "$tmp/module")
check "put prints the key" test "$(cat "$tmp/out")" = "$key"
check "the store has its layout" test -f "$store/FORMAT" -a -d "$store/v1/sources"
head -c 100000 /dev/urandom >"$tmp/image"
expect 0 c put aarch64-v1 "$tmp/image" --key "$key"
expect 0 c put x86_64-v1 "$tmp/abc"
abckey=06b05ab6733a618578af5f94892f3950
expect 0 c put sources "$tmp/module"          # the same source again: fine
expect 3 c put sources "$tmp/image" --key "$key" # a source must be its own hash
check "that refusal is explained" grep -q "own XXH3-128" "$tmp/err"
expect 2 c put ../evil "$tmp/image"
expect 2 c put Aarch64 "$tmp/image"
expect 2 c put aarch64-v1 "$tmp/image" --key nothex
expect 2 c put aarch64-v1
expect 3 c put aarch64-v1 "$tmp/nonexistent"

# --- ls and stat ---
expect 0 c ls
check "ls lists three entries" test "$(wc -l <"$tmp/out")" = 3
check "ls shows the image" grep -q "^aarch64-v1 *$key *100000 " "$tmp/out"
check "ls shows the source" grep -q "^sources *$key *300000 " "$tmp/out"
expect 2 c ls extra
expect 0 c stat "$key"
check "stat shows both entries" test "$(grep -c "/$key\$" "$tmp/out")" = 2
check "stat shows the source's SHA-256" grep -q "sha256: *$(sha256sum "$tmp/module" | cut -d' ' -f1)" "$tmp/out"
expect 1 c stat 0123456789abcdef0123456789abcdef
expect 2 c stat 0123
expect 2 c stat

# --- get ---
expect 0 c get aarch64-v1 "$key" -o "$tmp/got"
check "get -o writes the payload" cmp -s "$tmp/image" "$tmp/got"
expect 0 c get sources "$key"
check "get writes the payload to stdout" cmp -s "$tmp/module" "$tmp/out"
expect 0 c get x86_64-v1 "$abckey"
check "a tiny payload too" test "$(cat "$tmp/out")" = abc
expect 1 c get x86_64-v1 "$key"
check "a miss says so" grep -q miss "$tmp/err"
expect 1 c get never-used "$key"
expect 2 c get aarch64-v1 "${key}0"
expect 2 c get '..' "$key"
expect 2 c get aarch64-v1
expect 3 c get aarch64-v1 "$key" -o "$tmp/no/such/dir/out"

# --- verify: a damaged entry is reported, removed, then the store is clean ---
expect 0 c verify
check "verify counts three good entries" grep -q "3 entries: 3 good, 0 bad" "$tmp/out"
entry=$store/v1/aarch64-v1/${key:0:2}/$key
chmod u+w "$entry"
printf 'X' | dd of="$entry" bs=1 seek=70000 conv=notrunc status=none
expect 1 c verify
check "verify names the bad entry" grep -q "bad: .*$key" "$tmp/out"
check "the bad entry is gone" test ! -e "$entry"
expect 0 c verify
expect 1 c get aarch64-v1 "$key"
expect 2 c verify extra

# --- stats ---
expect 0 c stats
check "stats counts the corrupt entry" grep -q "^corrupt: *1$" "$tmp/out"
expect 0 c stats --json
if command -v python3 >/dev/null; then
	check "stats --json is JSON with every counter" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"hits", "misses", "publishes", "evictions", "corrupt", "temps_removed", "bytes"}, d
assert d["corrupt"] == 1 and d["publishes"] == 3, d' "$tmp/out"
fi
expect 2 c stats --yaml

# --- gc ---
mkdir -p "$store/v1/x86_64-v1/00"
: >"$store/v1/x86_64-v1/00/.tmp-999-dead"
expect 0 c gc
check "gc removes a dead writer's temp file" test ! -e "$store/v1/x86_64-v1/00/.tmp-999-dead"
check "gc reports it" grep -q "1 temp files removed" "$tmp/out"
expect 0 c gc --max-size 10M
check "under budget nothing is evicted" grep -q "2 entries, 0 evicted" "$tmp/out"
expect 0 c gc --max-size 1K
check "over budget entries are evicted" grep -q "2 entries, 2 evicted" "$tmp/out"
expect 0 c ls
check "the store is empty" test ! -s "$tmp/out"
for size in 0 512 64K 1M 2G 3GiB 1T; do
	expect 0 c gc --max-size "$size"
done
for size in "" -1 1X 12KK 99999999999999999999 100000000000T; do
	expect 2 c gc --max-size "$size"
done
expect 2 c gc extra

# --- rm ---
expect 0 c put x86_64-v1 "$tmp/abc"
expect 0 c rm x86_64-v1 "$abckey"
expect 1 c rm x86_64-v1 "$abckey"
expect 2 c rm x86_64-v1 zz
expect 2 c rm x86_64-v1

# --- stores that cannot be opened ---
echo "something else" >"$tmp/notastore"
expect 3 $cli --store "$tmp/notastore" ls
mkdir "$tmp/other" && echo "xlcache-store 9" >"$tmp/other/FORMAT"
expect 3 $cli --store "$tmp/other" verify
check "another format is named as such" grep -q "format" "$tmp/err"
expect 3 $cli --store "$tmp/missing" ls
XLATEFS_STORE=$store expect 0 $cli stats

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" = 0 ]
