#!/bin/sh
# check.sh — make check's share of the process-model cases: the fast tier
# under xlate, and the a64 tier under the aarch64 translator when
# qemu-aarch64 and xlate-aarch64 are there.
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
export top_builddir top_srcdir
if [ "$(uname -m)" != x86_64 ]; then
	echo "SKIP: the cases compare against native x86-64 runs"
	exit 77
fi
if [ ! -x "$top_builddir/xlate" ]; then
	echo "FAIL: $top_builddir/xlate was not built"
	exit 1
fi
run="$top_srcdir/tests/guest/run.sh"
cases="$top_srcdir/tests/process/cases.sh"
rc=0
bash "$run" -c "$cases" -t fast -m xlate -v || rc=1
if [ -n "${QEMU_AARCH64:-}" ] && [ -x "$top_builddir/xlate-aarch64" ]; then
	bash "$run" -c "$cases" -t a64 -m a64 -v || rc=1
fi
exit $rc
