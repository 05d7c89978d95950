#!/bin/sh
# The aarch64 interpreter, under qemu-aarch64, against the expectations
# recorded on x86-64.
exec "$QEMU_AARCH64" "$top_builddir/aarch64/tests/x86/x86test" replay \
	"$top_srcdir/tests/x86/expect"
