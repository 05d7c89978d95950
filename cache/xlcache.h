/* SPDX-License-Identifier: MIT */
/*
 * libxlcache — the content-addressed, size-bounded, crash-safe store of
 * pretranslated images and module sources (see DESIGN.md, "Keys and images").
 *
 * Depends only on libc and the xxhash header (inline mode), so the static
 * translator and its aarch64 cross build can link it.
 *
 * Conventions: functions return 0 (or a count) on success and -errno on
 * failure; nothing is printed. A store handle may be shared by the threads
 * of one process; any number of processes may use one store at once.
 *
 * On-disk layout (format 1):
 *   <store>/FORMAT                      "xlcache-store 1\n"
 *   <store>/v1/.stats                   shared counters (mmapped, atomic)
 *   <store>/v1/.lock                    flock: one cleaner at a time
 *   <store>/v1/<target>/<kk>/<key>      images for one target
 *   <store>/v1/sources/<kk>/<key>       module sources
 *   .../<kk>/.tmp-<pid>-<n>             a publish in progress
 * <kk> is the first two hex digits of <key>. Each entry file is a 256-byte
 * header (magic, format version, kind, key, target, payload offset and size,
 * XXH3-128 of the payload, SHA-256 of a source's payload, header checksum)
 * followed, at a recorded offset, by the payload. Image payloads start at
 * 64 KiB so that any host page size can mmap them; the gap is a hole.
 */
#ifndef XLCACHE_H
#define XLCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- keys ------------------------------------------------------------- */

#define XLC_KEY_BYTES 16
#define XLC_KEY_HEX   32 /* characters, without the NUL */

/*
 * A key: XXH3-128 (XXH128, seed 0) of a module's bytes, in canonical
 * big-endian byte order; its hex form is exactly what `xxhsum -H2` prints.
 */
struct xlc_key {
	uint8_t b[XLC_KEY_BYTES];
};

/* Key of a buffer. */
void xlc_key_from_bytes(const void *data, size_t len, struct xlc_key *key);

/*
 * Key of a whole file, read with pread from offset 0 to EOF (the file offset
 * is not moved; pipes are -ESPIPE). Returns 0 or -errno.
 */
int xlc_key_from_fd(int fd, struct xlc_key *key);

/* 32 lowercase hex digits plus NUL into out. */
void xlc_key_hex(const struct xlc_key *key, char out[XLC_KEY_HEX + 1]);

/* Parses exactly 32 lowercase hex digits. Returns 0 or -EINVAL. */
int xlc_key_parse(const char *hex, struct xlc_key *key);

static inline int xlc_key_equal(const struct xlc_key *a, const struct xlc_key *b)
{
	for (int i = 0; i < XLC_KEY_BYTES; i++)
		if (a->b[i] != b->b[i])
			return 0;
	return 1;
}

/* ---- SHA-256 (sources are recorded with it; see DESIGN.md "Trust") ---- */

#define XLC_SHA256_BYTES 32

struct xlc_sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
};

void xlc_sha256_init(struct xlc_sha256 *ctx);
void xlc_sha256_update(struct xlc_sha256 *ctx, const void *data, size_t len);
void xlc_sha256_final(struct xlc_sha256 *ctx, uint8_t out[XLC_SHA256_BYTES]);
void xlc_sha256(const void *data, size_t len, uint8_t out[XLC_SHA256_BYTES]);

/* ---- targets and kinds ------------------------------------------------ */

enum xlc_kind {
	XLC_KIND_IMAGE = 1,  /* a pretranslated image for one target */
	XLC_KIND_SOURCE = 2, /* a module's bytes; payload hash == key */
};

/*
 * Every function that names an entry takes a target: an image target such
 * as "aarch64-v1" or "x86_64-v1", or XLC_SOURCES for module sources.
 * A target is 1..XLC_TARGET_MAX characters of [a-z0-9_.-], starting with a
 * letter or digit ("..", "/" and the like are refused).
 */
#define XLC_SOURCES    "sources"
#define XLC_TARGET_MAX 31

/* The kind a target names (XLC_KIND_IMAGE or XLC_KIND_SOURCE), or -EINVAL. */
int xlc_target_kind(const char *target);

/* ---- opening a store -------------------------------------------------- */

struct xlc_store;

enum xlc_open_flags {
	/*
	 * Never write: no layout creation, no counters, no recency updates,
	 * bad entries are reported as misses but left in place.
	 */
	XLC_RDONLY = 1u << 0,
};

/*
 * Opens the store at dir. Unless XLC_RDONLY, creates dir, the FORMAT file
 * and the v1 layout when missing (read-only: a missing store is -ENOENT).
 * A store of another format is -EPROTO.
 */
int xlc_open(const char *dir, unsigned flags, struct xlc_store **out);
void xlc_close(struct xlc_store *st);

/* The directory the store was opened at. */
const char *xlc_store_dir(const struct xlc_store *st);

/*
 * A hit refreshes the entry's recency (its atime, set explicitly) at most
 * once per this many seconds, so hot entries cost no write per hit.
 * Default XLC_TOUCH_INTERVAL_DEFAULT; 0 refreshes on every hit (tests).
 */
#define XLC_TOUCH_INTERVAL_DEFAULT 300
void xlc_set_touch_interval(struct xlc_store *st, unsigned seconds);

/* ---- lookup ----------------------------------------------------------- */

/*
 * A verified entry. The payload is bytes [offset, offset + size) of fd;
 * image payloads are 64 KiB-aligned, so they can be mmapped directly.
 * The fd stays valid (and its content unchanged) even if the entry is
 * replaced, removed or evicted meanwhile.
 */
struct xlc_entry {
	int fd; /* read-only, O_CLOEXEC; owned by the caller */
	uint64_t offset;
	uint64_t size;
	enum xlc_kind kind;
	uint8_t sha256[XLC_SHA256_BYTES]; /* sources: SHA-256 of payload; images: zero */
};

/*
 * Looks up target/key and verifies the entry in full (header, key, target,
 * kind, size, payload XXH3-128). Returns 0 and fills e on a hit, -ENOENT on a
 * miss; an entry that fails verification is removed, counted as corrupt and
 * reported as a miss. Counts a hit or a miss. Never evicts.
 */
int xlc_lookup(struct xlc_store *st, const char *target, const struct xlc_key *key,
	       struct xlc_entry *e);

/* Closes e->fd (if open) and marks e closed. */
void xlc_entry_close(struct xlc_entry *e);

/*
 * The SHA-256 recorded for the stored source of key (the entry is verified
 * as by xlc_lookup, but no hit or miss is counted). 0, -ENOENT, or -errno.
 */
int xlc_source_sha256(struct xlc_store *st, const struct xlc_key *key,
		      uint8_t out[XLC_SHA256_BYTES]);

/* ---- publish and remove ----------------------------------------------- */

/*
 * Publishes a payload under target/key atomically: written to a temp file in
 * the entry's own directory, fsynced, renamed into place, directory fsynced.
 * Readers see the old entry or the new one, never a partial one.
 *
 * Images: a publish replaces any existing image for the key (a newer image
 * with more coverage). Sources: the key must equal the payload's XXH3-128
 * (else -EINVAL); if the source is already stored with the same SHA-256 the
 * call succeeds without writing; a different SHA-256 under the same key is
 * refused with -EEXIST (see DESIGN.md "Trust").
 *
 * Errors: -EINVAL (bad target), -ENOSPC/-EDQUOT/-EIO (nothing is left
 * behind), -EROFS for a read-only handle, other -errno.
 */
int xlc_publish(struct xlc_store *st, const char *target, const struct xlc_key *key,
		const void *data, size_t len);

/* The same with the payload read from fd with pread, from offset 0 to EOF. */
int xlc_publish_fd(struct xlc_store *st, const char *target, const struct xlc_key *key, int fd);

/* Removes target/key. 0, -ENOENT, or -errno. */
int xlc_remove(struct xlc_store *st, const char *target, const struct xlc_key *key);

/* ---- iterate ---------------------------------------------------------- */

struct xlc_info {
	enum xlc_kind kind;
	char target[XLC_TARGET_MAX + 1];
	struct xlc_key key;
	uint64_t payload_size;
	uint64_t bytes;	       /* disk space the entry uses (st_blocks * 512) */
	struct timespec atime; /* last use (recency for eviction) */
	struct timespec mtime; /* publish time */
};

/* Return non-zero to stop the walk; xlc_foreach then returns that value. */
typedef int (*xlc_foreach_fn)(const struct xlc_info *info, void *arg);

/*
 * Calls fn for every entry whose header parses (the payload is not checked:
 * use xlc_verify for that), in no particular order. Does not change recency.
 * Returns 0, fn's non-zero value, or -errno.
 */
int xlc_foreach(struct xlc_store *st, xlc_foreach_fn fn, void *arg);

/* ---- stats ------------------------------------------------------------ */

/*
 * Counters shared by every process using the store (a mmapped file updated
 * atomically). bytes is maintained on publish/remove/evict and resynced by
 * every full scan (xlc_verify, xlc_evict).
 */
struct xlc_stats {
	uint64_t hits;
	uint64_t misses;
	uint64_t publishes;
	uint64_t evictions;
	uint64_t corrupt;	/* bad entries found and removed */
	uint64_t temps_removed; /* temp files of dead writers removed */
	uint64_t bytes;		/* disk space used by entries */
};

int xlc_stats(struct xlc_store *st, struct xlc_stats *out);

/* ---- verify ----------------------------------------------------------- */

struct xlc_verify_result {
	uint64_t entries; /* entries checked */
	uint64_t good;
	uint64_t bad;	/* failed: corrupt ones are removed (unless XLC_RDONLY) */
	uint64_t bytes; /* disk space of the good entries */
};

/* Called for each bad entry with its path and the reason (-errno). */
typedef void (*xlc_bad_fn)(const char *path, int err, void *arg);

/*
 * Verifies every entry in full, as xlc_lookup does, removing bad ones
 * (bad may be NULL). Counts no hit or miss. Returns 0 or -errno.
 */
int xlc_verify(struct xlc_store *st, xlc_bad_fn bad, void *arg, struct xlc_verify_result *res);

/* ---- evict (the cleaner) ---------------------------------------------- */

enum xlc_evict_flags {
	/* Return -EAGAIN instead of waiting when another cleaner runs. */
	XLC_EVICT_NOWAIT = 1u << 0,
};

struct xlc_evict_result {
	uint64_t entries;	/* entries seen */
	uint64_t bytes_before;	/* disk space of entries before */
	uint64_t bytes_after;	/* ... and after */
	uint64_t evicted;	/* entries removed for the budget */
	uint64_t temps_removed; /* temp files of dead writers removed */
};

/*
 * One cleaner pass (at most one runs at a time across processes): removes
 * temp files whose writer is gone (their writer holds a flock while alive),
 * and, when max_bytes is non-zero and entries use more than max_bytes,
 * removes least-recently-used entries until they use at most 90% of it.
 * Run it in the background (a daemon thread, `xlatefs-cache gc`), never on a
 * lookup path. res may be NULL. Returns 0, -EAGAIN (NOWAIT, busy), -errno.
 */
int xlc_evict(struct xlc_store *st, uint64_t max_bytes, unsigned flags,
	      struct xlc_evict_result *res);

#ifdef __cplusplus
}
#endif

#endif /* XLCACHE_H */
