# x87 semantics, 80-bit arithmetic, and their tests
X86_HDRS += translator/x86/sem_x87.h translator/x86/f80.h translator/x86/f80_impl.h
X86_X87_SOURCES += translator/x86/f80_arith.c translator/x86/f80_ops.c \
	translator/x86/f80_conv.c
