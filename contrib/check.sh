#!/bin/bash
# Sets up a Debian 12 machine and runs every test xlatefs has:
#   1. installs the build and test dependencies (as root; skip with XLATE_NO_DEPS=1),
#   2. builds with -Wall -Wextra -Werror in build/ and runs `make check`
#      (unit tests, real FUSE mounts, guest programs against native output,
#      and the aarch64 translator under qemu-aarch64),
#   3. builds again with ASan+UBSan in build-asan/ and runs the tests there.
# Usage: bash contrib/check.sh        (from the source tree, as root)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

if [ "${XLATE_NO_DEPS:-0}" != 1 ] && [ "$(id -u)" = 0 ]; then
	bash "$src/contrib/install-deps.sh"
fi

cd "$src"
autoreconf -fi

failed=0
run_build() {
	local dir=$1; shift
	mkdir -p "$src/$dir"
	cd "$src/$dir"
	"$src/configure" --enable-werror "$@"
	make -j"$jobs"
	if ! make -j"$jobs" check; then
		find . -name '*.log' -path '*tests*' -newer Makefile -print0 |
			xargs -0 grep -l -E '^(FAIL|ERROR)' 2>/dev/null |
			while read -r log; do echo "=== $dir/$log"; tail -n 60 "$log"; done
		failed=1
	fi
	cd "$src"
}

run_build build
run_build build-asan --enable-sanitizers

if [ "$failed" != 0 ]; then
	echo "check.sh: FAILED" >&2
	exit 1
fi
echo "check.sh: all tests passed"
