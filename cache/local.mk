# cache — libxlcache (the image store) and xlatefs-cache (its CLI)

# Only libc and the xxhash header (inline): the static translator and its
# aarch64 cross build link these sources too (see XLCACHE_SOURCES).
XLCACHE_SOURCES = \
	cache/key.c \
	cache/sha256.c \
	cache/entry.c \
	cache/store.c \
	cache/lookup.c \
	cache/publish.c \
	cache/scan.c \
	cache/foreach.c \
	cache/verify.c \
	cache/evict.c

noinst_LIBRARIES += libxlcache.a
libxlcache_a_SOURCES = $(XLCACHE_SOURCES) cache/xlcache.h cache/internal.h cache/hash.h

bin_PROGRAMS += xlatefs-cache
xlatefs_cache_SOURCES = cache/cli.c
xlatefs_cache_LDADD = libxlcache.a
