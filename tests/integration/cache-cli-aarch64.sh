#!/bin/bash
# The CLI test again with xlatefs-cache cross-built for aarch64 (static, libc
# and inline xxhash only, as the translator links the store) and run under
# qemu-aarch64: the store must not depend on the host ISA.
if [ -z "${QEMU_AARCH64:-}" ]; then
	echo "SKIP: qemu-aarch64 not found (apt-get install qemu-user)"
	exit 77
fi
XLATEFS_CACHE="$QEMU_AARCH64 $top_builddir/aarch64/xlatefs-cache" \
	exec bash "$top_srcdir/tests/integration/cache-cli.sh"
