#!/bin/sh
# The f80 library built for aarch64 (run under qemu-aarch64) against the
# vectors recorded on an x86-64 CPU.
if [ -z "$QEMU_AARCH64" ]; then
	echo "SKIP: qemu-aarch64 is not installed"
	exit 77
fi
exec "$QEMU_AARCH64" "${top_builddir:-.}/aarch64/test_f80_vectors" \
	"${top_srcdir:-.}/tests/unit/f80_vectors.txt"
