#!/bin/bash
# Sets up a Debian 12 machine and runs every test xlatefs has:
#   1. installs the build and test dependencies (as root; skip with XLATE_NO_DEPS=1),
#   2. builds with -Wall -Wextra -Werror in build/ and runs `make check`
#      (unit tests, the x86 differential suite natively and on the aarch64
#      build under qemu-aarch64, real FUSE mounts, the fast guest tiers),
#   3. builds again with ASan+UBSan in build-asan/ and runs the tests there,
#   4. runs the slow suites from build/, two at a time: every guest program
#      under xlate and under qemu-aarch64 xlate-aarch64, the process-model
#      programs, and the VM delivery test when /dev/kvm is usable.
# Usage: bash contrib/check.sh        (from the source tree, as root)
#        XLATE_SLOW=0 skips step 4.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

if [ "${XLATE_NO_DEPS:-0}" != 1 ] && [ "$(id -u)" = 0 ]; then
	bash "$src/contrib/install-deps.sh"
fi

cd "$src"
# What the runner hands down matters to the signal tests (they start from a
# clean slate anyway): say it in the log.
echo "check.sh: inherited signal state: $(grep -E '^Sig(Blk|Ign)' /proc/self/status | tr '\n\t' '  ')"
autoreconf -fi

failed=0
show_failures() {
	find . -name '*.log' -path '*tests*' -newer Makefile -print0 |
		xargs -0 grep -l -E '^(FAIL|ERROR)' 2>/dev/null |
		while read -r log; do echo "=== $1/$log"; tail -n 60 "$log"; done
}
run_build() {
	local dir=$1; shift
	mkdir -p "$src/$dir"
	cd "$src/$dir"
	"$src/configure" --enable-werror "$@"
	make -j"$jobs"
	if ! make -j"$jobs" check; then
		show_failures "$dir"
		failed=1
	fi
	cd "$src"
}

SECONDS=0
run_build build
echo "check.sh: build/ done in ${SECONDS}s"
run_build build-asan --enable-sanitizers
echo "check.sh: build-asan/ done in ${SECONDS}s"

if [ "${XLATE_SLOW:-1}" != 0 ]; then
	slow="check-guest-full-xlate check-guest-full-a64 check-process-full-xlate check-process-full-a64"
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		slow="$slow check-vm"
	else
		echo "check.sh: /dev/kvm is not usable here: check-vm not run"
	fi
	mkdir -p build/slow
	# Each suite logs to build/slow/<target>.log; a failed one prints its tail.
	# shellcheck disable=SC2016
	if ! printf '%s\n' $slow | xargs -P 2 -I{} bash -c '
		if make -C build {} >build/slow/{}.log 2>&1; then
			echo "check.sh: {} passed ($(tail -n 3 build/slow/{}.log | tr "\n" " "))"
		else
			echo "check.sh: {} FAILED:"; tail -n 60 build/slow/{}.log; exit 1
		fi'; then
		failed=1
	fi
	echo "check.sh: slow suites done in ${SECONDS}s"
fi

if [ "$failed" != 0 ]; then
	echo "check.sh: FAILED" >&2
	exit 1
fi
echo "check.sh: all tests passed in ${SECONDS}s"
