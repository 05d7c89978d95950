/* SPDX-License-Identifier: MIT */
/* The drop box: creating requests/<key> and requests/<key>.map, and writing them. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>

#include "fs/ops.h"

void xfs_op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		   struct fuse_file_info *fi)
{
	struct xfs *fs = xfs_of(req);
	struct fuse_entry_param e;
	struct xlc_key key;
	struct xfs_node *n;
	void *handle;
	int is_map, r;

	if (parent != XFS_INO_REQUESTS) {
		fuse_reply_err(req, EROFS);
		return;
	}
	is_map = xfs_request_name(name, &key);
	if (is_map < 0 || !S_ISREG(mode) || (fi->flags & O_ACCMODE) == O_RDONLY) {
		/* only "<key>" and "<key>.map", written */
		fuse_reply_err(req, EPERM);
		return;
	}
	if (is_map)
		r = xfs_mapsub_begin(fs, &key, !!(fi->flags & O_APPEND),
				     (struct xfs_mapsub **)&handle);
	else
		r = xfs_upload_begin(fs, &key, (struct xfs_upload **)&handle);
	if (r < 0) {
		fuse_reply_err(req, -r);
		return;
	}
	n = xfs_node_request(fs, is_map ? XFS_N_MAP : XFS_N_UPLOAD, &key);
	if (!n) {
		if (is_map)
			xfs_mapsub_end(fs, handle);
		else
			xfs_upload_end(fs, handle);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	fi->fh = (uintptr_t)handle;
	fi->direct_io = 1; /* every byte comes to us, nothing stays in the kernel */
	xfs_fill_entry(fs, n, &e);
	if (fuse_reply_create(req, &e, fi) < 0) {
		/* the creator is gone (interrupted): no release will come */
		if (is_map)
			xfs_mapsub_end(fs, handle);
		else
			xfs_upload_end(fs, handle);
	}
}

void xfs_op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		  struct fuse_file_info *fi)
{
	struct xfs *fs = xfs_of(req);
	struct xfs_node *n = xfs_node_get(fs, ino);
	ssize_t r;

	if (!n || (n->kind != XFS_N_UPLOAD && n->kind != XFS_N_MAP)) {
		fuse_reply_err(req, EBADF);
		return;
	}
	if (n->kind == XFS_N_UPLOAD)
		r = xfs_upload_write(fs, (void *)(uintptr_t)fi->fh, buf, size, off);
	else
		r = xfs_mapsub_write(fs, (void *)(uintptr_t)fi->fh, buf, size, off);
	if (r < 0)
		fuse_reply_err(req, (int)-r);
	else
		fuse_reply_write(req, (size_t)r);
}
