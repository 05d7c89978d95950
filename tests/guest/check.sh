#!/bin/sh
# check.sh — make check's share of the real-program suite: the fast tier
# under xlate on this host, and the a64 tier under the aarch64 translator
# when qemu-aarch64 and xlate-aarch64 are there.
top_builddir=${top_builddir:-.}
export top_builddir
if [ "$(uname -m)" != x86_64 ]; then
	echo "SKIP: the suite compares against native x86-64 runs"
	exit 77
fi
if [ ! -x "$top_builddir/xlate" ]; then
	echo "FAIL: $top_builddir/xlate was not built"
	exit 1
fi
rc=0
bash "${top_srcdir:-.}/tests/guest/run.sh" -t fast -m xlate || rc=1
if [ -n "${QEMU_AARCH64:-}" ] && [ -x "$top_builddir/xlate-aarch64" ]; then
	bash "${top_srcdir:-.}/tests/guest/run.sh" -t a64 -m a64 || rc=1
fi
exit $rc
