/* SPDX-License-Identifier: MIT */
/*
 * The drop box (DESIGN.md, "Lazy, on-demand translation"): uploads of
 * modules and code-map submissions from guests. Everything is bounded
 * (rate, requests in flight, bytes in flight, sizes) and checked before it
 * is kept; nothing a guest sends can stop the daemon.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fs/internal.h"

struct xfs_upload {
	struct xlc_key key;
	int fd;		/* private spool file, unlinked */
	uint64_t size;	/* spool bytes reserved: the highest byte written */
	int refused;	/* counter of the first refused write: the upload is dropped */
};

struct xfs_mapsub {
	struct xlc_key key;
	pthread_mutex_t lock; /* writes to one handle may come in parallel */
	uint8_t *buf;
	size_t len, cap;
	int refused;
	int append;
	struct xfs_mapsub *prev, *next; /* live submissions, freed at exit if never released */
};

int xfs_intake_init(struct xfs *fs)
{
	struct xfs_intake *in = &fs->intake;

	memset(in, 0, sizeof(*in));
	pthread_mutex_init(&in->lock, NULL);
	pthread_mutex_init(&in->maps_lock, NULL);
	in->tokens = fs->cfg.max_rate;
	clock_gettime(CLOCK_MONOTONIC, &in->refill);
	if (mkdirat(fs->state_fd, "maps", 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static void upload_free(void *p)
{
	struct xfs_upload *u = p;

	if (u->fd >= 0)
		close(u->fd);
	free(u);
}

static void mapsub_free(struct xfs *fs, struct xfs_mapsub *m);

/* Requests still open when the daemon stops (killed with files open) are dropped. */
void xfs_intake_destroy(struct xfs *fs)
{
	while (fs->intake.maps)
		mapsub_free(fs, fs->intake.maps);
	xfs_keymap_free(&fs->intake.pending, upload_free);
	pthread_mutex_destroy(&fs->intake.lock);
	pthread_mutex_destroy(&fs->intake.maps_lock);
}

/* Token bucket: max_rate creates per second, bursts of as many. Lock held. */
static int rate_take(struct xfs *fs)
{
	struct xfs_intake *in = &fs->intake;
	double rate = fs->cfg.max_rate, dt;
	struct timespec now;

	if (!fs->cfg.max_rate)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	dt = (double)(now.tv_sec - in->refill.tv_sec) + (now.tv_nsec - in->refill.tv_nsec) / 1e9;
	in->refill = now;
	in->tokens += dt * rate;
	if (in->tokens > rate)
		in->tokens = rate;
	if (in->tokens < 1)
		return 0;
	in->tokens -= 1;
	return 1;
}

/* Takes a slot for a new request: 0, -EAGAIN or -EDQUOT. Lock held. */
static int slot_take(struct xfs *fs)
{
	if (!rate_take(fs))
		return -EAGAIN;
	if (fs->intake.npending >= fs->cfg.max_pending)
		return -EDQUOT;
	fs->intake.npending++;
	return 0;
}

/* Reserves spool bytes for a request growing from have to want. Lock not held. */
static int spool_reserve(struct xfs *fs, uint64_t *have, uint64_t want)
{
	struct xfs_intake *in = &fs->intake;
	int r = 0;

	pthread_mutex_lock(&in->lock);
	if (want > *have) {
		if (in->spool_bytes + (want - *have) > fs->cfg.max_spool) {
			r = -EDQUOT;
		} else {
			in->spool_bytes += want - *have;
			*have = want;
		}
	}
	pthread_mutex_unlock(&in->lock);
	return r;
}

static void spool_unreserve(struct xfs *fs, uint64_t bytes)
{
	pthread_mutex_lock(&fs->intake.lock);
	fs->intake.spool_bytes -= bytes;
	pthread_mutex_unlock(&fs->intake.lock);
}

static void slot_release(struct xfs *fs, uint64_t bytes)
{
	pthread_mutex_lock(&fs->intake.lock);
	fs->intake.npending--;
	pthread_mutex_unlock(&fs->intake.lock);
	spool_unreserve(fs, bytes);
}

/* An unlinked file in the spool directory. */
static int spool_file(struct xfs *fs)
{
	static unsigned long seq;
	char name[64];
	int fd = openat(fs->spool_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd < 0 ? -errno : fd;
	snprintf(name, sizeof(name), ".upload-%ld-%lu", (long)getpid(),
		 __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
	fd = openat(fs->spool_fd, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	unlinkat(fs->spool_fd, name, 0);
	return fd;
}

static int source_known(struct xfs *fs, const struct xlc_key *key)
{
	uint8_t sha[XLC_SHA256_BYTES];

	return xlc_source_sha256(fs->store, key, sha);
}

int xfs_upload_begin(struct xfs *fs, const struct xlc_key *key, struct xfs_upload **out)
{
	struct xfs_intake *in = &fs->intake;
	struct xfs_upload *u = calloc(1, sizeof(*u));
	int r;

	if (!u)
		return -ENOMEM;
	u->key = *key;
	u->fd = -1;
	pthread_mutex_lock(&in->lock);
	r = xfs_keymap_get(&in->pending, key, 0) ? -EEXIST : slot_take(fs);
	if (!r && xfs_keymap_put(&in->pending, key, 0, u) < 0) {
		in->npending--;
		r = -ENOMEM;
	}
	pthread_mutex_unlock(&in->lock);
	if (r) {
		free(u);
		xfs_count(&fs->stats,
			  r == -EEXIST ? XFS_C_UP_DUPLICATE
			  : r == -EAGAIN ? XFS_C_UP_RATE
			  : r == -EDQUOT ? XFS_C_UP_QUOTA
					 : XFS_C_ERRORS,
			  1);
		return r;
	}
	/* The key is ours now: concurrent creates get EEXIST while we look. */
	r = source_known(fs, key);
	if (r == 0) {
		r = -EEXIST;
		xfs_count(&fs->stats, XFS_C_UP_DUPLICATE, 1);
	} else if (r == -ENOENT) {
		r = spool_file(fs);
		pthread_mutex_lock(&in->lock);
		u->fd = r;
		pthread_mutex_unlock(&in->lock);
		if (r < 0) {
			xfs_err("spool %s: %s", fs->cfg.spool, strerror(-r));
			xfs_count(&fs->stats, XFS_C_ERRORS, 1);
		}
	} else {
		xfs_count(&fs->stats, XFS_C_ERRORS, 1);
	}
	if (r < 0) {
		pthread_mutex_lock(&in->lock);
		xfs_keymap_del(&in->pending, key, 0);
		in->npending--;
		pthread_mutex_unlock(&in->lock);
		free(u);
		return r;
	}
	*out = u;
	return 0;
}

int xfs_upload_pending(struct xfs *fs, const struct xlc_key *key, uint64_t *size)
{
	struct xfs_upload *u;

	pthread_mutex_lock(&fs->intake.lock);
	u = xfs_keymap_get(&fs->intake.pending, key, 0);
	if (u && size)
		*size = u->size;
	pthread_mutex_unlock(&fs->intake.lock);
	return u != NULL && u->fd >= 0;
}

/* Marks a request as dropped for the first reason given (writes may run in parallel). */
static void refuse(int *refused, enum xfs_counter c)
{
	int none = 0;

	__atomic_compare_exchange_n(refused, &none, (int)c, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

struct key_list {
	struct xlc_key *keys;
	size_t n;
};

static void add_key(const struct xlc_key *k, uint32_t tag, void *val, void *arg)
{
	struct key_list *l = arg;
	const struct xfs_upload *u = val;

	if (u->fd >= 0)
		l->keys[l->n++] = *k;
}

struct xlc_key *xfs_upload_list(struct xfs *fs, size_t *n)
{
	struct key_list l = {NULL, 0};

	pthread_mutex_lock(&fs->intake.lock);
	if (fs->intake.pending.n)
		l.keys = malloc(fs->intake.pending.n * sizeof(*l.keys));
	if (l.keys)
		xfs_keymap_each(&fs->intake.pending, add_key, &l);
	pthread_mutex_unlock(&fs->intake.lock);
	*n = l.n;
	return l.keys;
}

/* Checks a request's new end against its bound and the spool: 0 or -errno. */
static int grow(struct xfs *fs, uint64_t *have, uint64_t end, uint64_t max, int *refused,
		enum xfs_counter size_c, enum xfs_counter quota_c)
{
	int r = end > max ? -EFBIG : spool_reserve(fs, have, end);

	if (r)
		refuse(refused, r == -EFBIG ? size_c : quota_c);
	return r;
}

ssize_t xfs_upload_write(struct xfs *fs, struct xfs_upload *u, const void *buf, size_t n,
			 off_t off)
{
	const char *p = buf;
	size_t done = 0;
	int r;

	if (off < 0)
		return -EINVAL;
	r = grow(fs, &u->size, (uint64_t)off + n, fs->cfg.max_upload, &u->refused, XFS_C_UP_SIZE,
		 XFS_C_UP_QUOTA);
	if (r)
		return r;
	while (done < n) {
		ssize_t w = pwrite(u->fd, p + done, n - done, off + (off_t)done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			r = w < 0 ? -errno : -EIO;
			refuse(&u->refused, XFS_C_UP_STORE);
			return r;
		}
		done += (size_t)w;
	}
	return (ssize_t)n;
}

int xfs_upload_truncate(struct xfs *fs, struct xfs_upload *u, uint64_t size)
{
	int r = grow(fs, &u->size, size, fs->cfg.max_upload, &u->refused, XFS_C_UP_SIZE,
		     XFS_C_UP_QUOTA);

	if (r)
		return r;
	return ftruncate(u->fd, (off_t)size) < 0 ? -errno : 0;
}

/* Hash, ELF and store: the counter saying what became of the upload. */
static enum xfs_counter accept_upload(struct xfs *fs, struct xfs_upload *u)
{
	char hex[XLC_KEY_HEX + 1];
	struct xlc_key got;
	struct stat sb;
	const char *why = NULL;
	void *map = NULL;
	int r;

	xlc_key_hex(&u->key, hex);
	if (fstat(u->fd, &sb) < 0 || (uint64_t)sb.st_size > fs->cfg.max_upload)
		return XFS_C_UP_SIZE;
	if (sb.st_size) {
		map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, u->fd, 0);
		if (map == MAP_FAILED) {
			xfs_err("upload %s: mmap: %s", hex, strerror(errno));
			return XFS_C_UP_STORE;
		}
	}
	xlc_key_from_bytes(map, (size_t)sb.st_size, &got);
	if (!xlc_key_equal(&got, &u->key)) {
		char ghex[XLC_KEY_HEX + 1];

		xlc_key_hex(&got, ghex);
		xfs_warn("upload %s: dropped, %llu bytes hash to %s", hex,
			 (unsigned long long)sb.st_size, ghex);
		r = XFS_C_UP_HASH;
	} else if (xfs_elf_check_module(map, (size_t)sb.st_size, &why) < 0) {
		xfs_warn("upload %s: dropped, not an x86-64 module: %s", hex, why);
		r = XFS_C_UP_ELF;
	} else if ((r = xlc_publish_fd(fs->store, XLC_SOURCES, &u->key, u->fd)) < 0) {
		xfs_warn("upload %s: not stored: %s", hex,
			 r == -EEXIST ? "another source is stored under this key" : strerror(-r));
		if (r == -ENOSPC || r == -EDQUOT)
			xfs_housekeep_kick(fs);
		r = r == -EEXIST ? XFS_C_UP_CONFLICT : XFS_C_UP_STORE;
	} else {
		xfs_info("upload %s: stored, %llu bytes", hex, (unsigned long long)sb.st_size);
		r = XFS_C_UP_ACCEPTED;
	}
	if (map)
		munmap(map, (size_t)sb.st_size);
	return (enum xfs_counter)r;
}

/* What to compile after new coverage or a new source. */
static void consider_job(struct xfs *fs, const struct xlc_key *key, uint64_t covered, int grew)
{
	struct xlc_entry e;

	if (!grew) {
		/* Same coverage: only worth a job if the image is gone (evicted, lost). */
		if (xfs_sched_active(fs, key))
			return;
		if (xlc_lookup(fs->store, fs->cfg.target, key, &e) == 0) {
			xlc_entry_close(&e);
			return;
		}
	}
	if (source_known(fs, key) == 0)
		xfs_sched_submit(fs, key, covered);
}

/* Why a request was dropped while it was being written. */
static const char *refusal_text(enum xfs_counter c)
{
	switch (c) {
	case XFS_C_UP_SIZE:
	case XFS_C_MAP_SIZE:
		return "larger than allowed (EFBIG)";
	case XFS_C_UP_QUOTA:
	case XFS_C_MAP_QUOTA:
		return "too many bytes in flight (EDQUOT)";
	default:
		return "a write failed";
	}
}

void xfs_upload_end(struct xfs *fs, struct xfs_upload *u)
{
	struct xfs_intake *in = &fs->intake;
	char hex[XLC_KEY_HEX + 1];
	enum xfs_counter c;

	xlc_key_hex(&u->key, hex);
	if (u->refused)
		xfs_warn("upload %s: dropped, %s", hex, refusal_text((enum xfs_counter)u->refused));
	c = u->refused ? (enum xfs_counter)u->refused : accept_upload(fs, u);

	xfs_count(&fs->stats, c, 1);
	if (c == XFS_C_UP_ACCEPTED) {
		struct xfs_map m;
		uint64_t covered = 0;

		if (xfs_maps_load(fs, &u->key, &m) == 0) {
			covered = xfs_map_covered(&m);
			xfs_map_free(&m);
		}
		consider_job(fs, &u->key, covered, 1);
	}
	pthread_mutex_lock(&in->lock);
	xfs_keymap_del(&in->pending, &u->key, 0);
	in->npending--;
	in->spool_bytes -= u->size;
	pthread_mutex_unlock(&in->lock);
	close(u->fd);
	free(u);
}

/* ---- code maps ---------------------------------------------------------- */

static void map_rel(const struct xlc_key *key, char *dir, size_t dl, char *file, size_t fl)
{
	char hex[XLC_KEY_HEX + 1];

	xlc_key_hex(key, hex);
	snprintf(dir, dl, "maps/%.2s", hex);
	snprintf(file, fl, "maps/%.2s/%s", hex, hex);
}

/* Largest merged map file we read back: every range split in two at worst. */
static uint64_t map_file_max(const struct xfs *fs)
{
	return XLATEFS_MAP_HEADER_SIZE + 2ull * fs->cfg.map_records * XLATEFS_MAP_RECORD_SIZE;
}

int xfs_maps_load(struct xfs *fs, const struct xlc_key *key, struct xfs_map *m)
{
	char dir[16], file[64];
	struct stat sb;
	uint8_t *buf;
	ssize_t n;
	int fd, r;

	memset(m, 0, sizeof(*m));
	map_rel(key, dir, sizeof(dir), file, sizeof(file));
	fd = openat(fs->state_fd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	if (fstat(fd, &sb) < 0 || (uint64_t)sb.st_size > map_file_max(fs)) {
		close(fd);
		return -EBADMSG;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	n = pread(fd, buf, (size_t)sb.st_size, 0);
	close(fd);
	if (n != sb.st_size)
		r = n < 0 ? -errno : -EBADMSG;
	else
		r = xfs_map_parse(buf, (size_t)n, 2ull * fs->cfg.map_records, m);
	free(buf);
	return r == -EINVAL || r == -EFBIG ? -EBADMSG : r;
}

/* Replaces the key's merged map atomically (maps_lock held). */
static int maps_store(struct xfs *fs, const struct xlc_key *key, const struct xfs_map *m)
{
	char dir[16], file[64], tmp[96];
	size_t size = xfs_map_size(m);
	uint8_t *buf = malloc(size);
	int fd, r = 0;

	if (!buf)
		return -ENOMEM;
	xfs_map_encode(m, buf);
	map_rel(key, dir, sizeof(dir), file, sizeof(file));
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", file, (long)getpid());
	if (mkdirat(fs->state_fd, dir, 0700) < 0 && errno != EEXIST) {
		free(buf);
		return -errno;
	}
	fd = openat(fs->state_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	if (write(fd, buf, size) != (ssize_t)size)
		r = errno ? -errno : -EIO;
	if (close(fd) < 0 && !r)
		r = -errno;
	if (!r && renameat(fs->state_fd, tmp, fs->state_fd, file) < 0)
		r = -errno;
	if (r)
		unlinkat(fs->state_fd, tmp, 0);
	free(buf);
	return r;
}

int xfs_mapsub_begin(struct xfs *fs, const struct xlc_key *key, int append,
		     struct xfs_mapsub **out)
{
	char dir[16], file[64];
	struct xfs_mapsub *m;
	struct stat sb;
	int r;

	pthread_mutex_lock(&fs->intake.lock);
	r = slot_take(fs);
	pthread_mutex_unlock(&fs->intake.lock);
	if (!r) {
		/* A full merged map takes nothing more: say so now, not after close. */
		map_rel(key, dir, sizeof(dir), file, sizeof(file));
		if (fstatat(fs->state_fd, file, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    (uint64_t)sb.st_size >= XLATEFS_MAP_HEADER_SIZE + (uint64_t)fs->cfg.map_records *
									    XLATEFS_MAP_RECORD_SIZE)
			r = -EDQUOT;
		m = r ? NULL : calloc(1, sizeof(*m));
		if (!r && !m)
			r = -ENOMEM;
		if (r)
			slot_release(fs, 0);
	}
	if (r) {
		xfs_count(&fs->stats,
			  r == -EAGAIN ? XFS_C_MAP_RATE
			  : r == -EDQUOT ? XFS_C_MAP_QUOTA
					 : XFS_C_ERRORS,
			  1);
		return r;
	}
	m->key = *key;
	m->append = append;
	pthread_mutex_init(&m->lock, NULL);
	pthread_mutex_lock(&fs->intake.lock);
	m->next = fs->intake.maps;
	if (m->next)
		m->next->prev = m;
	fs->intake.maps = m;
	pthread_mutex_unlock(&fs->intake.lock);
	*out = m;
	return 0;
}

int xfs_mapsub_pending(struct xfs *fs, const struct xlc_key *key)
{
	struct xfs_mapsub *m;

	pthread_mutex_lock(&fs->intake.lock);
	for (m = fs->intake.maps; m && !xlc_key_equal(&m->key, key); m = m->next)
		;
	pthread_mutex_unlock(&fs->intake.lock);
	return m != NULL;
}

static ssize_t mapsub_write_locked(struct xfs *fs, struct xfs_mapsub *m, const void *buf,
				   size_t n, off_t off)
{
	uint64_t end = (uint64_t)off + n, have = m->cap;
	int r;

	if (off < 0)
		return -EINVAL;
	if (m->append) {
		/*
		 * The kernel puts O_APPEND writes at its idea of the file size,
		 * which other submissions to the same name move: keep our own.
		 */
		off = (off_t)m->len;
		end = m->len + n;
	}
	if (end > m->cap) {
		uint64_t want = m->cap * 2 > end ? m->cap * 2 : end;
		uint8_t *nb;

		if (want > fs->cfg.max_map)
			want = end;
		r = grow(fs, &have, want, fs->cfg.max_map, &m->refused, XFS_C_MAP_SIZE,
			 XFS_C_MAP_QUOTA);
		if (r)
			return r;
		nb = realloc(m->buf, (size_t)have);
		if (!nb) {
			spool_unreserve(fs, have - m->cap);
			return -ENOMEM;
		}
		m->buf = nb;
		m->cap = (size_t)have;
	}
	if ((size_t)off > m->len)
		memset(m->buf + m->len, 0, (size_t)off - m->len);
	memcpy(m->buf + off, buf, n);
	if (end > m->len)
		m->len = (size_t)end;
	return (ssize_t)n;
}

ssize_t xfs_mapsub_write(struct xfs *fs, struct xfs_mapsub *m, const void *buf, size_t n,
			 off_t off)
{
	ssize_t r;

	pthread_mutex_lock(&m->lock);
	r = mapsub_write_locked(fs, m, buf, n, off);
	pthread_mutex_unlock(&m->lock);
	return r;
}

static void mapsub_free(struct xfs *fs, struct xfs_mapsub *m)
{
	pthread_mutex_lock(&fs->intake.lock);
	if (m->prev)
		m->prev->next = m->next;
	else
		fs->intake.maps = m->next;
	if (m->next)
		m->next->prev = m->prev;
	pthread_mutex_unlock(&fs->intake.lock);
	pthread_mutex_destroy(&m->lock);
	free(m->buf);
	free(m);
}

/* Merges a parsed submission into the key's map: the counter for the outcome. */
static enum xfs_counter merge_map(struct xfs *fs, struct xfs_mapsub *m, const struct xfs_map *add)
{
	char hex[XLC_KEY_HEX + 1];
	struct xfs_map merged;
	uint64_t before, after;
	int r, lockfd;

	xlc_key_hex(&m->key, hex);
	pthread_mutex_lock(&fs->intake.maps_lock);
	/* Daemons sharing a state directory merge one at a time too. */
	lockfd = openat(fs->state_fd, "maps/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd >= 0)
		flock(lockfd, LOCK_EX);
	r = xfs_maps_load(fs, &m->key, &merged);
	if (r == -EBADMSG) {
		xfs_warn("map %s: stored map unreadable, starting afresh", hex);
		xfs_count(&fs->stats, XFS_C_ERRORS, 1);
	}
	if (r < 0)
		memset(&merged, 0, sizeof(merged));
	before = xfs_map_covered(&merged);
	r = xfs_map_merge(&merged, add, fs->cfg.map_records);
	if (!r)
		r = maps_store(fs, &m->key, &merged);
	after = xfs_map_covered(&merged);
	xfs_map_free(&merged);
	if (lockfd >= 0)
		close(lockfd);
	pthread_mutex_unlock(&fs->intake.maps_lock);
	if (r == -EFBIG) {
		xfs_warn("map %s: dropped, the merged map would exceed %u ranges", hex,
			 fs->cfg.map_records);
		return XFS_C_MAP_QUOTA;
	}
	if (r < 0) {
		xfs_err("map %s: %s", hex, strerror(-r));
		return XFS_C_ERRORS;
	}
	xfs_debug("map %s: %zu ranges, coverage %llu -> %llu bytes", hex, add->n,
		  (unsigned long long)before, (unsigned long long)after);
	consider_job(fs, &m->key, after, after > before);
	return XFS_C_MAP_ACCEPTED;
}

void xfs_mapsub_end(struct xfs *fs, struct xfs_mapsub *m)
{
	enum xfs_counter c = (enum xfs_counter)m->refused;
	char hex[XLC_KEY_HEX + 1];

	xlc_key_hex(&m->key, hex);
	if (c)
		xfs_warn("map %s: dropped, %s", hex, refusal_text(c));
	if (!c) {
		struct xfs_map add;
		int r = xfs_map_parse(m->buf, m->len, fs->cfg.map_records, &add);

		if (r == -EINVAL)
			xfs_warn("map %s: dropped, %zu bytes are not a version-%d code map", hex,
				 m->len, XLATEFS_MAP_VERSION);
		c = r == 0	  ? merge_map(fs, m, &add)
		    : r == -EINVAL ? XFS_C_MAP_FORMAT
		    : r == -EFBIG  ? XFS_C_MAP_SIZE
				   : XFS_C_ERRORS;
		if (c == XFS_C_MAP_ACCEPTED)
			xfs_count(&fs->stats, XFS_C_MAP_RECORDS,
				  (int64_t)((m->len - XLATEFS_MAP_HEADER_SIZE) /
					    XLATEFS_MAP_RECORD_SIZE));
		xfs_map_free(&add);
	}
	xfs_count(&fs->stats, c, 1);
	slot_release(fs, m->cap);
	mapsub_free(fs, m);
}
