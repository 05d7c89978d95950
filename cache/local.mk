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
	tests/unit/test_cache_concurrency
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
endif
