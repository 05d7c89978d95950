# translator/aot — xlatec, the ahead-of-time compiler

# The headers generated C includes; xlatec carries them (headers.c).
AOT_EMBED = $(filter %.h %.def,$(X86_HDRS)) translator/aot/xlrt.h translator/aot/xlimage.h
# The translator build id: what an image's code depends on. Images name it
# in their header; the runtime refuses any other.
AOT_BUILDID_INPUTS = $(AOT_EMBED) translator/aot/emit.c translator/aot/effects.c \
	translator/aot/region.c translator/aot/build.c

translator/aot/headers.c: $(AOT_EMBED) translator/aot/embed.sh
	$(AM_V_GEN)mkdir -p $(@D) && \
	$(SHELL) $(srcdir)/translator/aot/embed.sh $(srcdir) $(AOT_EMBED) > $@.tmp && mv $@.tmp $@
translator/aot/buildid.h: $(AOT_BUILDID_INPUTS)
	$(AM_V_GEN)mkdir -p $(@D) && \
	id=`cd $(srcdir) && cat $(AOT_BUILDID_INPUTS) | sha256sum | cut -c1-32` && \
	{ echo '/* Generated: the translator build id (translator/aot/local.mk). */'; \
	  echo "#define XL_BUILD_ID_HEX \"$$id\""; \
	  echo "#define XL_BUILD_ID {`echo $$id | sed 's/../0x&, /g'`}"; } > $@.tmp && mv $@.tmp $@
CLEANFILES += translator/aot/headers.c translator/aot/buildid.h
EXTRA_DIST += translator/aot/embed.sh

bin_PROGRAMS += xlatec
xlatec_SOURCES = \
	translator/aot/aot.h \
	translator/aot/xlimage.h \
	translator/aot/xlrt.h \
	translator/aot/xlatec.c \
	translator/aot/util.c \
	translator/aot/module.c \
	translator/aot/ehframe.c \
	translator/aot/codemap.c \
	translator/aot/effects.c \
	translator/aot/region.c \
	translator/aot/emit.c \
	translator/aot/build.c \
	translator/aot/xlimage.c
nodist_xlatec_SOURCES = translator/aot/headers.c
xlatec_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS)
xlatec_LDADD = libx86.a libxlcache.a $(LIBELF_LIBS)
$(xlatec_OBJECTS): translator/aot/buildid.h

# effects.c against the interpreter on every form of the differential
# suite (tests/aot/effects_check.c): a few seconds, on any host.
if ENABLE_TESTS
check_PROGRAMS += tests/aot/effects_check
tests_aot_effects_check_SOURCES = tests/aot/effects_check.c translator/aot/aot.h \
	translator/aot/effects.c tests/x86/gen.c tests/x86/layout.c tests/x86/interp_run.c \
	tests/x86/state.c $(X86_FORMS_SOURCES) $(X86TEST_HDRS)
tests_aot_effects_check_LDADD = libx86.a -lpthread
TESTS += tests/aot/effects_check
endif

# Images end to end on one small guest module (tests/aot/aot-image.sh):
# about a minute on 2 cores, most of it compiling four small images.
EXTRA_DIST += tests/aot/aot-image.sh tests/aot/fault-state.sh tests/aot/common.sh tests/aot/regions.sh
if HOST_X86_64
if ENABLE_TESTS
# The guest: static, no libc, not instrumented (it runs under xlate).
check_PROGRAMS += tests/aot/aotprog
tests_aot_aotprog_SOURCES = tests/aot/aotprog.c tests/aot/guestlib.h
tests_aot_aotprog_CFLAGS = $(WARN_CFLAGS) -O2 -ffreestanding -fno-stack-protector -fno-pie
tests_aot_aotprog_LDFLAGS = -static -nostdlib -no-pie
# The fault-state guest (tests/aot/fault-state.sh), built the same way.
check_PROGRAMS += tests/aot/faultprog
tests_aot_faultprog_SOURCES = tests/aot/faultprog.c tests/aot/guestlib.h
tests_aot_faultprog_CFLAGS = $(tests_aot_aotprog_CFLAGS)
tests_aot_faultprog_LDFLAGS = $(tests_aot_aotprog_LDFLAGS)
TESTS += tests/aot/fault-state.sh
# Regions: each instruction lifted once, entries, map mode
# (tests/aot/regions.sh, a second): region.c's promises on the guests
# above and on one laid out to catch duplication (overlapprog).
check_PROGRAMS += tests/aot/overlapprog tests/aot/region_check
tests_aot_overlapprog_SOURCES = tests/aot/overlapprog.c
tests_aot_overlapprog_CFLAGS = $(tests_aot_aotprog_CFLAGS)
tests_aot_overlapprog_LDFLAGS = $(tests_aot_aotprog_LDFLAGS)
tests_aot_region_check_SOURCES = tests/aot/region_check.c translator/aot/aot.h \
	translator/aot/util.c translator/aot/module.c translator/aot/ehframe.c \
	translator/aot/codemap.c translator/aot/effects.c translator/aot/region.c
tests_aot_region_check_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS)
tests_aot_region_check_LDADD = libx86.a $(LIBELF_LIBS)
TESTS += tests/aot/regions.sh
TESTS += tests/aot/aot-image.sh
# The lazy cache through a real mount with the real xlate and xlatec
# (uses the share's test tools, fs/local.mk).
TESTS += tests/integration/aot-lazy.sh
endif
endif
EXTRA_DIST += tests/integration/aot-lazy.sh

# The real-program suite in the three modes (interpreter only, partial and
# whole images, x86-64 and aarch64), see tests/aot/guest-modes.sh. Manual,
# not for CI: the first run compiles whole images of the 37 modules the
# fast tier loads (1.5 million guest instructions) for both targets; at
# 2-5 ms of compiler CPU per instruction, one and a half to two hours on
# 2 cores. Later runs of the same build reuse the images in $AOT_IMAGES.
EXTRA_DIST += tests/aot/guest-modes.sh
check-aot-full: all $(GUEST_BINS)
	top_builddir='$(abs_top_builddir)' QEMU_AARCH64='$(QEMU_AARCH64)' \
		$(SHELL) $(srcdir)/tests/aot/guest-modes.sh -a
.PHONY: check-aot-full
