#!/bin/sh
# Differential test of the instruction semantics on an x86-64 host: every
# generated case runs natively and in the interpreter (states must match),
# and native results must equal the recorded expectations that the aarch64
# build is checked against (else: make x86-expect, and commit the files).
exec "$top_builddir/tests/x86/x86test" check -e "$top_srcdir/tests/x86/expect"
