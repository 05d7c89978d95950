/* SPDX-License-Identifier: MIT */
/* Helpers shared by the FUSE operation files (ops*.c). */
#ifndef XFS_OPS_H
#define XFS_OPS_H

#include "fs/internal.h"

static inline struct xfs *xfs_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

/* Attributes of a node, and how long the kernel may keep them and its name. */
void xfs_attr(struct xfs *fs, const struct xfs_node *n, struct stat *st);
double xfs_attr_timeout(const struct xfs *fs, const struct xfs_node *n);
double xfs_entry_timeout(const struct xfs *fs, const struct xfs_node *n);
void xfs_fill_entry(struct xfs *fs, const struct xfs_node *n, struct fuse_entry_param *e);

void xfs_op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name);
void xfs_op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup);
void xfs_op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets);
void xfs_op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void xfs_op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		    struct fuse_file_info *fi);

void xfs_op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void xfs_op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi);
void xfs_op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);

void xfs_op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void xfs_op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		 struct fuse_file_info *fi);
void xfs_op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);

void xfs_op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		   struct fuse_file_info *fi);
void xfs_op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		  struct fuse_file_info *fi);

#endif
