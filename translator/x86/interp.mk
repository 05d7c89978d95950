# interpreter, CPU state, integer/control/system semantics, and their tests
X86_HDRS += translator/x86/interp_priv.h translator/x86/sem_flags.h \
	translator/x86/sem_atomic.h translator/x86/sem_alu.h translator/x86/sem_shift.h \
	translator/x86/sem_move.h translator/x86/sem_branch.h translator/x86/sem_system.h
X86_INTERP_SOURCES += translator/x86/interp.c translator/x86/interp_shape.c translator/x86/cpu.c translator/x86/cpuid.c \
	translator/x86/fault.c translator/x86/atomic.c translator/x86/hostenv.c

# --- the differential test harness (tests/x86/README.md) --------------------
# Other parts add their forms: X86_FORMS_SOURCES += tests/x86/forms_<part>.c
X86_FORMS_SOURCES = tests/x86/forms_int.c
X86TEST_PORTABLE = tests/x86/x86test.c tests/x86/state.c tests/x86/layout.c \
	tests/x86/interp_run.c tests/x86/gen.c tests/x86/expect.c tests/x86/undef.c \
	$(X86_FORMS_SOURCES)
X86TEST_HDRS = tests/x86/harness.h tests/x86/forms.h tests/x86/expect.h tests/x86/layout.h
INTERP_TEST_SOURCES = tests/x86/interp_test.c
EXTRA_DIST += tests/x86/README.md tests/x86/expect

if ENABLE_TESTS
check_PROGRAMS += tests/x86/x86test tests/x86/interp_test
TESTS += tests/x86/interp_test
tests_x86_interp_test_SOURCES = $(INTERP_TEST_SOURCES)
tests_x86_interp_test_LDADD = libx86.a -lpthread
tests_x86_x86test_SOURCES = $(X86TEST_HDRS) $(X86TEST_PORTABLE)
if HOST_X86_64
tests_x86_x86test_SOURCES += tests/x86/native.c tests/x86/native_entry.c
endif
tests_x86_x86test_LDADD = libx86.a -lpthread
dist_check_SCRIPTS += tests/x86/diff-native.sh tests/x86/diff-replay.sh \
	tests/x86/diff-aarch64.sh tests/x86/interp-aarch64.sh
if HOST_X86_64
# Native against interpreter, and native against the recorded expectations.
TESTS += tests/x86/diff-native.sh
else
TESTS += tests/x86/diff-replay.sh
endif

# The same suite on the aarch64 build, against the recorded expectations.
if HAVE_AARCH64_CC
A64_X86TEST_OBJS = $(patsubst %.c,aarch64/%.o,$(filter %.c,$(X86_SOURCES) $(X86TEST_PORTABLE)))
A64_X86_OBJS = $(patsubst %.c,aarch64/%.o,$(filter %.c,$(X86_SOURCES)))
aarch64/tests/x86/x86test: $(A64_X86TEST_OBJS)
	$(AM_V_CCLD)$(AARCH64_CC) -static -o $@ $(A64_X86TEST_OBJS) -lpthread
aarch64/tests/x86/interp_test: $(A64_X86_OBJS) aarch64/tests/x86/interp_test.o
	$(AM_V_CCLD)$(AARCH64_CC) -static -o $@ $^ -lpthread
if HAVE_QEMU_AARCH64
if HOST_X86_64
check_SCRIPTS += aarch64/tests/x86/x86test aarch64/tests/x86/interp_test
TESTS += tests/x86/diff-aarch64.sh tests/x86/interp-aarch64.sh
endif
endif
endif

endif

# Regenerates tests/x86/expect/*.xexp from native runs (x86-64 hosts).
x86-expect: tests/x86/x86test$(EXEEXT)
	$(MKDIR_P) $(srcdir)/tests/x86/expect
	tests/x86/x86test record $(srcdir)/tests/x86/expect
.PHONY: x86-expect

# --- benchmark (not a test): make bench-interp ------------------------------
noinst_PROGRAMS += tests/bench/interp_bench
tests_bench_interp_bench_SOURCES = tests/bench/interp_bench.c
tests_bench_interp_bench_LDADD = libx86.a -lpthread
bench-interp: tests/bench/interp_bench$(EXEEXT)
	tests/bench/interp_bench
.PHONY: bench-interp
