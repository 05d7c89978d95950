# translator/runtime/abi.mk — the guest system call ABI layer, included by
# translator/runtime/local.mk. Every file compiles on both hosts: the
# x86-64 and aarch64 parts are selected inside the files, so one list
# serves the native build and the aarch64 cross build.

ABI_SOURCES = \
	translator/runtime/abi.h \
	translator/runtime/abi_impl.h \
	translator/runtime/sysnums.def \
	translator/runtime/abi_common.c \
	translator/runtime/abi_x86_64.c

ABI_A64_OBJS = $(patsubst %.c,aarch64/%.o,$(filter %.c,$(ABI_SOURCES)))

if ENABLE_TESTS
# One plain C test program (cmocka does not exist for aarch64), run natively
# (the passthrough) and, cross-built, under qemu-aarch64 (the conversions).
check_PROGRAMS += tests/unit/test_abi
tests_unit_test_abi_SOURCES = tests/unit/test_abi.c $(ABI_SOURCES)
TESTS += tests/unit/test_abi
endif
