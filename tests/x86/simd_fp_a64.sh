#!/bin/sh
# The SSE floating-point core of the aarch64 build, under qemu-aarch64,
# against the native x86-64 results simd_fp_native recorded.
cases=tests/x86/simd_fp_cases.bin
if [ ! -s "$cases" ]; then
	echo "simd_fp_a64: $cases missing: simd_fp_native must run first" >&2
	exit 99
fi
exec "$QEMU_AARCH64" aarch64/tests/x86/simd_fp_replay "$cases"
