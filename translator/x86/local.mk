# translator/x86 — decoder, guest CPU state, semantics, interpreter.
# libx86.a is linked by xlate, xlatec and the tests; the same sources are
# cross-compiled into the aarch64 translator (see translator/runtime/local.mk).
# Each part lists its own files in its own fragment.

X86_HDRS = translator/x86/x86.h translator/x86/ops.def translator/x86/sem.h
X86_DECODE_SOURCES =
X86_INTERP_SOURCES =
X86_SIMD_SOURCES =
X86_X87_SOURCES =

include translator/x86/decode.mk
include translator/x86/interp.mk
include translator/x86/simd.mk
include translator/x86/x87.mk

X86_SOURCES = $(X86_DECODE_SOURCES) $(X86_INTERP_SOURCES) $(X86_SIMD_SOURCES) $(X86_X87_SOURCES)
noinst_LIBRARIES += libx86.a
libx86_a_SOURCES = $(X86_HDRS) $(X86_SOURCES)
