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
