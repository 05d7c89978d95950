/* SPDX-License-Identifier: MIT */
/*
 * Publishing: temp file in the entry's own directory (held under flock so a
 * cleaner can tell a live writer from a dead one), payload, header, fsync,
 * rename over the entry, fsync the directory. A crash at any point leaves
 * either the old entry or the new one, plus at most a temp file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache/hash.h"
#include "cache/internal.h"

/* The payload: a buffer, or a file read with pread from offset 0 to EOF. */
struct input {
	const uint8_t *buf;
	size_t len;
	int fd;
};

/* Next piece of the input at off: points *out at it; 0 at the end. */
static ssize_t input_read(const struct input *in, uint8_t *tmp, size_t cap, uint64_t off,
			  const uint8_t **out)
{
	ssize_t n;

	if (in->fd < 0) {
		*out = in->buf + off;
		return (ssize_t)(in->len - off < cap ? in->len - off : cap);
	}
	do
		n = pread(in->fd, tmp, cap, (off_t)off);
	while (n < 0 && errno == EINTR);
	*out = tmp;
	return n < 0 ? -errno : n;
}

struct sums {
	XXH3_state_t xxh;
	struct xlc_sha256 sha;
	int want_sha;
};

static void sums_init(struct sums *s, int want_sha)
{
	XXH3_128bits_reset(&s->xxh);
	xlc_sha256_init(&s->sha);
	s->want_sha = want_sha;
}

static void sums_update(struct sums *s, const uint8_t *p, size_t n)
{
	XXH3_128bits_update(&s->xxh, p, n);
	if (s->want_sha)
		xlc_sha256_update(&s->sha, p, n);
}

static void sums_final(struct sums *s, struct xlc_key *xxh, uint8_t sha[XLC_SHA256_BYTES])
{
	xlc_key_from_hash(XXH3_128bits_digest(&s->xxh), xxh);
	memset(sha, 0, XLC_SHA256_BYTES);
	if (s->want_sha)
		xlc_sha256_final(&s->sha, sha);
}

static int pwrite_full(int fd, const uint8_t *p, size_t n, uint64_t off)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/*
 * Copies the input to fd at off (fd < 0: only hashes it). Returns the
 * payload size or -errno.
 */
static int64_t copy_input(const struct input *in, int fd, uint64_t off, struct sums *s)
{
	uint8_t tmp[XLC_IO_CHUNK];
	uint64_t done = 0;

	for (;;) {
		const uint8_t *p;
		ssize_t n = input_read(in, tmp, sizeof(tmp), done, &p);
		int r;

		if (n <= 0)
			return n < 0 ? n : (int64_t)done;
		sums_update(s, p, (size_t)n);
		r = fd < 0 ? 0 : pwrite_full(fd, p, (size_t)n, off + done);
		if (r)
			return r;
		done += (uint64_t)n;
	}
}

/*
 * A source already stored: the same bytes are a success, different bytes
 * under the same key are refused. -ENOENT when none is stored.
 */
static int existing_source(struct xlc_store *st, const struct xlc_key *key, const struct input *in)
{
	uint8_t sha[XLC_SHA256_BYTES];
	struct xlc_key xxh;
	struct xlc_hdr h;
	struct sums s;
	struct stat sb;
	int64_t n;
	int fd = xlc_open_entry(st, XLC_SOURCES, key, 1, &h, &sb);

	if (fd < 0)
		return fd;
	close(fd);
	sums_init(&s, 1);
	n = copy_input(in, -1, 0, &s);
	if (n < 0)
		return (int)n;
	sums_final(&s, &xxh, sha);
	if (!xlc_key_equal(&xxh, key))
		return -EINVAL;
	return memcmp(sha, h.sha256, sizeof(sha)) ? -EEXIST : 0;
}

static int fsync_at(int dfd, const char *rel)
{
	int r = 0, fd = openat(dfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* Opens <target>/<kk>, creating it (durably) on first use. */
static int open_entry_dir(struct xlc_store *st, const char *target, const struct xlc_key *key)
{
	char rel[XLC_REL_MAX];
	int fd, r;

	xlc_rel_dir(target, key, rel);
	fd = openat(st->v1fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;
	if (mkdirat(st->v1fd, target, 0755) == 0) {
		if (fsync(st->v1fd) < 0)
			return -errno;
	} else if (errno != EEXIST) {
		return -errno;
	}
	if (mkdirat(st->v1fd, rel, 0755) == 0) {
		r = fsync_at(st->v1fd, target);
		if (r)
			return r;
	} else if (errno != EEXIST) {
		return -errno;
	}
	fd = openat(st->v1fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

/*
 * Creates a temp file and takes its lock. A cleaner may lock and unlink it
 * in the instant between the two; then its link count is 0 and we retry.
 */
static int make_temp(int dfd, char name[XLC_TEMP_NAME_MAX])
{
	static unsigned long seq;

	for (int tries = 0; tries < 1000; tries++) {
		struct timespec ts;
		struct stat sb;
		int fd;

		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(name, XLC_TEMP_NAME_MAX, XLC_TEMP_PREFIX "%ld-%lx-%lu", (long)getpid(),
			 (unsigned long)ts.tv_nsec, __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
		fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return -errno;
		/* Without flock support the cleaner falls back to the temp file's age. */
		if (flock(fd, LOCK_EX) < 0 && errno != ENOLCK && errno != EOPNOTSUPP &&
		    errno != EINVAL) {
			int r = -errno;

			unlinkat(dfd, name, 0);
			close(fd);
			return r;
		}
		if (fstat(fd, &sb) == 0 && sb.st_nlink > 0)
			return fd;
		close(fd);
	}
	return -EEXIST;
}

/* Writes the temp file, renames it into place; returns its disk size. */
static int64_t write_entry(int dfd, const char *target, const struct xlc_key *key, int kind,
			   const struct input *in, const char *tmp, int tfd)
{
	uint8_t raw[XLC_HDR_SIZE];
	char hex[XLC_KEY_HEX + 1];
	struct xlc_hdr h = {.kind = kind, .key = *key};
	struct sums s;
	struct stat sb;
	int64_t n;
	int r;

	h.payload_off = kind == XLC_KIND_IMAGE ? XLC_IMAGE_ALIGN : XLC_HDR_SIZE;
	strcpy(h.target, target);
	sums_init(&s, kind == XLC_KIND_SOURCE);
	n = copy_input(in, tfd, h.payload_off, &s);
	if (n < 0)
		return n;
	h.payload_size = (uint64_t)n;
	sums_final(&s, &h.payload_hash, h.sha256);
	if (kind == XLC_KIND_SOURCE && !xlc_key_equal(&h.payload_hash, key))
		return -EINVAL;
	xlc_hdr_encode(&h, raw);
	r = pwrite_full(tfd, raw, sizeof(raw), 0);
	/* An empty image payload leaves the file short of its payload offset. */
	if (!r && ftruncate(tfd, (off_t)(h.payload_off + h.payload_size)) < 0)
		r = -errno;
	if (!r && fsync(tfd) < 0)
		r = -errno;
	if (!r && fstat(tfd, &sb) < 0)
		r = -errno;
	xlc_key_hex(key, hex);
	if (!r && renameat(dfd, tmp, dfd, hex) < 0)
		r = -errno;
	if (r)
		return r;
	if (fsync(dfd) < 0)
		return -errno;
	return (int64_t)xlc_disk_bytes(&sb);
}

static int publish(struct xlc_store *st, const char *target, const struct xlc_key *key,
		   const struct input *in)
{
	char tmp[XLC_TEMP_NAME_MAX], hex[XLC_KEY_HEX + 1];
	struct stat old;
	int64_t bytes;
	int dfd, tfd, r, kind = xlc_target_kind(target);

	if (kind < 0)
		return kind;
	if (st->flags & XLC_RDONLY)
		return -EROFS;
	if (kind == XLC_KIND_SOURCE) {
		r = existing_source(st, key, in);
		if (r != -ENOENT)
			return r;
	}
	dfd = open_entry_dir(st, target, key);
	if (dfd < 0)
		return dfd;
	tfd = make_temp(dfd, tmp);
	if (tfd < 0) {
		close(dfd);
		return tfd;
	}
	xlc_key_hex(key, hex);
	if (fstatat(dfd, hex, &old, AT_SYMLINK_NOFOLLOW) < 0)
		old.st_blocks = 0;
	bytes = write_entry(dfd, target, key, kind, in, tmp, tfd);
	if (bytes < 0)
		unlinkat(dfd, tmp, 0);
	close(tfd);
	close(dfd);
	if (bytes < 0)
		return (int)bytes;
	xlc_count(st, XLC_C_PUBLISHES, 1);
	xlc_count(st, XLC_C_BYTES, bytes - (int64_t)xlc_disk_bytes(&old));
	return 0;
}

int xlc_publish(struct xlc_store *st, const char *target, const struct xlc_key *key,
		const void *data, size_t len)
{
	struct input in = {.buf = data, .len = len, .fd = -1};

	return publish(st, target, key, &in);
}

int xlc_publish_fd(struct xlc_store *st, const char *target, const struct xlc_key *key, int fd)
{
	struct input in = {.fd = fd};

	if (fd < 0)
		return -EBADF;
	return publish(st, target, key, &in);
}
