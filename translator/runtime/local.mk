# translator/runtime — xlate, the x86-64 Linux user-mode translator
include translator/runtime/abi.mk

# Everything but main.c, so that unit tests can link the parts they test.
XLATE_RT_SOURCES = \
	translator/runtime/runtime.h \
	translator/runtime/syscalls.h \
	translator/runtime/codepage.c \
	translator/runtime/exec.c \
	translator/runtime/guest.c \
	translator/runtime/identity.c \
	translator/runtime/layout.c \
	translator/runtime/loader.c \
	translator/runtime/log.c \
	translator/runtime/mem.c \
	translator/runtime/place.c \
	translator/runtime/proc_files.c \
	translator/runtime/sigdeliver.c \
	translator/runtime/sigframe.c \
	translator/runtime/signal.c \
	translator/runtime/sigstate.h \
	translator/runtime/stack.c \
	translator/runtime/syscall.c \
	translator/runtime/sys_file.c \
	translator/runtime/sys_mem.c \
	translator/runtime/sys_proc.c \
	translator/runtime/sys_pwait.c \
	translator/runtime/thread.c \
	translator/runtime/vsyscall.c

include translator/runtime/image.mk

noinst_LIBRARIES += libxlrt.a
libxlrt_a_SOURCES = $(XLATE_RT_SOURCES) $(ABI_SOURCES)

# xlate is static (it runs in containers without a host libc) and
# position-independent: see layout.c for the memory layout this gives.
# The sanitizer runtimes cannot be linked static: that build is dynamic.
bin_PROGRAMS += xlate
xlate_SOURCES = translator/runtime/main.c
xlate_LDADD = libxlrt.a libx86.a -lm -lpthread
if !SANITIZERS
xlate_LDFLAGS = -static-pie
endif

# The aarch64 translator: the same sources, cross-built.
if HAVE_AARCH64_CC
XLATE_A64_OBJS = $(call a64_objs,$(X86_SOURCES) $(XLATE_RT_SOURCES) $(ABI_SOURCES) \
	translator/runtime/main.c)
xlate-aarch64: $(XLATE_A64_OBJS)
	$(AM_V_CCLD)$(AARCH64_CC) -static-pie -o $@ $(XLATE_A64_OBJS) -lm -lpthread
pkglibexec_SCRIPTS += xlate-aarch64
CLEANFILES += xlate-aarch64
endif

if ENABLE_TESTS
check_PROGRAMS += tests/unit/test_runtime_mem
tests_unit_test_runtime_mem_SOURCES = tests/unit/test_runtime_mem.c tests/unit/fake_x86.c
tests_unit_test_runtime_mem_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_runtime_mem_LDADD = libxlrt.a libx86.a $(CMOCKA_LIBS)
TESTS += tests/unit/test_runtime_mem
check_PROGRAMS += tests/unit/test_runtime_sys
tests_unit_test_runtime_sys_SOURCES = tests/unit/test_runtime_sys.c tests/unit/fake_x86.c
tests_unit_test_runtime_sys_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_runtime_sys_LDADD = libxlrt.a libx86.a $(CMOCKA_LIBS)
TESTS += tests/unit/test_runtime_sys
endif

# The real-program suite (tests/guest): Debian's own x86-64 programs
# under xlate against their native runs. make check runs the fast tier;
# make check-guest-full runs everything (see tests/guest/run.sh).
GUEST_SUITE = tests/guest/run.sh tests/guest/cases.sh tests/guest/data.sh \
	tests/guest/scripts/basics.sh tests/guest/scripts/py_mix.py \
	tests/guest/scripts/mix.pl tests/guest/scripts/sql.awk tests/guest/scripts/spawn.py \
	tests/guest/binfmt-a64.sh
EXTRA_DIST += $(GUEST_SUITE) tests/guest/check.sh tests/guest/binfmt.sh tests/guest/runtime.sh
# Uninstrumented: they show the process the kernel (or xlate) built.
# identity in the three forms an executable comes in: static, static-pie
# and dynamic (ld.so loaded from PT_INTERP).
GUEST_BINS = tests/guest/identity tests/guest/identity-pie tests/guest/identity-dyn \
	tests/guest/memory tests/guest/syscalls
if HOST_X86_64
if ENABLE_TESTS
check_PROGRAMS += $(GUEST_BINS)
tests_guest_identity_SOURCES = tests/guest/identity.c
tests_guest_identity_CFLAGS = $(WARN_CFLAGS) -O2
tests_guest_identity_LDFLAGS = -static
tests_guest_identity_pie_SOURCES = tests/guest/identity.c
tests_guest_identity_pie_CFLAGS = $(WARN_CFLAGS) -O2 -fPIE
tests_guest_identity_pie_LDFLAGS = -static-pie
tests_guest_identity_dyn_SOURCES = tests/guest/identity.c
tests_guest_identity_dyn_CFLAGS = $(WARN_CFLAGS) -O2 -fPIE
tests_guest_identity_dyn_LDFLAGS = -pie
tests_guest_memory_SOURCES = tests/guest/memory.c
tests_guest_memory_CFLAGS = $(WARN_CFLAGS) -O2
tests_guest_memory_LDFLAGS = -static
tests_guest_syscalls_SOURCES = tests/guest/syscalls.c
tests_guest_syscalls_CFLAGS = $(WARN_CFLAGS) -O2
tests_guest_syscalls_LDFLAGS = -static
TESTS += tests/guest/check.sh tests/guest/binfmt.sh tests/guest/runtime.sh
endif
endif
# The two halves are independent (CI may run them in parallel).
GUEST_RUN = top_builddir='$(abs_top_builddir)' QEMU_AARCH64='$(QEMU_AARCH64)' \
	$(SHELL) $(srcdir)/tests/guest/run.sh -t full
check-guest-full-xlate: all $(GUEST_BINS)
	$(GUEST_RUN) -m xlate
check-guest-full-a64: all $(GUEST_BINS)
	$(GUEST_RUN) -m a64
check-guest-full: all $(GUEST_BINS)
	$(GUEST_RUN)
.PHONY: check-guest-full check-guest-full-xlate check-guest-full-a64
