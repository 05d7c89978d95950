# translator/runtime/abi.mk — the guest system call ABI layer, included by
# translator/runtime/local.mk. Every file compiles on both hosts: the
# x86-64 and aarch64 parts are selected inside the files, so one list
# serves the native build and the aarch64 cross build.

# The aarch64 objects of the C and assembly files in a source list.
a64_objs = $(patsubst %.S,aarch64/%.o,$(patsubst %.c,aarch64/%.o,$(filter %.c %.S,$(1))))
aarch64/%.o: %.S
	$(AM_V_CPPAS)mkdir -p $(@D) && $(AARCH64_CC) $(A64_CFLAGS) -c -o $@ $<

ABI_SOURCES = \
	translator/runtime/abi.h \
	translator/runtime/abi_impl.h \
	translator/runtime/sysnums.def \
	translator/runtime/abi_aarch64.h \
	translator/runtime/abi_common.c \
	translator/runtime/abi_gate.h \
	translator/runtime/abi_gate.S \
	translator/runtime/abi_consts.c \
	translator/runtime/abi_x86_64.c \
	translator/runtime/abi_aarch64.c \
	translator/runtime/abi_aarch64_flags.c \
	translator/runtime/abi_aarch64_struct.c \
	translator/runtime/abi_aarch64_ioctl.c \
	translator/runtime/abi_aarch64_path.c \
	translator/runtime/abi_aarch64_emul.c \
	translator/runtime/abi_aarch64_proc.c

ABI_A64_OBJS = $(call a64_objs,$(ABI_SOURCES))

if ENABLE_TESTS
# One plain C test program (cmocka does not exist for aarch64), run natively
# (the passthrough) and, cross-built, under qemu-aarch64 (the conversions).
check_PROGRAMS += tests/unit/test_abi
ABI_TEST_SOURCES = tests/unit/test_abi.h tests/unit/test_abi.c tests/unit/test_abi_fs.c \
	tests/unit/test_abi_io.c tests/unit/test_abi_sys.c tests/unit/test_abi_fault.c
tests_unit_test_abi_SOURCES = $(ABI_TEST_SOURCES) $(ABI_SOURCES)
TESTS += tests/unit/test_abi

if HAVE_QEMU_AARCH64
aarch64/tests/unit/test_abi: $(patsubst %.c,aarch64/%.o,$(filter %.c,$(ABI_TEST_SOURCES))) \
		$(ABI_A64_OBJS)
	$(AM_V_CCLD)$(AARCH64_CC) -static -o $@ $^
tests/unit/test_abi_aarch64.sh: Makefile
	$(AM_V_GEN)mkdir -p $(@D) && \
	printf '#!/bin/sh\nexec "$$QEMU_AARCH64" aarch64/tests/unit/test_abi "$$@"\n' >$@ && \
	chmod +x $@
check_SCRIPTS += aarch64/tests/unit/test_abi tests/unit/test_abi_aarch64.sh
TESTS += tests/unit/test_abi_aarch64.sh
CLEANFILES += tests/unit/test_abi_aarch64.sh
endif
endif
