# MMX/SSE/AES/PCLMUL semantics and their tests
X86_HDRS += translator/x86/sem_simd_int.h translator/x86/sem_sse.h translator/x86/simd_fp.h \
	translator/x86/simd_opnd.h translator/x86/simd_aes.h translator/x86/simd_pcmpstr.h
X86_SIMD_SOURCES += translator/x86/simd_fp.c translator/x86/simd_aes.c translator/x86/simd_pcmpstr.c

# Benchmark, not a test: the interpreter on SSE loops, beside native.
noinst_PROGRAMS += tests/bench/bench_sse
tests_bench_bench_sse_SOURCES = tests/bench/bench_sse.c
tests_bench_bench_sse_LDADD = libx86.a -lpthread

# Differential-test forms (tests/x86/README.md): set "simd".
X86_FORMS_SOURCES += tests/x86/forms_simd.c

if ENABLE_TESTS
if HOST_X86_64
# The floating-point core against the CPU running the tests; it records a
# sample of its cases for the aarch64 replay below.
check_PROGRAMS += tests/x86/simd_fp_native
TESTS += tests/x86/simd_fp_native
tests_x86_simd_fp_native_SOURCES = tests/x86/simd_fp_native.c tests/x86/simd_fp_emu.c \
	tests/x86/simd_fp_emu.h translator/x86/simd_fp.c
CLEANFILES += tests/x86/simd_fp_cases.bin

# AES, PCLMULQDQ and string-compare cores against the CPU.
check_PROGRAMS += tests/x86/simd_core_native
TESTS += tests/x86/simd_core_native
tests_x86_simd_core_native_SOURCES = tests/x86/simd_core_native.c translator/x86/simd_aes.c \
	translator/x86/simd_pcmpstr.c

if HAVE_QEMU_AARCH64
# The recorded floating-point cases replayed by the aarch64 build.
SIMD_FP_REPLAY_A64_OBJS = aarch64/tests/x86/simd_fp_replay.o aarch64/tests/x86/simd_fp_emu.o \
	aarch64/translator/x86/simd_fp.o
aarch64/tests/x86/simd_fp_replay: $(SIMD_FP_REPLAY_A64_OBJS)
	$(AM_V_CCLD)$(AARCH64_CC) -static -o $@ $(SIMD_FP_REPLAY_A64_OBJS)
TESTS += tests/x86/simd_fp_a64.sh
tests/x86/simd_fp_a64.log: aarch64/tests/x86/simd_fp_replay tests/x86/simd_fp_native.log
endif
endif
endif
EXTRA_DIST += tests/x86/simd_fp_a64.sh tests/x86/simd_fp_replay.c
