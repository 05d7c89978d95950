/* SPDX-License-Identifier: MIT */
/*
 * The cleaner: one at a time across processes (flock on v1/.lock). Removes
 * temp files of dead writers and trims the store to 90% of its budget,
 * least recently used first (recency = atime, refreshed by lookups).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "cache/internal.h"

/* Without flock support, a temp file this old is taken as abandoned. */
#define TEMP_GRACE_SECONDS 3600

struct candidate {
	struct timespec atime;
	uint64_t bytes;
	dev_t dev;
	ino_t ino;
	char target[XLC_TARGET_MAX + 1];
	struct xlc_key key;
};

struct evict_ctx {
	struct candidate *v;
	size_t n, cap;
	struct xlc_evict_result res;
};

/* A live writer holds the lock on its temp file; a dead one's is free. */
static int remove_dead_temp(const struct xlc_scan_item *it)
{
	struct timespec now;
	struct stat sb;
	int fd = openat(it->dirfd, it->name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	int dead, r = 0;

	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		dead = 1;
	} else {
		dead = errno != EWOULDBLOCK && fstat(fd, &sb) == 0 &&
		       clock_gettime(CLOCK_REALTIME, &now) == 0 &&
		       now.tv_sec - sb.st_mtim.tv_sec > TEMP_GRACE_SECONDS;
	}
	if (dead && unlinkat(it->dirfd, it->name, 0) == 0)
		r = 1;
	close(fd);
	return r;
}

static int collect(struct xlc_store *st, const struct xlc_scan_item *it, void *arg)
{
	struct evict_ctx *c = arg;
	struct candidate *v;
	struct stat sb;

	if (it->is_temp) {
		c->res.temps_removed += (uint64_t)remove_dead_temp(it);
		return 0;
	}
	if (fstatat(it->dirfd, it->name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 1024;

		v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	v = &c->v[c->n++];
	v->atime = sb.st_atim;
	v->bytes = xlc_disk_bytes(&sb);
	v->dev = sb.st_dev;
	v->ino = sb.st_ino;
	strcpy(v->target, it->target);
	v->key = it->key;
	c->res.entries++;
	c->res.bytes_before += v->bytes;
	return 0;
}

static int older(const void *a, const void *b)
{
	const struct timespec *x = &((const struct candidate *)a)->atime;
	const struct timespec *y = &((const struct candidate *)b)->atime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return (x->tv_nsec > y->tv_nsec) - (x->tv_nsec < y->tv_nsec);
}

/* Removes v unless it was used or replaced since it was collected. */
static int evict_one(struct xlc_store *st, const struct candidate *v)
{
	char rel[XLC_REL_MAX];
	struct stat sb;

	xlc_rel_entry(v->target, &v->key, rel);
	if (fstatat(st->v1fd, rel, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return 1; /* gone already: its space is free */
	if (sb.st_dev != v->dev || sb.st_ino != v->ino || sb.st_atim.tv_sec != v->atime.tv_sec ||
	    sb.st_atim.tv_nsec != v->atime.tv_nsec)
		return 0;
	return unlinkat(st->v1fd, rel, 0) == 0 ? 2 : 0;
}

static void trim(struct xlc_store *st, struct evict_ctx *c, uint64_t max_bytes)
{
	uint64_t goal = max_bytes - max_bytes / 10, total = c->res.bytes_before;

	qsort(c->v, c->n, sizeof(*c->v), older);
	for (size_t i = 0; i < c->n && total > goal; i++) {
		int r = evict_one(st, &c->v[i]);

		if (r)
			total -= c->v[i].bytes;
		if (r == 2)
			c->res.evicted++;
	}
	c->res.bytes_after = total;
}

int xlc_evict(struct xlc_store *st, uint64_t max_bytes, unsigned flags,
	      struct xlc_evict_result *res)
{
	struct evict_ctx c;
	int lock, r;

	memset(&c, 0, sizeof(c));
	if (st->flags & XLC_RDONLY)
		return -EROFS;
	lock = openat(st->v1fd, ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock < 0)
		return -errno;
	while ((r = flock(lock, LOCK_EX | (flags & XLC_EVICT_NOWAIT ? LOCK_NB : 0))) < 0 &&
	       errno == EINTR)
		;
	if (r < 0) {
		r = errno == EWOULDBLOCK ? -EAGAIN : -errno;
		close(lock);
		return r;
	}
	r = xlc_scan(st, collect, &c);
	if (!r) {
		c.res.bytes_after = c.res.bytes_before;
		if (max_bytes && c.res.bytes_before > max_bytes)
			trim(st, &c, max_bytes);
		xlc_count(st, XLC_C_EVICTIONS, (int64_t)c.res.evicted);
		xlc_count(st, XLC_C_TEMPS, (int64_t)c.res.temps_removed);
		xlc_count_set(st, XLC_C_BYTES, (int64_t)c.res.bytes_after);
		if (res)
			*res = c.res;
	}
	free(c.v);
	close(lock);
	return r;
}
