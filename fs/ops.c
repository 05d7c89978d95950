/* SPDX-License-Identifier: MIT */
/*
 * The FUSE operations table, session setup (init), attributes shared by the
 * operations, and the refusals: the share is read-only except for creating
 * files in requests/.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/statvfs.h>

#include "fs/ops.h"

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	struct xfs *fs = userdata;
	unsigned want = FUSE_CAP_EXPORT_SUPPORT | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE;

	conn->want |= conn->capable & want;
	if (!(conn->capable & FUSE_CAP_EXPORT_SUPPORT))
		xfs_warn("the kernel offers no export support: file handles to the share may go stale");
	/*
	 * Writes of one request file must reach us in order (an O_APPEND map
	 * submission is appended as it comes), and nothing is cached on the
	 * write side.
	 */
	conn->want &= ~(FUSE_CAP_ASYNC_DIO | FUSE_CAP_WRITEBACK_CACHE);
	xfs_info("serving %s as %s (target %s) from %s", fs->cfg.translator,
		 fs->cfg.mountpoint, fs->cfg.target, fs->cfg.store);
}

void xfs_attr(struct xfs *fs, const struct xfs_node *n, struct stat *st)
{
	uint64_t size = 0;

	memset(st, 0, sizeof(*st));
	st->st_ino = n->ino;
	st->st_uid = fs->uid;
	st->st_gid = fs->gid;
	st->st_nlink = 1;
	st->st_atim = st->st_mtim = st->st_ctim = fs->start;
	switch (n->kind) {
	case XFS_N_ROOT:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 4; /* ., .., cache, requests */
		break;
	case XFS_N_CACHE:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2 + fs->cfg.ntargets;
		break;
	case XFS_N_TARGET:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		break;
	case XFS_N_REQUESTS:
		/* anyone may drop files in, nobody may list other users' uploads */
		st->st_mode = S_IFDIR | S_ISVTX | 0733;
		st->st_nlink = 2;
		break;
	case XFS_N_ROSETTA:
		st->st_mode = S_IFREG | 0555;
		st->st_size = fs->translator_st.st_size;
		st->st_mtim = st->st_ctim = fs->translator_st.st_mtim;
		break;
	case XFS_N_BINFMT:
		st->st_mode = S_IFREG | 0444;
		st->st_size = (off_t)fs->binfmt_len;
		break;
	case XFS_N_STATS:
		st->st_mode = S_IFREG | 0444; /* size 0, like /proc: read to EOF */
		break;
	case XFS_N_IMAGE:
		st->st_mode = S_IFREG | 0444;
		st->st_size = (off_t)n->size;
		st->st_mtim = st->st_ctim = n->mtime;
		break;
	case XFS_N_UPLOAD:
		st->st_mode = S_IFREG | 0200;
		if (xfs_upload_pending(fs, &n->key, &size))
			st->st_size = (off_t)size;
		break;
	case XFS_N_MAP:
		st->st_mode = S_IFREG | 0222;
		break;
	}
	st->st_blocks = (st->st_size + 511) / 512;
}

double xfs_attr_timeout(const struct xfs *fs, const struct xfs_node *n)
{
	switch (n->kind) {
	case XFS_N_STATS:
	case XFS_N_UPLOAD:
	case XFS_N_MAP:
		return 0;
	default:
		return fs->cfg.cache_timeout;
	}
}

double xfs_entry_timeout(const struct xfs *fs, const struct xfs_node *n)
{
	/* a request name comes and goes with the upload: always ask */
	return n->kind == XFS_N_UPLOAD || n->kind == XFS_N_MAP ? 0 : fs->cfg.cache_timeout;
}

void xfs_fill_entry(struct xfs *fs, const struct xfs_node *n, struct fuse_entry_param *e)
{
	memset(e, 0, sizeof(*e));
	e->ino = n->ino;
	e->generation = fs->generation;
	xfs_attr(fs, n, &e->attr);
	e->attr_timeout = xfs_attr_timeout(fs, n);
	e->entry_timeout = xfs_entry_timeout(fs, n);
}

static void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs sv;

	if (statvfs(xfs_of(req)->cfg.store, &sv) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	sv.f_namemax = 255;
	fuse_reply_statfs(req, &sv);
}

static void op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	fuse_reply_err(req, 0);
}

static void op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi)
{
	fuse_reply_err(req, 0);
}

/* ---- refusals ------------------------------------------------------------ */

/* In requests/ only creating is allowed; everywhere else nothing is. */
static int refusal(fuse_req_t req, fuse_ino_t parent)
{
	return parent == XFS_INO_REQUESTS ? EPERM : EROFS;
}

static void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
	fuse_reply_err(req, refusal(req, parent));
}

static void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	fuse_reply_err(req, refusal(req, parent));
}

static void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, refusal(req, parent));
}

static void op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, refusal(req, parent));
}

static void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
		      const char *newname, unsigned int flags)
{
	fuse_reply_err(req, refusal(req, parent));
}

static void op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	fuse_reply_err(req, refusal(req, newparent));
}

static void op_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value,
			size_t size, int flags)
{
	fuse_reply_err(req, EROFS);
}

static void op_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	fuse_reply_err(req, EROFS);
}

const struct fuse_lowlevel_ops xfs_ops = {
	.init = op_init,
	.lookup = xfs_op_lookup,
	.forget = xfs_op_forget,
	.forget_multi = xfs_op_forget_multi,
	.getattr = xfs_op_getattr,
	.setattr = xfs_op_setattr,
	.mknod = op_mknod,
	.mkdir = op_mkdir,
	.unlink = op_unlink,
	.rmdir = op_unlink,
	.symlink = op_symlink,
	.rename = op_rename,
	.link = op_link,
	.open = xfs_op_open,
	.read = xfs_op_read,
	.write = xfs_op_write,
	.flush = op_flush,
	.release = xfs_op_release,
	.fsync = op_fsync,
	.opendir = xfs_op_opendir,
	.readdir = xfs_op_readdir,
	.releasedir = xfs_op_releasedir,
	.statfs = op_statfs,
	.setxattr = op_setxattr,
	.removexattr = op_removexattr,
	.create = xfs_op_create,
};
