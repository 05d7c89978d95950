/* SPDX-License-Identifier: MIT */
/* Names and attributes: lookup (also "." and ".." for file handles), forget, getattr, setattr. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fs/ops.h"

static void reply_node(fuse_req_t req, struct xfs *fs, struct xfs_node *n)
{
	struct fuse_entry_param e;

	xfs_fill_entry(fs, n, &e);
	fuse_reply_entry(req, &e);
}

/* A name that does not exist, cached by the kernel for timeout seconds. */
static void reply_negative(fuse_req_t req, double timeout)
{
	struct fuse_entry_param e = {.ino = 0, .entry_timeout = timeout};

	fuse_reply_entry(req, &e);
}

static void reply_fixed(fuse_req_t req, struct xfs *fs, fuse_ino_t ino)
{
	struct xfs_node *n = xfs_node_get(fs, ino);

	xfs_node_ref(fs, n);
	reply_node(req, fs, n);
}

static fuse_ino_t parent_of(const struct xfs_node *n)
{
	switch (n->kind) {
	case XFS_N_IMAGE:
		return XFS_INO_TARGET0 + n->target;
	case XFS_N_TARGET:
		return XFS_INO_CACHE;
	case XFS_N_UPLOAD:
	case XFS_N_MAP:
		return XFS_INO_REQUESTS;
	default:
		return XFS_INO_ROOT;
	}
}

/* "." and "..": the kernel resolving a file handle (FUSE_CAP_EXPORT_SUPPORT). */
static void lookup_handle(fuse_req_t req, struct xfs *fs, struct xfs_node *p, const char *name)
{
	struct xfs_node *n = name[1] ? xfs_node_get(fs, parent_of(p)) : p;
	int r;

	xfs_count(&fs->stats, XFS_C_EXPORT_LOOKUPS, 1);
	if (n->kind == XFS_N_UPLOAD && !xfs_upload_pending(fs, &n->key, NULL)) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	r = xfs_node_revive(fs, n);
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	reply_node(req, fs, n);
}

static void lookup_root(fuse_req_t req, struct xfs *fs, const char *name)
{
	// clang-format off
	static const struct {
		const char *name;
		fuse_ino_t ino;
	} names[] = {
		{XLATEFS_ROSETTA,	XFS_INO_ROSETTA},
		{XLATEFS_BINFMT,	XFS_INO_BINFMT},
		{XLATEFS_STATS,		XFS_INO_STATS},
		{XLATEFS_CACHE_DIR,	XFS_INO_CACHE},
		{XLATEFS_REQUESTS_DIR,	XFS_INO_REQUESTS},
	};
	// clang-format on

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0) {
			reply_fixed(req, fs, names[i].ino);
			return;
		}
	reply_negative(req, fs->cfg.cache_timeout);
}

static void lookup_cache(fuse_req_t req, struct xfs *fs, const char *name)
{
	for (unsigned i = 0; i < fs->cfg.ntargets; i++)
		if (strcmp(name, fs->cfg.target_list[i]) == 0) {
			reply_fixed(req, fs, XFS_INO_TARGET0 + i);
			return;
		}
	reply_negative(req, fs->cfg.cache_timeout);
}

static void lookup_image(fuse_req_t req, struct xfs *fs, unsigned target, const char *name)
{
	struct xlc_entry e;
	struct xlc_key key;
	struct xfs_node *n;
	struct stat sb;
	int r;

	if (xlc_key_parse(name, &key) < 0) {
		reply_negative(req, fs->cfg.cache_timeout);
		return;
	}
	r = xlc_lookup(fs->store, fs->cfg.target_list[target], &key, &e);
	if (r == -ENOENT) {
		xfs_count(&fs->stats, XFS_C_MISSES, 1);
		reply_negative(req, fs->cfg.negative_timeout);
		return;
	}
	if (r == 0 && fstat(e.fd, &sb) < 0) {
		r = -errno;
		xlc_entry_close(&e);
	}
	if (r < 0) {
		xfs_err("lookup %s/%s: %s", fs->cfg.target_list[target], name, strerror(-r));
		xfs_count(&fs->stats, XFS_C_ERRORS, 1);
		fuse_reply_err(req, EIO);
		return;
	}
	n = xfs_node_image(fs, target, &key, &e, &sb);
	if (!n) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	xfs_count(&fs->stats, XFS_C_HITS, 1);
	reply_node(req, fs, n);
}

static void lookup_request(fuse_req_t req, struct xfs *fs, const char *name)
{
	struct xlc_key key;
	struct xfs_node *n;
	int is_map = xfs_request_name(name, &key), pending = 0;

	/*
	 * Only requests under way have names: creating one asks us, and we
	 * decide. A map submission needs one too: virtiofsd looks a name up
	 * right after creating it, and fails the guest's open without it.
	 */
	if (is_map > 0)
		pending = xfs_mapsub_pending(fs, &key);
	else if (is_map == 0)
		pending = xfs_upload_pending(fs, &key, NULL);
	if (!pending) {
		reply_negative(req, 0);
		return;
	}
	n = xfs_node_request(fs, is_map ? XFS_N_MAP : XFS_N_UPLOAD, &key);
	if (!n) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	reply_node(req, fs, n);
}

void xfs_op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct xfs *fs = xfs_of(req);
	struct xfs_node *p = xfs_node_get(fs, parent);

	if (!p) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]))) {
		lookup_handle(req, fs, p, name);
		return;
	}
	switch (p->kind) {
	case XFS_N_ROOT:
		lookup_root(req, fs, name);
		break;
	case XFS_N_CACHE:
		lookup_cache(req, fs, name);
		break;
	case XFS_N_TARGET:
		lookup_image(req, fs, p->target, name);
		break;
	case XFS_N_REQUESTS:
		lookup_request(req, fs, name);
		break;
	default:
		fuse_reply_err(req, ENOTDIR);
	}
}

void xfs_op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	xfs_node_forget(xfs_of(req), ino, nlookup);
	fuse_reply_none(req);
}

void xfs_op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		xfs_node_forget(xfs_of(req), forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

void xfs_op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct xfs *fs = xfs_of(req);
	struct xfs_node *n = xfs_node_get(fs, ino);
	struct stat st;

	if (!n) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	xfs_attr(fs, n, &st);
	fuse_reply_attr(req, &st, xfs_attr_timeout(fs, n));
}

/*
 * Only the uploader may change its upload's size (ftruncate); time updates
 * are accepted and dropped everywhere in requests/; nothing else changes.
 */
void xfs_op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		    struct fuse_file_info *fi)
{
	const int times = FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW |
			  FUSE_SET_ATTR_MTIME_NOW | FUSE_SET_ATTR_CTIME;
	struct xfs *fs = xfs_of(req);
	struct xfs_node *n = xfs_node_get(fs, ino);
	struct stat st;
	int r = 0;

	if (!n) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	if (n->kind != XFS_N_UPLOAD && n->kind != XFS_N_MAP) {
		fuse_reply_err(req, EROFS);
		return;
	}
	if (to_set & ~(times | FUSE_SET_ATTR_SIZE))
		r = -EPERM;
	else if (to_set & FUSE_SET_ATTR_SIZE)
		r = n->kind == XFS_N_UPLOAD && fi ? xfs_upload_truncate(fs, (void *)(uintptr_t)fi->fh,
									(uint64_t)attr->st_size)
						  : -EPERM;
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	xfs_attr(fs, n, &st);
	fuse_reply_attr(req, &st, 0);
}
