# decoder: tables, decode, format, and its tests
X86_DECODE_SOURCES += \
	translator/x86/decode.c \
	translator/x86/decode_tab.h \
	translator/x86/decode_forms.h \
	translator/x86/decode_tab_gp.c \
	translator/x86/decode_tab_sse.c \
	translator/x86/decode_tab_avx.c \
	translator/x86/decode_tab_x87.c \
	translator/x86/format.c \
	translator/x86/ops.c

if ENABLE_TESTS
check_PROGRAMS += tests/unit/test_decode tests/x86/zydis_diff
tests_unit_test_decode_SOURCES = tests/unit/test_decode.c
tests_unit_test_decode_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_decode_LDADD = libx86.a $(CMOCKA_LIBS) -lpthread
tests_x86_zydis_diff_SOURCES = tests/x86/zydis_diff.c
tests_x86_zydis_diff_CFLAGS = $(AM_CFLAGS) $(ZYDIS_CFLAGS)
tests_x86_zydis_diff_LDADD = libx86.a $(ZYDIS_LIBS) -lpthread
# Zydis differential test: Debian binaries, every opcode x ModRM, random
# strings (XLATE_ZYDIS_RANDOM, default 10000000: about 5 s).
dist_check_SCRIPTS += tests/x86/zydis_diff.sh
TESTS += tests/unit/test_decode tests/x86/zydis_diff.sh
endif
