# x87 semantics, 80-bit arithmetic, and their tests
X86_HDRS += translator/x86/sem_x87.h translator/x86/f80.h translator/x86/f80_impl.h \
	translator/x86/f80_wide.h
X86_X87_SOURCES += translator/x86/f80_arith.c translator/x86/f80_ops.c \
	translator/x86/f80_conv.c translator/x86/f80_wide.c translator/x86/f80_trans.c \
	translator/x86/x87.c

if ENABLE_TESTS
F80_TEST_HDRS = tests/unit/f80_cases.h tests/unit/f80_native.h
EXTRA_DIST += tests/unit/f80_vectors.txt tests/unit/test_f80_vectors_a64.sh

check_PROGRAMS += tests/unit/test_f80 tests/unit/test_f80_native tests/unit/test_f80_trans \
	tests/unit/test_f80_vectors
TESTS += tests/unit/test_f80 tests/unit/test_f80_native tests/unit/test_f80_trans \
	tests/unit/test_f80_vectors.sh
tests_unit_test_f80_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_f80_LDADD = libx86.a $(CMOCKA_LIBS)
tests_unit_test_f80_native_SOURCES = tests/unit/test_f80_native.c $(F80_TEST_HDRS)
tests_unit_test_f80_native_LDADD = libx86.a
tests_unit_test_f80_trans_SOURCES = tests/unit/test_f80_trans.c $(F80_TEST_HDRS)
tests_unit_test_f80_trans_LDADD = libx86.a
tests_unit_test_f80_vectors_SOURCES = tests/unit/test_f80_vectors.c $(F80_TEST_HDRS)
tests_unit_test_f80_vectors_LDADD = libx86.a
dist_check_SCRIPTS += tests/unit/test_f80_vectors.sh

# The same vectors checked by the library cross-built for aarch64, under qemu.
if HAVE_AARCH64_CC
F80_A64_OBJS = $(patsubst %.c,aarch64/%.o,$(filter translator/x86/f80%.c,$(X86_X87_SOURCES))) \
	aarch64/tests/unit/test_f80_vectors.o
aarch64/test_f80_vectors: $(F80_A64_OBJS)
	$(AM_V_CCLD)$(AARCH64_CC) -static -o $@ $(F80_A64_OBJS)
check_SCRIPTS += aarch64/test_f80_vectors
endif
if HAVE_QEMU_AARCH64
TESTS += tests/unit/test_f80_vectors_a64.sh
dist_check_SCRIPTS += tests/unit/test_f80_vectors_a64.sh
endif
endif

# x87 forms of the differential test (tests/x86/README.md)
X86_FORMS_SOURCES += tests/x86/forms_x87.c
