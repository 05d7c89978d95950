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
	translator/runtime/signal.c \
	translator/runtime/stack.c \
	translator/runtime/syscall.c \
	translator/runtime/sys_file.c \
	translator/runtime/sys_mem.c \
	translator/runtime/sys_proc.c

noinst_LIBRARIES += libxlrt.a
libxlrt_a_SOURCES = $(XLATE_RT_SOURCES) $(ABI_SOURCES)

if ENABLE_TESTS
check_PROGRAMS += tests/unit/test_runtime_mem
tests_unit_test_runtime_mem_SOURCES = tests/unit/test_runtime_mem.c tests/unit/fake_x86.c
tests_unit_test_runtime_mem_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_runtime_mem_LDADD = libxlrt.a $(CMOCKA_LIBS)
TESTS += tests/unit/test_runtime_mem
endif
