/* SPDX-License-Identifier: MIT */
/*
 * Opening and reading: rosetta and images are spliced from their files with
 * the kernel keeping its cache; binfmt comes from memory; stats is rendered
 * at each open and read without caching (direct_io).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/ops.h"

/*
 * A stats snapshot, one per open. Counted: the kernel lets the reader go,
 * and so may send RELEASE, as soon as it has the reply's bytes, which can be
 * before the thread replying to READ is done with the buffer (ASan checks
 * writev's buffers after the call returns).
 */
struct blob {
	size_t len;
	char *data;
	unsigned refs;
};

static void blob_put(struct blob *b)
{
	if (__atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		free(b->data);
		free(b);
	}
}

static void reply_buf_at(fuse_req_t req, const char *data, size_t len, size_t size, off_t off)
{
	if (off < 0 || (uint64_t)off >= len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	fuse_reply_buf(req, data + off, len - (size_t)off < size ? len - (size_t)off : size);
}

/* Bytes [base + off, base + min(off + size, len)) of fd, spliced when the kernel can. */
static void reply_fd_at(fuse_req_t req, int fd, uint64_t base, uint64_t len, size_t size, off_t off)
{
	struct fuse_bufvec bv = FUSE_BUFVEC_INIT(0);

	if (off < 0 || (uint64_t)off >= len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	bv.buf[0].size = len - (uint64_t)off < size ? (size_t)(len - (uint64_t)off) : size;
	bv.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	bv.buf[0].fd = fd;
	bv.buf[0].pos = (off_t)(base + (uint64_t)off);
	fuse_reply_data(req, &bv, FUSE_BUF_SPLICE_MOVE);
}

static void open_stats(fuse_req_t req, struct xfs *fs, struct fuse_file_info *fi)
{
	struct blob *b = malloc(sizeof(*b));

	if (b) {
		b->refs = 1;
		b->data = xfs_stats_json(&fs->stats, fs->store, fs->cfg.target, &b->len);
	}
	if (!b || !b->data) {
		free(b);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	fi->fh = (uintptr_t)b;
	fi->direct_io = 1;
	fuse_reply_open(req, fi);
}

void xfs_op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct xfs *fs = xfs_of(req);
	struct xfs_node *n = xfs_node_get(fs, ino);
	int accmode = fi->flags & O_ACCMODE, fd;

	if (!n) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	if (n->kind == XFS_N_UPLOAD) {
		/* an upload belongs to the handle that created it */
		fuse_reply_err(req, EBUSY);
		return;
	}
	if (n->kind == XFS_N_MAP) {
		struct xfs_mapsub *m;
		int r = accmode == O_WRONLY
				? xfs_mapsub_begin(fs, &n->key, !!(fi->flags & O_APPEND), &m)
				: -EACCES;

		if (r < 0) {
			fuse_reply_err(req, -r);
			return;
		}
		fi->fh = (uintptr_t)m;
		fi->direct_io = 1;
		fuse_reply_open(req, fi);
		return;
	}
	/* default_permissions lets root write anything: refuse it here */
	if (accmode != O_RDONLY || (fi->flags & O_TRUNC)) {
		fuse_reply_err(req, EROFS);
		return;
	}
	fi->keep_cache = 1;
	fi->fh = 0;
	switch (n->kind) {
	case XFS_N_ROSETTA: xfs_count(&fs->stats, XFS_C_TRANSLATOR_OPENS, 1); break;
	case XFS_N_BINFMT: break;
	case XFS_N_STATS:
		fi->keep_cache = 0;
		open_stats(req, fs, fi);
		return;
	case XFS_N_IMAGE:
		fd = xfs_node_image_fd(fs, n);
		if (fd < 0) {
			fuse_reply_err(req, -fd);
			return;
		}
		fi->fh = (uint64_t)fd;
		break;
	default: fuse_reply_err(req, EISDIR); return;
	}
	fuse_reply_open(req, fi);
}

void xfs_op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct xfs *fs = xfs_of(req);
	struct xfs_node *n = xfs_node_get(fs, ino);
	struct blob *b;

	switch (n ? n->kind : 0) {
	case XFS_N_ROSETTA:
		reply_fd_at(req, fs->translator_fd, 0, (uint64_t)fs->translator_st.st_size, size,
			    off);
		break;
	case XFS_N_BINFMT: reply_buf_at(req, fs->binfmt, fs->binfmt_len, size, off); break;
	case XFS_N_STATS:
		b = (void *)(uintptr_t)fi->fh;
		__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
		reply_buf_at(req, b->data, b->len, size, off);
		blob_put(b);
		break;
	case XFS_N_IMAGE: reply_fd_at(req, (int)fi->fh, n->off, n->size, size, off); break;
	default: fuse_reply_err(req, EBADF);
	}
}

void xfs_op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct xfs *fs = xfs_of(req);
	struct xfs_node *n = xfs_node_get(fs, ino);

	/* Nobody waits for a release: reply first, then check what was sent. */
	fuse_reply_err(req, 0);
	switch (n ? n->kind : 0) {
	case XFS_N_STATS: blob_put((void *)(uintptr_t)fi->fh); break;
	case XFS_N_IMAGE: close((int)fi->fh); break;
	case XFS_N_UPLOAD: xfs_upload_end(fs, (void *)(uintptr_t)fi->fh); break;
	case XFS_N_MAP: xfs_mapsub_end(fs, (void *)(uintptr_t)fi->fh); break;
	default: break;
	}
}
