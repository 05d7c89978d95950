/* SPDX-License-Identifier: MIT */
/*
 * Directories. Fixed ones are listed from tables; cache/<target> and
 * requests/ from a snapshot taken at opendir, so offsets stay stable while
 * the store and the drop box change underneath.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs/ops.h"

/* The kernel's "inode number not known" for a listed name (FUSE_UNKNOWN_INO). */
#define UNKNOWN_INO 0xffffffffu

struct snapshot {
	size_t n;
	char (*names)[XLC_KEY_HEX + 1];
};

struct dirent_view {
	const char *name;
	fuse_ino_t ino;
	mode_t type;
};

struct collect {
	const char *target;
	struct snapshot *s;
	size_t cap;
	int err;
};

static int collect_image(const struct xlc_info *info, void *arg)
{
	struct collect *c = arg;

	if (info->kind != XLC_KIND_IMAGE || strcmp(info->target, c->target) != 0)
		return 0;
	if (c->s->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		void *v = realloc(c->s->names, cap * sizeof(*c->s->names));

		if (!v) {
			c->err = -ENOMEM;
			return 1;
		}
		c->s->names = v;
		c->cap = cap;
	}
	xlc_key_hex(&info->key, c->s->names[c->s->n++]);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int snapshot_target(struct xfs *fs, unsigned target, struct snapshot *s)
{
	struct collect c = {.target = fs->cfg.target_list[target], .s = s};
	int r = xlc_foreach(fs->store, collect_image, &c);

	if (c.err)
		return c.err;
	if (r < 0)
		return r;
	if (s->n)
		qsort(s->names, s->n, sizeof(*s->names), name_cmp);
	return 0;
}

static int snapshot_requests(struct xfs *fs, struct snapshot *s)
{
	struct xlc_key *keys = xfs_upload_list(fs, &s->n);

	if (s->n) {
		s->names = malloc(s->n * sizeof(*s->names));
		if (!s->names) {
			free(keys);
			s->n = 0;
			return -ENOMEM;
		}
		for (size_t i = 0; i < s->n; i++)
			xlc_key_hex(&keys[i], s->names[i]);
		qsort(s->names, s->n, sizeof(*s->names), name_cmp);
	}
	free(keys);
	return 0;
}

void xfs_op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct xfs *fs = xfs_of(req);
	struct xfs_node *n = xfs_node_get(fs, ino);
	struct snapshot *s;
	int r = 0;

	if (!n) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	if (n->kind != XFS_N_ROOT && n->kind != XFS_N_CACHE && n->kind != XFS_N_TARGET &&
	    n->kind != XFS_N_REQUESTS) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	fi->fh = 0;
	if (n->kind == XFS_N_TARGET || n->kind == XFS_N_REQUESTS) {
		s = calloc(1, sizeof(*s));
		if (!s) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		r = n->kind == XFS_N_TARGET ? snapshot_target(fs, n->target, s)
					    : snapshot_requests(fs, s);
		if (r < 0) {
			free(s->names);
			free(s);
			fuse_reply_err(req, -r);
			return;
		}
		fi->fh = (uintptr_t)s;
	}
	fuse_reply_open(req, fi);
}

/* Entry i of directory n (0 and 1 are "." and ".."); 0 past the end. */
static int dir_entry(struct xfs *fs, const struct xfs_node *n, const struct snapshot *s, size_t i,
		     struct dirent_view *v)
{
	// clang-format off
	static const struct dirent_view root[] = {
		{XLATEFS_ROSETTA,	XFS_INO_ROSETTA,	S_IFREG},
		{XLATEFS_BINFMT,	XFS_INO_BINFMT,		S_IFREG},
		{XLATEFS_STATS,		XFS_INO_STATS,		S_IFREG},
		{XLATEFS_CACHE_DIR,	XFS_INO_CACHE,		S_IFDIR},
		{XLATEFS_REQUESTS_DIR,	XFS_INO_REQUESTS,	S_IFDIR},
	};
	// clang-format on

	if (i < 2) {
		*v = (struct dirent_view){i ? ".." : ".", i ? UNKNOWN_INO : n->ino, S_IFDIR};
		return 1;
	}
	i -= 2;
	switch (n->kind) {
	case XFS_N_ROOT:
		if (i >= sizeof(root) / sizeof(root[0]))
			return 0;
		*v = root[i];
		return 1;
	case XFS_N_CACHE:
		if (i >= fs->cfg.ntargets)
			return 0;
		*v = (struct dirent_view){fs->cfg.target_list[i], XFS_INO_TARGET0 + i, S_IFDIR};
		return 1;
	default:
		if (!s || i >= s->n)
			return 0;
		*v = (struct dirent_view){s->names[i], UNKNOWN_INO, S_IFREG};
		return 1;
	}
}

void xfs_op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct xfs *fs = xfs_of(req);
	struct xfs_node *n = xfs_node_get(fs, ino);
	const struct snapshot *s = (const void *)(uintptr_t)fi->fh;
	struct dirent_view v;
	size_t used = 0;
	char *buf;

	if (!n) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	buf = malloc(size);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	for (size_t i = off < 0 ? 0 : (size_t)off; dir_entry(fs, n, s, i, &v); i++) {
		struct stat st = {.st_ino = v.ino, .st_mode = v.type};
		size_t len =
			fuse_add_direntry(req, buf + used, size - used, v.name, &st, (off_t)i + 1);

		if (len > size - used)
			break;
		used += len;
	}
	fuse_reply_buf(req, buf, used);
	free(buf);
}

void xfs_op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct snapshot *s = (void *)(uintptr_t)fi->fh;

	if (s) {
		free(s->names);
		free(s);
	}
	fuse_reply_err(req, 0);
}
