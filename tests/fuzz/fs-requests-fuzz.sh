#!/bin/bash
# The request parsers' fuzz target (fs_requests_fuzz.c) under the build's own
# compiler and sanitizers: the seed corpus, then XLATEFS_FUZZ_RUNS (default
# 100000, a few seconds) deterministic mutations of it. `make fuzz-fs` runs
# the same target coverage-guided under libFuzzer.
set -u
: "${top_builddir:?run me from make check}" "${top_srcdir:?run me from make check}"
work=$(mktemp -d "${TMPDIR:-/tmp}/fs-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
bash "$top_srcdir/tests/fuzz/fs-requests-seeds.sh" "$work/seeds" || exit 1
cd "$work" && "$top_builddir/tests/fuzz/fs-requests-fuzz" -n "${XLATEFS_FUZZ_RUNS:-100000}" seeds/*
rc=$?
[ $rc = 0 ] || { echo "FAIL: the failing input:"; od -A d -t x1 fuzz-last-input | head -20; }
exit $rc
