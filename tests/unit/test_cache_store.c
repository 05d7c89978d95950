/* SPDX-License-Identifier: MIT */
/*
 * The store in one process: layout, publish/lookup/remove round trips,
 * sources and their SHA-256, every kind of bad entry, verify, foreach,
 * stats, recency refresh, LRU eviction and temp-file cleanup.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache/internal.h"
#include "tests/unit/test_cache_util.h"

struct fixture {
	char *dir;
	struct xlc_store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = tc_tempdir();
	if (xlc_open(f->dir, 0, &f->st) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xlc_close(f->st);
	tc_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static uint8_t *read_payload(const struct xlc_entry *e)
{
	uint8_t *p = malloc(e->size + 1);

	assert_non_null(p);
	assert_int_equal(pread(e->fd, p, e->size, (off_t)e->offset), (ssize_t)e->size);
	return p;
}

/* Publishes len pattern bytes as an image of key n; returns the key. */
static struct xlc_key put_image(struct xlc_store *st, const char *target, uint64_t n, size_t len)
{
	uint8_t *buf = malloc(len + 1);
	struct xlc_key key = tc_key(n);

	tc_pattern(buf, len, n);
	assert_int_equal(xlc_publish(st, target, &key, buf, len), 0);
	free(buf);
	return key;
}

static void assert_image(struct xlc_store *st, const char *target, uint64_t n, size_t len)
{
	struct xlc_key key = tc_key(n);
	uint8_t *want = malloc(len + 1), *got;
	struct xlc_entry e;

	tc_pattern(want, len, n);
	assert_int_equal(xlc_lookup(st, target, &key, &e), 0);
	assert_int_equal(e.size, len);
	assert_int_equal(e.kind, XLC_KIND_IMAGE);
	got = read_payload(&e);
	assert_memory_equal(got, want, len);
	xlc_entry_close(&e);
	free(got);
	free(want);
}

static void mkdir_parent(const char *path)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	assert_true(mkdir(dir, 0755) == 0 || errno == EEXIST);
}

/* Entries are published read-only; damaging one takes write access first. */
static void make_writable(const char *path)
{
	assert_int_equal(chmod(path, 0644), 0);
}

static void flip_byte(const char *path, off_t off)
{
	int fd;

	make_writable(path);
	fd = open(path, O_RDWR);
	uint8_t b;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, off), 1);
	b ^= 0x40;
	assert_int_equal(pwrite(fd, &b, 1, off), 1);
	close(fd);
}

static void test_layout(void **state)
{
	struct fixture *f = *state;
	char path[4096], buf[64];
	struct xlc_store *st2;
	struct stat sb;
	int fd;

	snprintf(path, sizeof(path), "%s/FORMAT", f->dir);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 16);
	close(fd);
	assert_memory_equal(buf, "xlcache-store 1\n", 16);
	snprintf(path, sizeof(path), "%s/v1/sources", f->dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_string_equal(xlc_store_dir(f->st), f->dir);

	/* Reopening, also read-only, works; another format is refused. */
	assert_int_equal(xlc_open(f->dir, XLC_RDONLY, &st2), 0);
	xlc_close(st2);
	snprintf(path, sizeof(path), "%s/FORMAT", f->dir);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "xlcache-store 2\n", 16), 16);
	close(fd);
	assert_int_equal(xlc_open(f->dir, 0, &st2), -EPROTO);
	snprintf(path, sizeof(path), "%s/missing", f->dir);
	assert_int_equal(xlc_open(path, XLC_RDONLY, &st2), -ENOENT);
}

static void test_image_round_trip(void **state)
{
	struct fixture *f = *state;
	struct xlc_key key = put_image(f->st, "aarch64-v1", 1, 100000);
	struct xlc_entry e;
	struct xlc_stats s;
	uint8_t *want = malloc(100000), *map;

	assert_image(f->st, "aarch64-v1", 1, 100000);
	/* The payload is mmappable in place. */
	assert_int_equal(xlc_lookup(f->st, "aarch64-v1", &key, &e), 0);
	assert_int_equal(e.offset % XLC_IMAGE_ALIGN, 0);
	map = mmap(NULL, e.size, PROT_READ, MAP_PRIVATE, e.fd, (off_t)e.offset);
	assert_true(map != MAP_FAILED);
	tc_pattern(want, 100000, 1);
	assert_memory_equal(map, want, 100000);
	munmap(map, e.size);
	/* Images carry no SHA-256 of their own. */
	for (int i = 0; i < XLC_SHA256_BYTES; i++)
		assert_int_equal(e.sha256[i], 0);
	xlc_entry_close(&e);
	assert_int_equal(e.fd, -1);

	/* Another target, and the same key with a newer image, are separate/replaced. */
	assert_int_equal(xlc_lookup(f->st, "x86_64-v1", &key, &e), -ENOENT);
	assert_int_equal(xlc_publish(f->st, "aarch64-v1", &key, "newer", 5), 0);
	assert_int_equal(xlc_lookup(f->st, "aarch64-v1", &key, &e), 0);
	assert_int_equal(e.size, 5);
	xlc_entry_close(&e);
	/* An empty image is a valid payload. */
	assert_int_equal(xlc_publish(f->st, "x86_64-v1", &key, "", 0), 0);
	assert_int_equal(xlc_lookup(f->st, "x86_64-v1", &key, &e), 0);
	assert_int_equal(e.size, 0);
	xlc_entry_close(&e);

	assert_int_equal(xlc_stats(f->st, &s), 0);
	assert_int_equal(s.publishes, 3);
	assert_int_equal(s.hits, 4);
	assert_int_equal(s.misses, 1);
	assert_int_equal(s.corrupt, 0);
	free(want);
}

static void test_publish_fd_and_remove(void **state)
{
	struct fixture *f = *state;
	char path[4096];
	uint8_t buf[50000];
	struct xlc_key key = tc_key(3);
	struct xlc_entry e;
	int fd;

	snprintf(path, sizeof(path), "%s/input", f->dir);
	tc_pattern(buf, sizeof(buf), 3);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_int_equal(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	assert_int_equal(xlc_publish_fd(f->st, "aarch64-v1", &key, fd), 0);
	close(fd);
	assert_image(f->st, "aarch64-v1", 3, sizeof(buf));

	assert_int_equal(xlc_remove(f->st, "aarch64-v1", &key), 0);
	assert_int_equal(xlc_lookup(f->st, "aarch64-v1", &key, &e), -ENOENT);
	assert_int_equal(xlc_remove(f->st, "aarch64-v1", &key), -ENOENT);
	assert_int_equal(xlc_remove(f->st, "never-used", &key), -ENOENT);
	assert_int_equal(xlc_publish_fd(f->st, "aarch64-v1", &key, -1), -EBADF);
}

static void test_sources(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[70000], sha[XLC_SHA256_BYTES], want[XLC_SHA256_BYTES];
	struct xlc_key key, other = tc_key(9);
	struct xlc_entry e;
	struct xlc_stats s;

	tc_pattern(buf, sizeof(buf), 4);
	xlc_key_from_bytes(buf, sizeof(buf), &key);
	xlc_sha256(buf, sizeof(buf), want);
	assert_int_equal(xlc_source_sha256(f->st, &key, sha), -ENOENT);
	assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &key, buf, sizeof(buf)), 0);
	assert_int_equal(xlc_lookup(f->st, XLC_SOURCES, &key, &e), 0);
	assert_int_equal(e.kind, XLC_KIND_SOURCE);
	assert_int_equal(e.size, sizeof(buf));
	assert_memory_equal(e.sha256, want, sizeof(want));
	xlc_entry_close(&e);
	assert_int_equal(xlc_source_sha256(f->st, &key, sha), 0);
	assert_memory_equal(sha, want, sizeof(want));

	/* The same bytes again: success, nothing written. */
	assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &key, buf, sizeof(buf)), 0);
	assert_int_equal(xlc_stats(f->st, &s), 0);
	assert_int_equal(s.publishes, 1);
	/* A source is addressed by its own hash. */
	assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &other, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(xlc_lookup(f->st, XLC_SOURCES, &other, &e), -ENOENT);
	assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &key, buf, sizeof(buf) - 1), -EINVAL);
}

/*
 * An XXH3 collision cannot be produced on demand, so forge its effect: the
 * stored source records another SHA-256. The same key with bytes whose
 * SHA-256 differs from the record must then be refused.
 */
static void test_source_collision_refused(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[1000], raw[XLC_HDR_SIZE];
	struct xlc_key key;
	struct xlc_hdr h;
	char path[4096];
	int fd;

	tc_pattern(buf, sizeof(buf), 5);
	xlc_key_from_bytes(buf, sizeof(buf), &key);
	assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &key, buf, sizeof(buf)), 0);
	tc_entry_path(f->dir, XLC_SOURCES, &key, path, sizeof(path));
	make_writable(path);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, raw, sizeof(raw), 0), (ssize_t)sizeof(raw));
	assert_int_equal(xlc_hdr_decode(raw, &h), 0);
	h.sha256[0] ^= 1;
	xlc_hdr_encode(&h, raw);
	assert_int_equal(pwrite(fd, raw, sizeof(raw), 0), (ssize_t)sizeof(raw));
	close(fd);
	assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &key, buf, sizeof(buf)), -EEXIST);
}

/* ---- bad entries: each reads as a miss, is removed and counted ---- */

enum damage {
	FLIP_HEADER,
	FLIP_PAYLOAD,
	TRUNCATE,
	EMPTY,
	WRONG_KEY,
	WRONG_TARGET,
	WRONG_KIND,
	SYMLINK,
	APPENDED
};

static void copy_file(const char *from, const char *to)
{
	char buf[200000];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	assert_true(in >= 0);
	unlink(to);
	out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

/* Damages the image aarch64-v1/key(n) (using key(n+1) and other targets as donors). */
static void damage(struct fixture *f, enum damage how, uint64_t n)
{
	struct xlc_key key = tc_key(n), donor_key = tc_key(n + 1);
	char path[4096], donor[4096];
	uint8_t src[3000];
	struct xlc_key skey;
	struct stat sb;

	tc_entry_path(f->dir, "aarch64-v1", &key, path, sizeof(path));
	assert_int_equal(stat(path, &sb), 0);
	switch (how) {
	case FLIP_HEADER: flip_byte(path, 40); break;
	case FLIP_PAYLOAD: flip_byte(path, sb.st_size - 17); break;
	case TRUNCATE:
		make_writable(path);
		assert_int_equal(truncate(path, sb.st_size - 1), 0);
		break;
	case EMPTY:
		make_writable(path);
		assert_int_equal(truncate(path, 0), 0);
		break;
	case APPENDED: {
		int fd;

		make_writable(path);
		fd = open(path, O_WRONLY | O_APPEND);

		assert_int_equal(write(fd, "x", 1), 1);
		close(fd);
		break;
	}
	case WRONG_KEY:
		put_image(f->st, "aarch64-v1", n + 1, 2000);
		tc_entry_path(f->dir, "aarch64-v1", &donor_key, donor, sizeof(donor));
		copy_file(donor, path);
		break;
	case WRONG_TARGET:
		put_image(f->st, "x86_64-v1", n, 2000);
		tc_entry_path(f->dir, "x86_64-v1", &key, donor, sizeof(donor));
		copy_file(donor, path);
		break;
	case WRONG_KIND:
		/* A valid source entry with this very key, placed among the images. */
		tc_pattern(src, sizeof(src), n);
		xlc_key_from_bytes(src, sizeof(src), &skey);
		assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &skey, src, sizeof(src)), 0);
		tc_entry_path(f->dir, XLC_SOURCES, &skey, donor, sizeof(donor));
		tc_entry_path(f->dir, "aarch64-v1", &skey, path, sizeof(path));
		mkdir_parent(path);
		copy_file(donor, path);
		break;
	case SYMLINK:
		put_image(f->st, "aarch64-v1", n + 1, 2000);
		tc_entry_path(f->dir, "aarch64-v1", &donor_key, donor, sizeof(donor));
		unlink(path);
		assert_int_equal(symlink(donor, path), 0);
		break;
	}
}

static void check_damage(void **state, enum damage how)
{
	struct fixture *f = *state;
	struct xlc_key key = tc_key(100);
	struct xlc_stats before, after;
	struct xlc_entry e;
	char path[4096];
	struct stat sb;

	put_image(f->st, "aarch64-v1", 100, 30000);
	damage(f, how, 100);
	if (how == WRONG_KIND) {
		uint8_t src[3000];

		tc_pattern(src, sizeof(src), 100);
		xlc_key_from_bytes(src, sizeof(src), &key);
	}
	tc_entry_path(f->dir, "aarch64-v1", &key, path, sizeof(path));
	assert_int_equal(lstat(path, &sb), 0);
	xlc_stats(f->st, &before);
	assert_int_equal(xlc_lookup(f->st, "aarch64-v1", &key, &e), -ENOENT);
	assert_int_equal(e.fd, -1);
	xlc_stats(f->st, &after);
	assert_int_equal(after.corrupt, before.corrupt + 1);
	assert_int_equal(after.misses, before.misses + 1);
	assert_int_equal(after.hits, before.hits);
	/* Cleaned: the path is gone, and publishing again works. */
	assert_int_equal(lstat(path, &sb), -1);
	assert_int_equal(errno, ENOENT);
	if (how != WRONG_KIND) {
		put_image(f->st, "aarch64-v1", 100, 30000);
		assert_image(f->st, "aarch64-v1", 100, 30000);
	}
}

#define DAMAGE_TEST(name, how)                                                                     \
	static void test_bad_##name(void **state)                                                  \
	{                                                                                          \
		check_damage(state, how);                                                          \
	}
DAMAGE_TEST(header, FLIP_HEADER)
DAMAGE_TEST(payload, FLIP_PAYLOAD)
DAMAGE_TEST(truncated, TRUNCATE)
DAMAGE_TEST(appended, APPENDED)
DAMAGE_TEST(empty, EMPTY)
DAMAGE_TEST(wrong_key, WRONG_KEY)
DAMAGE_TEST(wrong_target, WRONG_TARGET)
DAMAGE_TEST(wrong_kind, WRONG_KIND)
DAMAGE_TEST(symlink, SYMLINK)

/* A flipped byte in a stored source: a miss, and xlc_source_sha256 sees none. */
static void test_bad_source(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[5000], sha[XLC_SHA256_BYTES];
	struct xlc_key key;
	char path[4096];

	tc_pattern(buf, sizeof(buf), 6);
	xlc_key_from_bytes(buf, sizeof(buf), &key);
	assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &key, buf, sizeof(buf)), 0);
	tc_entry_path(f->dir, XLC_SOURCES, &key, path, sizeof(path));
	flip_byte(path, XLC_HDR_SIZE + 100);
	assert_int_equal(xlc_source_sha256(f->st, &key, sha), -ENOENT);
	assert_int_equal(access(path, F_OK), -1);
	/* A corrupt stored source does not block publishing the right one. */
	assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &key, buf, sizeof(buf)), 0);
	assert_int_equal(xlc_source_sha256(f->st, &key, sha), 0);
}

/* Read-only handles report bad entries as misses but leave them alone. */
static void test_readonly(void **state)
{
	struct fixture *f = *state;
	struct xlc_key key = put_image(f->st, "aarch64-v1", 7, 1000);
	struct xlc_store *ro;
	struct xlc_entry e;
	char path[4096];

	assert_int_equal(xlc_open(f->dir, XLC_RDONLY, &ro), 0);
	assert_int_equal(xlc_lookup(ro, "aarch64-v1", &key, &e), 0);
	xlc_entry_close(&e);
	assert_int_equal(xlc_publish(ro, "aarch64-v1", &key, "x", 1), -EROFS);
	assert_int_equal(xlc_remove(ro, "aarch64-v1", &key), -EROFS);
	assert_int_equal(xlc_evict(ro, 0, 0, NULL), -EROFS);
	tc_entry_path(f->dir, "aarch64-v1", &key, path, sizeof(path));
	flip_byte(path, 30);
	assert_int_equal(xlc_lookup(ro, "aarch64-v1", &key, &e), -ENOENT);
	assert_int_equal(access(path, F_OK), 0);
	xlc_close(ro);
}

static void test_bad_names(void **state)
{
	struct fixture *f = *state;
	struct xlc_key key = tc_key(1);
	struct xlc_entry e;

	assert_int_equal(xlc_publish(f->st, "../escape", &key, "x", 1), -EINVAL);
	assert_int_equal(xlc_publish(f->st, "a/b", &key, "x", 1), -EINVAL);
	assert_int_equal(xlc_lookup(f->st, "..", &key, &e), -EINVAL);
	assert_int_equal(xlc_lookup(f->st, "", &key, &e), -EINVAL);
	assert_int_equal(xlc_remove(f->st, "A", &key), -EINVAL);
	assert_int_equal(tc_count_temps(f->dir), 0);
}

/* ---- verify, foreach, stats ---- */

static void count_bad(const char *path, int err, void *arg)
{
	assert_int_equal(err, -EBADMSG);
	assert_non_null(strstr(path, "/v1/aarch64-v1/"));
	(*(int *)arg)++;
}

static void test_verify(void **state)
{
	struct fixture *f = *state;
	struct xlc_verify_result res;
	struct xlc_stats s;
	struct xlc_key key;
	char path[4096];
	int bad = 0;

	for (int i = 0; i < 10; i++)
		put_image(f->st, "aarch64-v1", 200 + i, 1000 * i);
	put_image(f->st, "x86_64-v1", 300, 5000);
	key = tc_key(203);
	tc_entry_path(f->dir, "aarch64-v1", &key, path, sizeof(path));
	flip_byte(path, XLC_IMAGE_ALIGN + 5);
	key = tc_key(205);
	tc_entry_path(f->dir, "aarch64-v1", &key, path, sizeof(path));
	make_writable(path);
	assert_int_equal(truncate(path, 0), 0);
	/* Temp files and foreign names are not entries. */
	snprintf(path, sizeof(path), "%s/v1/aarch64-v1/00/notakey", f->dir);
	mkdir_parent(path);
	close(open(path, O_WRONLY | O_CREAT, 0644));

	assert_int_equal(xlc_verify(f->st, count_bad, &bad, &res), 0);
	assert_int_equal(res.entries, 11);
	assert_int_equal(res.good, 9);
	assert_int_equal(res.bad, 2);
	assert_int_equal(bad, 2);
	assert_int_equal(xlc_verify(f->st, NULL, NULL, &res), 0);
	assert_int_equal(res.entries, 9);
	assert_int_equal(res.bad, 0);
	xlc_stats(f->st, &s);
	assert_int_equal(s.corrupt, 2);
	assert_int_equal(s.bytes, res.bytes);
	assert_int_equal(access(path, F_OK), 0);
}

struct seen {
	int images, sources;
	uint64_t bytes, payload;
};

static int see(const struct xlc_info *info, void *arg)
{
	struct seen *s = arg;

	if (info->kind == XLC_KIND_SOURCE) {
		assert_string_equal(info->target, XLC_SOURCES);
		s->sources++;
	} else {
		s->images++;
	}
	s->bytes += info->bytes;
	s->payload += info->payload_size;
	return info->payload_size == 4242 ? 42 : 0;
}

static void test_foreach_and_stats(void **state)
{
	struct fixture *f = *state;
	struct xlc_verify_result res;
	struct seen seen = {0};
	struct xlc_stats s;
	uint8_t src[777];
	struct xlc_key skey;

	for (int i = 0; i < 20; i++)
		put_image(f->st, i % 2 ? "aarch64-v1" : "x86_64-v1", 400 + i, 100 * i);
	tc_pattern(src, sizeof(src), 8);
	xlc_key_from_bytes(src, sizeof(src), &skey);
	assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &skey, src, sizeof(src)), 0);
	assert_int_equal(xlc_foreach(f->st, see, &seen), 0);
	assert_int_equal(seen.images, 20);
	assert_int_equal(seen.sources, 1);
	assert_int_equal(seen.payload, 100 * 190 + 777);
	xlc_stats(f->st, &s);
	assert_int_equal(s.bytes, seen.bytes);
	assert_int_equal(s.publishes, 21);
	assert_int_equal(xlc_verify(f->st, NULL, NULL, &res), 0);
	assert_int_equal(res.bytes, seen.bytes);
	/* The callback's non-zero value stops the walk and is returned. */
	put_image(f->st, "aarch64-v1", 500, 4242);
	assert_int_equal(xlc_foreach(f->st, see, &seen), 42);
}

/* ---- recency and eviction ---- */

static void set_atime(const char *dir, const char *target, uint64_t n, time_t t)
{
	struct timespec ts[2] = {{t, 0}, {0, UTIME_OMIT}};
	struct xlc_key key = tc_key(n);
	char path[4096];

	tc_entry_path(dir, target, &key, path, sizeof(path));
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static time_t get_atime(const char *dir, const char *target, uint64_t n)
{
	struct xlc_key key = tc_key(n);
	char path[4096];
	struct stat sb;

	tc_entry_path(dir, target, &key, path, sizeof(path));
	assert_int_equal(stat(path, &sb), 0);
	return sb.st_atime;
}

static void lookup_ok(struct xlc_store *st, const char *target, uint64_t n)
{
	struct xlc_key key = tc_key(n);
	struct xlc_entry e;

	assert_int_equal(xlc_lookup(st, target, &key, &e), 0);
	xlc_entry_close(&e);
}

/* A hit refreshes recency only when it is older than the touch interval. */
static void test_touch_interval(void **state)
{
	struct fixture *f = *state;
	time_t now = time(NULL);

	put_image(f->st, "aarch64-v1", 600, 100);
	set_atime(f->dir, "aarch64-v1", 600, now - 10);
	lookup_ok(f->st, "aarch64-v1", 600);
	assert_int_equal(get_atime(f->dir, "aarch64-v1", 600), now - 10);
	set_atime(f->dir, "aarch64-v1", 600, now - XLC_TOUCH_INTERVAL_DEFAULT - 5);
	lookup_ok(f->st, "aarch64-v1", 600);
	assert_true(get_atime(f->dir, "aarch64-v1", 600) >= now);
	xlc_set_touch_interval(f->st, 0);
	set_atime(f->dir, "aarch64-v1", 600, now - 10);
	lookup_ok(f->st, "aarch64-v1", 600);
	assert_true(get_atime(f->dir, "aarch64-v1", 600) >= now);
}

static int present(struct fixture *f, const char *target, uint64_t n)
{
	struct xlc_key key = tc_key(n);
	char path[4096];

	tc_entry_path(f->dir, target, &key, path, sizeof(path));
	return access(path, F_OK) == 0;
}

static void test_lru_eviction(void **state)
{
	struct fixture *f = *state;
	struct xlc_evict_result res;
	struct xlc_verify_result vres;
	struct xlc_stats s;
	time_t t0 = time(NULL) - 100000;
	uint64_t each;

	/* Ten equal entries, last used in order 0..9 (0 the oldest). */
	for (int i = 0; i < 10; i++) {
		put_image(f->st, "aarch64-v1", 700 + i, 20000);
		set_atime(f->dir, "aarch64-v1", 700 + i, t0 + i);
	}
	assert_int_equal(xlc_verify(f->st, NULL, NULL, &vres), 0);
	each = vres.bytes / 10;
	/* Hits on 0, 1 and 2 make them the most recently used. */
	xlc_set_touch_interval(f->st, 0);
	lookup_ok(f->st, "aarch64-v1", 701);
	lookup_ok(f->st, "aarch64-v1", 700);
	lookup_ok(f->st, "aarch64-v1", 702);

	/* Under budget: nothing goes. */
	assert_int_equal(xlc_evict(f->st, 10 * each, 0, &res), 0);
	assert_int_equal(res.evicted, 0);
	assert_int_equal(res.bytes_after, 10 * each);

	/* A budget of 6 entries trims to 90% of it: 5 entries stay, the most recent. */
	assert_int_equal(xlc_evict(f->st, 6 * each, 0, &res), 0);
	assert_int_equal(res.entries, 10);
	assert_int_equal(res.evicted, 5);
	assert_int_equal(res.bytes_before, 10 * each);
	assert_int_equal(res.bytes_after, 5 * each);
	assert_true(res.bytes_after <= 6 * each * 9 / 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(present(f, "aarch64-v1", 700 + i),
				 i <= 2 || i >= 8); /* 0,1,2 hit; 8,9 newest */
	xlc_stats(f->st, &s);
	assert_int_equal(s.evictions, 5);
	assert_int_equal(s.bytes, 5 * each);

	/* The order among the survivors holds too: 8 is now the oldest. */
	assert_int_equal(xlc_evict(f->st, 5 * each - 1, 0, &res), 0);
	assert_int_equal(res.evicted, 1);
	assert_false(present(f, "aarch64-v1", 708));
	assert_true(present(f, "aarch64-v1", 709));
}

/* Sources and images share one budget. */
static void test_eviction_across_kinds(void **state)
{
	struct fixture *f = *state;
	struct xlc_evict_result res;
	time_t t0 = time(NULL) - 1000;
	uint8_t src[30000];
	struct xlc_key skey;
	char path[4096];
	struct timespec ts[2] = {{t0, 0}, {0, UTIME_OMIT}};

	tc_pattern(src, sizeof(src), 9);
	xlc_key_from_bytes(src, sizeof(src), &skey);
	assert_int_equal(xlc_publish(f->st, XLC_SOURCES, &skey, src, sizeof(src)), 0);
	tc_entry_path(f->dir, XLC_SOURCES, &skey, path, sizeof(path));
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	put_image(f->st, "x86_64-v1", 800, 30000);
	assert_int_equal(xlc_evict(f->st, 1, 0, &res), 0);
	assert_int_equal(res.evicted, 2);
	assert_int_equal(res.bytes_after, 0);
	assert_int_equal(access(path, F_OK), -1);
}

static void test_temp_cleanup(void **state)
{
	struct fixture *f = *state;
	struct xlc_evict_result res;
	char dead[4096], live[4096];
	int fd_live, fd_lock;

	put_image(f->st, "aarch64-v1", 900, 10);
	snprintf(dead, sizeof(dead), "%s/v1/aarch64-v1/00/.tmp-1-dead", f->dir);
	snprintf(live, sizeof(live), "%s/v1/aarch64-v1/00/.tmp-2-live", f->dir);
	mkdir_parent(dead);
	close(open(dead, O_WRONLY | O_CREAT, 0444));
	/* A live writer holds the lock on its temp file. */
	fd_live = open(live, O_WRONLY | O_CREAT, 0444);
	assert_int_equal(flock(fd_live, LOCK_EX), 0);
	assert_int_equal(tc_count_temps(f->dir), 2);

	assert_int_equal(xlc_evict(f->st, 0, 0, &res), 0);
	assert_int_equal(res.temps_removed, 1);
	assert_int_equal(res.evicted, 0);
	assert_int_equal(access(dead, F_OK), -1);
	assert_int_equal(access(live, F_OK), 0);
	/* Once its writer is gone it goes too. */
	close(fd_live);
	assert_int_equal(xlc_evict(f->st, 0, 0, &res), 0);
	assert_int_equal(res.temps_removed, 1);
	assert_int_equal(tc_count_temps(f->dir), 0);
	assert_true(present(f, "aarch64-v1", 900));

	/* One cleaner at a time: with the lock held elsewhere, NOWAIT says so. */
	snprintf(live, sizeof(live), "%s/v1/.lock", f->dir);
	fd_lock = open(live, O_RDWR);
	assert_true(fd_lock >= 0);
	assert_int_equal(flock(fd_lock, LOCK_EX), 0);
	assert_int_equal(xlc_evict(f->st, 0, XLC_EVICT_NOWAIT, &res), -EAGAIN);
	close(fd_lock);
	assert_int_equal(xlc_evict(f->st, 0, XLC_EVICT_NOWAIT, &res), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_layout),
		T(test_image_round_trip),
		T(test_publish_fd_and_remove),
		T(test_sources),
		T(test_source_collision_refused),
		T(test_bad_header),
		T(test_bad_payload),
		T(test_bad_truncated),
		T(test_bad_appended),
		T(test_bad_empty),
		T(test_bad_wrong_key),
		T(test_bad_wrong_target),
		T(test_bad_wrong_kind),
		T(test_bad_symlink),
		T(test_bad_source),
		T(test_readonly),
		T(test_bad_names),
		T(test_verify),
		T(test_foreach_and_stats),
		T(test_touch_interval),
		T(test_lru_eviction),
		T(test_eviction_across_kinds),
		T(test_temp_cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
