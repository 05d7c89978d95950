# MMX/SSE/AES/PCLMUL semantics and their tests
X86_HDRS += translator/x86/sem_simd_int.h translator/x86/sem_sse.h translator/x86/simd_fp.h \
	translator/x86/simd_opnd.h
X86_SIMD_SOURCES += translator/x86/simd_fp.c

if ENABLE_TESTS
if HOST_X86_64
# The floating-point core against the CPU running the tests.
check_PROGRAMS += tests/x86/simd_fp_native
TESTS += tests/x86/simd_fp_native
tests_x86_simd_fp_native_SOURCES = tests/x86/simd_fp_native.c translator/x86/simd_fp.c
endif
endif
