#!/bin/sh
# The f80 library against the vectors recorded on an x86-64 CPU.
exec "${top_builddir:-.}/tests/unit/test_f80_vectors" "${top_srcdir:-.}/tests/unit/f80_vectors.txt"
