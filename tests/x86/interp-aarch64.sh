#!/bin/sh
# The interpreter's own checks (interp_test) on the aarch64 build, under
# qemu-aarch64.
exec "$QEMU_AARCH64" "$top_builddir/aarch64/tests/x86/interp_test"
