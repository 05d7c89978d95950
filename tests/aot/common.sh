# common.sh — sourced by the tests/aot scripts after setting `prog` to the
# guest's name under tests/aot: B (the build directory), prog (its path),
# work (a scratch directory removed at exit), share (the share directory
# in it), key (the guest module's XXH3-128), and fail MESSAGE. Skips where
# there is no x86-64 host to run the guest natively.
top_builddir=${top_builddir:-.}
B=$(cd "$top_builddir" && pwd)
prog=$B/tests/aot/$prog
if [ "$(uname -m)" != x86_64 ]; then
	echo "SKIP: native x86-64 execution (the oracle) needs an x86-64 host"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/aot-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() {
	echo "FAIL: $*"
	exit 1
}
key=$(xxhsum -H2 "$prog" | sed -E 's/^(XXH128_)?([0-9a-f]{32}).*/\2/')
share=$work/share
