/* SPDX-License-Identifier: MIT */
/* Opening a store: format file, layout, shared counters; entry paths. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cache/internal.h"

static const char format_line[] = "xlcache-store 1\n";

#define COUNTERS_FILE_SIZE 4096

int xlc_target_kind(const char *t)
{
	size_t n;

	if (!t)
		return -EINVAL;
	n = strnlen(t, XLC_TARGET_MAX + 1);
	if (n == 0 || n > XLC_TARGET_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-')))
			return -EINVAL;
		if (c == '.' && t[i + 1] == '.')
			return -EINVAL;
	}
	return strcmp(t, XLC_SOURCES) == 0 ? XLC_KIND_SOURCE : XLC_KIND_IMAGE;
}

void xlc_rel_dir(const char *target, const struct xlc_key *key, char out[XLC_REL_MAX])
{
	char hex[XLC_KEY_HEX + 1];

	xlc_key_hex(key, hex);
	snprintf(out, XLC_REL_MAX, "%s/%.2s", target, hex);
}

void xlc_rel_entry(const char *target, const struct xlc_key *key, char out[XLC_REL_MAX])
{
	char hex[XLC_KEY_HEX + 1];

	xlc_key_hex(key, hex);
	snprintf(out, XLC_REL_MAX, "%s/%.2s/%s", target, hex, hex);
}

int xlc_open_noatime(int dirfd, const char *rel)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOATIME);

	/* O_NOATIME is refused on files we do not own; reading them is still fine. */
	if (fd < 0 && errno == EPERM)
		fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	return fd;
}

int xlc_unlink_same(int dirfd, const char *rel, const struct stat *was)
{
	struct stat now;

	/* A publisher may have renamed a good entry over the bad one meanwhile. */
	if (fstatat(dirfd, rel, &now, AT_SYMLINK_NOFOLLOW) < 0 || now.st_dev != was->st_dev ||
	    now.st_ino != was->st_ino)
		return 0;
	return unlinkat(dirfd, rel, 0) == 0;
}

int xlc_open_entry(struct xlc_store *st, const char *target, const struct xlc_key *key, int full,
		   struct xlc_hdr *h, struct stat *sb)
{
	char rel[XLC_REL_MAX];
	int fd, r;

	xlc_rel_entry(target, key, rel);
	fd = xlc_open_noatime(st->v1fd, rel);
	if (fd < 0) {
		r = -errno;
		if (r == -ELOOP && !(st->flags & XLC_RDONLY) && unlinkat(st->v1fd, rel, 0) == 0)
			xlc_count(st, XLC_C_CORRUPT, 1);
		return r == -ENOTDIR || r == -ELOOP ? -ENOENT : r;
	}
	r = xlc_entry_check(fd, target, key, full, h, sb);
	if (r == -EBADMSG) {
		if (!(st->flags & XLC_RDONLY) && xlc_unlink_same(st->v1fd, rel, sb)) {
			xlc_count(st, XLC_C_CORRUPT, 1);
			xlc_count(st, XLC_C_BYTES, -(int64_t)xlc_disk_bytes(sb));
		}
		r = -ENOENT;
	}
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

void xlc_count(struct xlc_store *st, enum xlc_counter c, int64_t delta)
{
	if (st->ctr && !(st->flags & XLC_RDONLY))
		__atomic_fetch_add(&st->ctr[c], delta, __ATOMIC_RELAXED);
}

void xlc_count_set(struct xlc_store *st, enum xlc_counter c, int64_t value)
{
	if (st->ctr && !(st->flags & XLC_RDONLY))
		__atomic_store_n(&st->ctr[c], value, __ATOMIC_RELAXED);
}

int xlc_stats(struct xlc_store *st, struct xlc_stats *out)
{
	int64_t v[XLC_C_COUNT] = {0};

	if (st->ctr)
		for (int i = 0; i < XLC_C_COUNT; i++)
			v[i] = __atomic_load_n(&st->ctr[i], __ATOMIC_RELAXED);
	out->hits = (uint64_t)v[XLC_C_HITS];
	out->misses = (uint64_t)v[XLC_C_MISSES];
	out->publishes = (uint64_t)v[XLC_C_PUBLISHES];
	out->evictions = (uint64_t)v[XLC_C_EVICTIONS];
	out->corrupt = (uint64_t)v[XLC_C_CORRUPT];
	out->temps_removed = (uint64_t)v[XLC_C_TEMPS];
	out->bytes = v[XLC_C_BYTES] > 0 ? (uint64_t)v[XLC_C_BYTES] : 0;
	return 0;
}

/* Writes FORMAT atomically (temp + link) so no opener ever reads half of it. */
static int create_format(int dfd)
{
	char tmp[XLC_TEMP_NAME_MAX];
	ssize_t len = (ssize_t)strlen(format_line);
	int fd, r = 0;

	snprintf(tmp, sizeof(tmp), "FORMAT" XLC_TEMP_PREFIX "%ld", (long)getpid());
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, format_line, (size_t)len);

	if (n != len)
		r = n < 0 ? -errno : -EIO;
	else if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	if (!r && linkat(dfd, tmp, dfd, "FORMAT", 0) < 0 && errno != EEXIST)
		r = -errno;
	unlinkat(dfd, tmp, 0);
	if (!r && fsync(dfd) < 0)
		r = -errno;
	return r;
}

static int check_format(int dfd, int create)
{
	char buf[sizeof(format_line) + 8];
	ssize_t n;
	int fd = openat(dfd, "FORMAT", O_RDONLY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && create) {
		int r = create_format(dfd);

		if (r)
			return r;
		fd = openat(dfd, "FORMAT", O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -errno;
	if ((size_t)n != strlen(format_line) || memcmp(buf, format_line, (size_t)n) != 0)
		return -EPROTO;
	return 0;
}

static int mkdir_ok(int dfd, const char *name)
{
	return mkdirat(dfd, name, 0755) == 0 || errno == EEXIST ? 0 : -errno;
}

static int64_t *map_counters(int v1fd, int rdonly)
{
	struct stat sb;
	void *p;
	int fd = openat(v1fd, ".stats",
			rdonly ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return NULL;
	/*
	 * Extending to the same size twice is harmless: counters are never
	 * zeroed. The blocks are allocated, not just the size set: a store of
	 * a sparse file through the mapping on a full disk is a SIGBUS.
	 */
	if (fstat(fd, &sb) < 0 || (sb.st_size < COUNTERS_FILE_SIZE && rdonly) ||
	    (!rdonly && posix_fallocate(fd, 0, COUNTERS_FILE_SIZE) != 0)) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, COUNTERS_FILE_SIZE, rdonly ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

int xlc_open(const char *dir, unsigned flags, struct xlc_store **out)
{
	int rdonly = !!(flags & XLC_RDONLY);
	struct xlc_store *st;
	int dfd, r;

	if (!rdonly && mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	r = check_format(dfd, !rdonly);
	if (!r && !rdonly) {
		r = mkdir_ok(dfd, "v1");
		if (!r)
			r = mkdir_ok(dfd, "v1/" XLC_SOURCES);
		if (!r && fsync(dfd) < 0)
			r = -errno;
	}
	st = r ? NULL : calloc(1, sizeof(*st));
	if (!r && !st)
		r = -ENOMEM;
	if (!r) {
		st->v1fd = openat(dfd, "v1", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		st->dir = strdup(dir);
		if (st->v1fd < 0)
			r = -errno;
		else if (!st->dir)
			r = -ENOMEM;
	}
	close(dfd);
	if (r) {
		if (st) {
			if (st->v1fd >= 0)
				close(st->v1fd);
			free(st->dir);
			free(st);
		}
		return r;
	}
	st->flags = flags;
	st->touch_interval = XLC_TOUCH_INTERVAL_DEFAULT;
	st->ctr = map_counters(st->v1fd, rdonly);
	*out = st;
	return 0;
}

void xlc_close(struct xlc_store *st)
{
	if (!st)
		return;
	if (st->ctr)
		munmap(st->ctr, COUNTERS_FILE_SIZE);
	close(st->v1fd);
	free(st->dir);
	free(st);
}

const char *xlc_store_dir(const struct xlc_store *st)
{
	return st->dir;
}

void xlc_set_touch_interval(struct xlc_store *st, unsigned seconds)
{
	st->touch_interval = seconds;
}
