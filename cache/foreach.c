/* SPDX-License-Identifier: MIT */
/* Listing entries from their headers, without reading payloads or touching recency. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cache/internal.h"

struct foreach_ctx {
	xlc_foreach_fn fn;
	void *arg;
};

static int visit(struct xlc_store *st, const struct xlc_scan_item *it, void *arg)
{
	struct foreach_ctx *c = arg;
	struct xlc_info info;
	struct xlc_hdr h;
	struct stat sb;
	int fd, r;

	if (it->is_temp)
		return 0;
	fd = xlc_open_noatime(it->dirfd, it->name);
	if (fd < 0)
		return 0; /* removed meanwhile */
	r = xlc_entry_check(fd, it->target, &it->key, 0, &h, &sb);
	close(fd);
	if (r)
		return 0;
	memset(&info, 0, sizeof(info));
	info.kind = h.kind;
	strcpy(info.target, h.target);
	info.key = h.key;
	info.payload_size = h.payload_size;
	info.bytes = xlc_disk_bytes(&sb);
	info.atime = sb.st_atim;
	info.mtime = sb.st_mtim;
	return c->fn(&info, c->arg);
}

int xlc_foreach(struct xlc_store *st, xlc_foreach_fn fn, void *arg)
{
	struct foreach_ctx c = {fn, arg};

	return xlc_scan(st, visit, &c);
}
