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

# ---- tests ----
if ENABLE_TESTS
noinst_LIBRARIES += libxlcache-test.a
libxlcache_test_a_SOURCES = tests/unit/test_cache_util.c tests/unit/test_cache_util.h
XLCACHE_TEST_LIBS = libxlcache-test.a libxlcache.a $(CMOCKA_LIBS)
XLCACHE_TESTS = \
	tests/unit/test_cache_key \
	tests/unit/test_cache_store \
	tests/unit/test_cache_crash \
	tests/unit/test_cache_concurrency \
	tests/unit/test_cache_enospc
check_PROGRAMS += $(XLCACHE_TESTS)
TESTS += $(XLCACHE_TESTS)
tests_unit_test_cache_key_SOURCES = tests/unit/test_cache_key.c
tests_unit_test_cache_key_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_cache_key_LDADD = $(XLCACHE_TEST_LIBS)
tests_unit_test_cache_store_SOURCES = tests/unit/test_cache_store.c
tests_unit_test_cache_store_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_cache_store_LDADD = $(XLCACHE_TEST_LIBS)
tests_unit_test_cache_crash_SOURCES = tests/unit/test_cache_crash.c
tests_unit_test_cache_crash_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_cache_crash_LDADD = $(XLCACHE_TEST_LIBS)
tests_unit_test_cache_concurrency_SOURCES = tests/unit/test_cache_concurrency.c
tests_unit_test_cache_concurrency_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -pthread
tests_unit_test_cache_concurrency_LDADD = $(XLCACHE_TEST_LIBS) -lpthread
tests_unit_test_cache_enospc_SOURCES = tests/unit/test_cache_enospc.c
tests_unit_test_cache_enospc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_cache_enospc_LDADD = $(XLCACHE_TEST_LIBS)

TESTS += tests/integration/cache-cli.sh
dist_check_SCRIPTS += tests/integration/cache-cli.sh tests/integration/cache-cli-aarch64.sh
if HAVE_QEMU_AARCH64
TESTS += tests/integration/cache-cli-aarch64.sh
endif
endif

# ---- the same sources cross-built for aarch64 ----
if HAVE_AARCH64_CC
XLCACHE_A64_OBJECTS = $(XLCACHE_SOURCES:%.c=aarch64/%.o)
aarch64/xlatefs-cache: $(XLCACHE_A64_OBJECTS) aarch64/cache/cli.o
	$(AM_V_CCLD)$(AARCH64_CC) -static -o $@ $^
# Built for `make check` (the aarch64 CLI test runs it under qemu-aarch64).
check_SCRIPTS += aarch64/xlatefs-cache
endif
