#!/bin/sh
# Differential test of the instruction semantics on a host that cannot run
# x86-64 code: the interpreter against the expectations recorded on x86-64.
exec "$top_builddir/tests/x86/x86test" replay "$top_srcdir/tests/x86/expect"
