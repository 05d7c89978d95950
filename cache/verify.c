/* SPDX-License-Identifier: MIT */
/* Verifying every entry of a store in full; bad ones are removed. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "cache/internal.h"

struct verify_ctx {
	xlc_bad_fn bad;
	void *arg;
	struct xlc_verify_result res;
};

static void report(struct xlc_store *st, const struct xlc_scan_item *it, int err,
		   struct verify_ctx *c)
{
	char path[PATH_MAX];

	c->res.bad++;
	if (!c->bad)
		return;
	snprintf(path, sizeof(path), "%s/v1/%s/%.2s/%s", st->dir, it->target, it->name, it->name);
	c->bad(path, err, c->arg);
}

static int visit(struct xlc_store *st, const struct xlc_scan_item *it, void *arg)
{
	struct verify_ctx *c = arg;
	struct xlc_hdr h;
	struct stat sb;
	int fd, r;

	if (it->is_temp)
		return 0;
	fd = xlc_open_noatime(it->dirfd, it->name);
	if (fd < 0 && errno == ENOENT)
		return 0; /* removed meanwhile */
	c->res.entries++;
	if (fd < 0) {
		/* A symlink or other non-file where an entry belongs is not ours. */
		r = errno == ELOOP ? -EBADMSG : -errno;
		if (r == -EBADMSG && !(st->flags & XLC_RDONLY) &&
		    unlinkat(it->dirfd, it->name, 0) == 0)
			xlc_count(st, XLC_C_CORRUPT, 1);
		report(st, it, r, c);
		return 0;
	}
	r = xlc_entry_check(fd, it->target, &it->key, 1, &h, &sb);
	close(fd);
	if (r == 0) {
		c->res.good++;
		c->res.bytes += xlc_disk_bytes(&sb);
		return 0;
	}
	if (r == -EBADMSG && !(st->flags & XLC_RDONLY) && xlc_unlink_same(it->dirfd, it->name, &sb))
		xlc_count(st, XLC_C_CORRUPT, 1);
	report(st, it, r, c);
	return 0;
}

int xlc_verify(struct xlc_store *st, xlc_bad_fn bad, void *arg, struct xlc_verify_result *res)
{
	struct verify_ctx c = {.bad = bad, .arg = arg};
	int r = xlc_scan(st, visit, &c);

	if (r)
		return r;
	xlc_count_set(st, XLC_C_BYTES, (int64_t)c.res.bytes);
	if (res)
		*res = c.res;
	return 0;
}
