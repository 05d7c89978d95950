# fs — xlatefs, the FUSE share (DESIGN.md, "Names in the share")

# Everything but main() is a library, so unit tests and fuzz targets link it.
XLATEFS_CORE_SOURCES = \
	fs/log.c \
	fs/opts.c \
	fs/binfmt.c \
	fs/elfcheck.c \
	fs/codemap.c \
	fs/keymap.c \
	fs/stats.c \
	fs/inode.c \
	fs/requests.c \
	fs/spawn.c \
	fs/job.c \
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
