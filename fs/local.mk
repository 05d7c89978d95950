# fs — xlatefs, the FUSE share (DESIGN.md, "Names in the share")

# Everything but main() is a library, so unit tests and fuzz targets link it.
XLATEFS_CORE_SOURCES = \
	fs/log.c \
	fs/opts.c \
	fs/binfmt.c \
	fs/elfcheck.c \
	fs/codemap.c \
	fs/names.c \
	fs/keymap.c \
	fs/stats.c \
	fs/inode.c \
	fs/requests.c \
	fs/spawn.c \
	fs/job.c \
	fs/pending.c \
	fs/sched.c \
	fs/housekeep.c \
	fs/setup.c \
	fs/ops.c \
	fs/ops_lookup.c \
	fs/ops_dir.c \
	fs/ops_file.c \
	fs/ops_requests.c

# Installed paths the daemon defaults to (-o store=, translator=, compiler=).
XLATEFS_PATHS = \
	-DXLATEFS_DEFAULT_STORE='"$(localstatedir)/cache/xlatefs"' \
	-DXLATEFS_XLATE='"$(bindir)/xlate"' \
	-DXLATEFS_XLATE_AARCH64='"$(pkglibexecdir)/xlate-aarch64"' \
	-DXLATEFS_XLATEC='"$(bindir)/xlatec"'
XLATEFS_CPPFLAGS = $(AM_CPPFLAGS) $(XLATEFS_PATHS)
XLATEFS_CFLAGS = $(AM_CFLAGS) $(FUSE_CFLAGS) -pthread
XLATEFS_LIBS = libxlatefs.a libxlcache.a $(FUSE_LIBS) -lpthread -lm

noinst_LIBRARIES += libxlatefs.a
libxlatefs_a_SOURCES = $(XLATEFS_CORE_SOURCES) fs/xlatefs.h fs/internal.h fs/ops.h
libxlatefs_a_CPPFLAGS = $(XLATEFS_CPPFLAGS)
libxlatefs_a_CFLAGS = $(XLATEFS_CFLAGS)

bin_PROGRAMS += xlatefs
xlatefs_SOURCES = fs/main.c
xlatefs_CPPFLAGS = $(XLATEFS_CPPFLAGS)
xlatefs_CFLAGS = $(XLATEFS_CFLAGS)
xlatefs_LDADD = $(XLATEFS_LIBS)

# The public header the translator and tools include.
pkginclude_HEADERS = fs/xlatefs.h

# What mount(8) runs for type fuse.xlatefs (fstab, systemd .mount units).
sbin_PROGRAMS += mount.fuse.xlatefs
mount_fuse_xlatefs_SOURCES = fs/mount_helper.c
mount_fuse_xlatefs_CPPFLAGS = $(AM_CPPFLAGS) -DXLATEFS_DAEMON='"$(bindir)/xlatefs"'

# Examples for mounting and registering (contrib/): installed as documentation,
# never activated by make install.
xlatefs_examplesdir = $(docdir)/examples
dist_xlatefs_examples_DATA = contrib/fstab.example contrib/virtiofs.md
xlatefs_binfmtdir = $(xlatefs_examplesdir)/binfmt.d
dist_xlatefs_binfmt_DATA = contrib/binfmt.d/rosetta.conf
xlatefs_systemddir = $(xlatefs_examplesdir)/systemd
dist_xlatefs_systemd_DATA = contrib/systemd/media-rosetta.mount
xlatefs_dropindir = $(xlatefs_systemddir)/systemd-binfmt.service.d
dist_xlatefs_dropin_DATA = contrib/systemd/systemd-binfmt.service.d/xlatefs.conf

# ---- tests ----
if ENABLE_TESTS
# Test doubles and tools for the integration tests. The doubles are what the
# daemon and the kernel run: no sanitizers (a compiler runs under an
# address-space limit; the interpreter double is static, and stamped with
# EI_ABIVERSION 1 so the x86-64 binfmt entry under test does not catch it).
check_PROGRAMS += tests/integration/fs-tool tests/integration/fake-xlatec \
	tests/integration/fake-xlate
tests_integration_fs_tool_SOURCES = tests/integration/fs-tool.c
tests_integration_fs_tool_CFLAGS = $(AM_CFLAGS) -pthread
tests_integration_fs_tool_LDADD = -lpthread
tests_integration_fake_xlatec_SOURCES = tests/integration/fake-xlatec.c
tests_integration_fake_xlatec_CFLAGS = $(WARN_CFLAGS)
tests_integration_fake_xlatec_LDFLAGS =
tests_integration_fake_xlate_SOURCES = tests/integration/fake-xlate.c
tests_integration_fake_xlate_CFLAGS = $(WARN_CFLAGS)
tests_integration_fake_xlate_LDFLAGS = -static
XLATEFS_STAMP = cp $< $@.tmp && printf '\001' | dd of=$@.tmp bs=1 seek=8 conv=notrunc status=none && mv $@.tmp $@
tests/integration/fake-xlate.abi1: tests/integration/fake-xlate$(EXEEXT)
	$(AM_V_GEN)$(XLATEFS_STAMP)
check_SCRIPTS += tests/integration/fake-xlate.abi1
CLEANFILES += tests/integration/fake-xlate.abi1

# The real translator, stamped likewise, and a small x86-64 program for it
# and the real compiler (fs-real.sh; an x86-64 host builds the program).
tests/integration/xlate.abi1: xlate$(EXEEXT)
	$(AM_V_GEN)$(XLATEFS_STAMP)
check_SCRIPTS += tests/integration/xlate.abi1
CLEANFILES += tests/integration/xlate.abi1
if HOST_X86_64
check_PROGRAMS += tests/integration/fs-hello
tests_integration_fs_hello_SOURCES = tests/integration/fs-hello.c
tests_integration_fs_hello_CFLAGS = $(WARN_CFLAGS) -O2
tests_integration_fs_hello_LDFLAGS =
endif

# The mount helper as installed, but starting this build's daemon.
check_PROGRAMS += tests/integration/mount.fuse.xlatefs
tests_integration_mount_fuse_xlatefs_SOURCES = fs/mount_helper.c
tests_integration_mount_fuse_xlatefs_CPPFLAGS = $(AM_CPPFLAGS) \
	-DXLATEFS_DAEMON='"$(abs_top_builddir)/xlatefs$(EXEEXT)"'

XLATEFS_IT = \
	tests/integration/fs-mount.sh \
	tests/integration/fs-lazy.sh \
	tests/integration/fs-badinput.sh \
	tests/integration/fs-compiler.sh \
	tests/integration/fs-concurrency.sh \
	tests/integration/fs-enospc.sh \
	tests/integration/fs-mounting.sh \
	tests/integration/fs-real.sh \
	tests/integration/fs-restart.sh
TESTS += $(XLATEFS_IT)
dist_check_SCRIPTS += $(XLATEFS_IT)
EXTRA_DIST += tests/integration/fs-lib.sh
endif
