/* SPDX-License-Identifier: MIT */
/*
 * The node table. Node ids are never reused nor freed while the daemon runs,
 * so they stay valid across FORGET: the kernel (or virtiofsd holding file
 * handles, FUSE_CAP_EXPORT_SUPPORT) may come back to any of them with a "."
 * lookup. An image node stands for one published version of an entry (its
 * store file), so its content never changes and the kernel may cache it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/internal.h"

#define TAG(kind, target) ((uint32_t)(kind) << 8 | (uint32_t)(target))

/* Appends a node; table lock held. */
static struct xfs_node *new_node(struct xfs_nodes *t, enum xfs_kind kind)
{
	struct xfs_node *n;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct xfs_node **v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->kind = kind;
	n->fd = -1;
	t->v[t->n++] = n;
	n->ino = t->n;
	return n;
}

int xfs_nodes_init(struct xfs *fs)
{
	static const enum xfs_kind fixed[] = {
		[XFS_INO_ROOT] = XFS_N_ROOT,	 [XFS_INO_ROSETTA] = XFS_N_ROSETTA,
		[XFS_INO_BINFMT] = XFS_N_BINFMT, [XFS_INO_STATS] = XFS_N_STATS,
		[XFS_INO_CACHE] = XFS_N_CACHE,	 [XFS_INO_REQUESTS] = XFS_N_REQUESTS,
	};
	struct xfs_nodes *t = &fs->nodes;

	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
	for (fuse_ino_t ino = XFS_INO_ROOT; ino < XFS_INO_TARGET0; ino++)
		if (!new_node(t, fixed[ino]))
			return -ENOMEM;
	for (unsigned i = 0; i < fs->cfg.ntargets; i++) {
		struct xfs_node *n = new_node(t, XFS_N_TARGET);

		if (!n)
			return -ENOMEM;
		n->target = i;
	}
	return 0;
}

void xfs_nodes_destroy(struct xfs *fs)
{
	struct xfs_nodes *t = &fs->nodes;

	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i]->fd >= 0)
			close(t->v[i]->fd);
		free(t->v[i]);
	}
	free(t->v);
	xfs_keymap_free(&t->index, NULL);
	pthread_mutex_destroy(&t->lock);
}

struct xfs_node *xfs_node_get(struct xfs *fs, fuse_ino_t ino)
{
	struct xfs_nodes *t = &fs->nodes;
	struct xfs_node *n = NULL;

	pthread_mutex_lock(&t->lock);
	if (ino >= 1 && ino <= t->n)
		n = t->v[ino - 1];
	pthread_mutex_unlock(&t->lock);
	return n;
}

struct xfs_node *xfs_node_image(struct xfs *fs, unsigned target, const struct xlc_key *key,
				struct xlc_entry *e, const struct stat *sb)
{
	struct xfs_nodes *t = &fs->nodes;
	struct xfs_node *head, *n;

	pthread_mutex_lock(&t->lock);
	head = xfs_keymap_get(&t->index, key, TAG(XFS_N_IMAGE, target));
	for (n = head; n; n = n->vnext)
		if (n->dev == sb->st_dev && n->fino == sb->st_ino)
			break;
	if (!n) {
		n = new_node(t, XFS_N_IMAGE);
		if (n && xfs_keymap_put(&t->index, key, TAG(XFS_N_IMAGE, target), n) < 0) {
			/* the node stays in the table, unreachable by name: harmless */
			n = NULL;
		}
		if (n) {
			n->target = target;
			n->key = *key;
			n->dev = sb->st_dev;
			n->fino = sb->st_ino;
			n->off = e->offset;
			n->size = e->size;
			n->mtime = sb->st_mtim;
			n->vnext = head;
		}
	}
	if (n && n->fd < 0) {
		n->fd = e->fd;
		e->fd = -1;
	}
	if (n)
		n->nlookup++;
	pthread_mutex_unlock(&t->lock);
	xlc_entry_close(e);
	return n;
}

struct xfs_node *xfs_node_request(struct xfs *fs, enum xfs_kind kind, const struct xlc_key *key)
{
	struct xfs_nodes *t = &fs->nodes;
	struct xfs_node *n;

	pthread_mutex_lock(&t->lock);
	n = xfs_keymap_get(&t->index, key, TAG(kind, 0));
	if (!n) {
		n = new_node(t, kind);
		if (n && xfs_keymap_put(&t->index, key, TAG(kind, 0), n) < 0)
			n = NULL;
		if (n)
			n->key = *key;
	}
	if (n)
		n->nlookup++;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void xfs_node_ref(struct xfs *fs, struct xfs_node *n)
{
	pthread_mutex_lock(&fs->nodes.lock);
	n->nlookup++;
	pthread_mutex_unlock(&fs->nodes.lock);
}

void xfs_node_forget(struct xfs *fs, fuse_ino_t ino, uint64_t count)
{
	struct xfs_node *n = xfs_node_get(fs, ino);
	int fd = -1;

	if (!n)
		return;
	pthread_mutex_lock(&fs->nodes.lock);
	n->nlookup = n->nlookup > count ? n->nlookup - count : 0;
	if (!n->nlookup && n->kind == XFS_N_IMAGE) {
		fd = n->fd;
		n->fd = -1;
	}
	pthread_mutex_unlock(&fs->nodes.lock);
	if (fd >= 0)
		close(fd);
}

int xfs_node_image_fd(struct xfs *fs, struct xfs_node *n)
{
	int fd;

	pthread_mutex_lock(&fs->nodes.lock);
	fd = n->fd < 0 ? -ESTALE : dup(n->fd);
	if (fd == -1)
		fd = -errno;
	pthread_mutex_unlock(&fs->nodes.lock);
	return fd;
}

/* Opens the store's current entry and checks it is still n's version. */
static int reopen_image(struct xfs *fs, struct xfs_node *n, struct xlc_entry *e)
{
	struct stat sb;
	int r = xlc_lookup(fs->store, fs->cfg.target_list[n->target], &n->key, e);

	if (r < 0)
		return r == -ENOENT ? -ESTALE : r;
	if (fstat(e->fd, &sb) < 0) {
		r = -errno;
		xlc_entry_close(e);
		return r;
	}
	if (sb.st_dev != n->dev || sb.st_ino != n->fino) {
		xlc_entry_close(e);
		return -ESTALE;
	}
	return 0;
}

int xfs_node_revive(struct xfs *fs, struct xfs_node *n)
{
	struct xlc_entry e = {.fd = -1};
	int need;

	pthread_mutex_lock(&fs->nodes.lock);
	need = n->kind == XFS_N_IMAGE && n->fd < 0;
	pthread_mutex_unlock(&fs->nodes.lock);
	if (need) {
		int r = reopen_image(fs, n, &e);

		if (r < 0)
			return r;
	}
	pthread_mutex_lock(&fs->nodes.lock);
	if (n->kind == XFS_N_IMAGE && n->fd < 0) {
		n->fd = e.fd;
		e.fd = -1;
	}
	n->nlookup++;
	pthread_mutex_unlock(&fs->nodes.lock);
	xlc_entry_close(&e);
	return 0;
}

void xfs_nodes_stale_images(struct xfs *fs, void (*fn)(struct xfs *fs, struct xfs_node *n))
{
	struct xfs_nodes *t = &fs->nodes;
	struct xfs_node **stale = NULL;
	size_t ns = 0, cap = 0;

	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < t->n; i++) {
		struct xfs_node *n = t->v[i];
		struct stat sb;

		/* a version removed from the store has no name left */
		if (n->kind != XFS_N_IMAGE || n->fd < 0 || n->invalidated ||
		    fstat(n->fd, &sb) < 0 || sb.st_nlink > 0)
			continue;
		if (ns == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct xfs_node **v = realloc(stale, nc * sizeof(*v));

			if (!v)
				break;
			stale = v;
			cap = nc;
		}
		n->invalidated = 1;
		stale[ns++] = n;
	}
	pthread_mutex_unlock(&t->lock);
	for (size_t i = 0; i < ns; i++)
		fn(fs, stale[i]);
	free(stale);
}
