# translator/runtime/image.mk — pretranslated images in the runtime:
# loading and dispatch, code maps, the share client (issue 7). Included by
# translator/runtime/local.mk.

# The runtime calls into these through weak references (image.h): unit
# tests that link libxlrt.a without main.c do not pull them in.
XLATE_RT_SOURCES += \
	translator/runtime/image.h \
	translator/runtime/image.c \
	translator/runtime/image_load.c \
	translator/runtime/image_dispatch.c \
	translator/runtime/image_module.c \
	translator/runtime/image_exports.c \
	translator/runtime/codemap.c \
	translator/runtime/share_client.c \
	translator/aot/xlimage.c \
	$(XLCACHE_SOURCES)

# What images may import: what probe.c (every op's semantics, compiled as
# images are) leaves undefined, plus libc's mem* functions, which the
# compiler may call for copies on any host.
translator/runtime/image_exports.def: translator/aot/probe.c $(AOT_EMBED)
	$(AM_V_GEN)mkdir -p $(@D) && \
	$(CC) -O2 -std=gnu11 -fPIC -fno-plt -fvisibility=hidden -fno-stack-protector \
		$(FP_CFLAGS) -w -shared -nostdlib -Wl,--exclude-libs,ALL -Wl,-Bsymbolic \
		-I$(top_builddir) -I$(top_srcdir) -o $@.so $(srcdir)/translator/aot/probe.c -lgcc && \
	{ nm -D --undefined-only $@.so | awk '{ print $$2 }'; \
	  printf 'memcpy\nmemmove\nmemset\nmemcmp\n'; } | sort -u | \
		sed 's/.*/X(&)/' > $@.tmp && rm -f $@.so && mv $@.tmp $@
CLEANFILES += translator/runtime/image_exports.def
EXTRA_DIST += translator/aot/probe.c

IMAGE_GENERATED_DEPS = translator/aot/buildid.h translator/runtime/image_exports.def
translator/runtime/image_load.$(OBJEXT) translator/runtime/image_exports.$(OBJEXT): \
	$(IMAGE_GENERATED_DEPS)
aarch64/translator/runtime/image_load.o aarch64/translator/runtime/image_exports.o: \
	$(IMAGE_GENERATED_DEPS)
