/* SPDX-License-Identifier: MIT */
/* Reading the store: lookup (with cheap recency refresh), source SHA-256, remove. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache/internal.h"

/*
 * Recency is the entry's atime, set explicitly. Refreshing it at most once
 * per touch interval keeps a hot entry from costing an inode write per hit.
 * A failure (a file we do not own) only costs recency, so it is ignored.
 */
static void touch(struct xlc_store *st, int fd, const struct stat *sb)
{
	static const struct timespec now_atime[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
	struct timespec now;

	if (st->flags & XLC_RDONLY || clock_gettime(CLOCK_REALTIME, &now) < 0)
		return;
	if (st->touch_interval && now.tv_sec - sb->st_atim.tv_sec < (time_t)st->touch_interval &&
	    now.tv_sec >= sb->st_atim.tv_sec)
		return;
	(void)futimens(fd, now_atime);
}

int xlc_lookup(struct xlc_store *st, const char *target, const struct xlc_key *key,
	       struct xlc_entry *e)
{
	struct xlc_hdr h;
	struct stat sb;
	int fd, kind = xlc_target_kind(target);

	e->fd = -1;
	if (kind < 0)
		return kind;
	fd = xlc_open_entry(st, target, key, 1, &h, &sb);
	if (fd == -ENOENT)
		xlc_count(st, XLC_C_MISSES, 1);
	if (fd < 0)
		return fd;
	touch(st, fd, &sb);
	xlc_count(st, XLC_C_HITS, 1);
	e->fd = fd;
	e->offset = h.payload_off;
	e->size = h.payload_size;
	e->kind = h.kind;
	memcpy(e->sha256, h.sha256, sizeof(e->sha256));
	return 0;
}

void xlc_entry_close(struct xlc_entry *e)
{
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
}

int xlc_source_sha256(struct xlc_store *st, const struct xlc_key *key,
		      uint8_t out[XLC_SHA256_BYTES])
{
	struct xlc_hdr h;
	struct stat sb;
	int fd = xlc_open_entry(st, XLC_SOURCES, key, 1, &h, &sb);

	if (fd < 0)
		return fd;
	close(fd);
	memcpy(out, h.sha256, XLC_SHA256_BYTES);
	return 0;
}

int xlc_remove(struct xlc_store *st, const char *target, const struct xlc_key *key)
{
	char rel[XLC_REL_MAX];
	struct stat sb;
	int r = xlc_target_kind(target);

	if (r < 0)
		return r;
	if (st->flags & XLC_RDONLY)
		return -EROFS;
	xlc_rel_entry(target, key, rel);
	if (fstatat(st->v1fd, rel, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOTDIR ? -ENOENT : -errno;
	if (unlinkat(st->v1fd, rel, 0) < 0)
		return errno == ENOTDIR ? -ENOENT : -errno;
	xlc_count(st, XLC_C_BYTES, -(int64_t)xlc_disk_bytes(&sb));
	return 0;
}
