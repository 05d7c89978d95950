/* SPDX-License-Identifier: MIT */
/* libxlcache internals shared by its source files (not for other components). */
#ifndef XLC_INTERNAL_H
#define XLC_INTERNAL_H

#include <stdint.h>
#include <sys/stat.h>

#include "cache/xlcache.h"

/* Stack buffer for streaming payloads: small enough for any thread's stack. */
#define XLC_IO_CHUNK 16384

/* ---- entry file format (entry.c) ---- */

#define XLC_FORMAT	  1
#define XLC_HDR_SIZE	  256
#define XLC_IMAGE_ALIGN	  65536 /* image payload offset: mmappable with any page size */
#define XLC_TEMP_PREFIX	  ".tmp-"
#define XLC_TEMP_NAME_MAX 64

struct xlc_hdr {
	enum xlc_kind kind;
	struct xlc_key key;
	char target[XLC_TARGET_MAX + 1];
	uint64_t payload_off;
	uint64_t payload_size;
	struct xlc_key payload_hash; /* XXH3-128, canonical */
	uint8_t sha256[XLC_SHA256_BYTES];
};

void xlc_hdr_encode(const struct xlc_hdr *h, uint8_t out[XLC_HDR_SIZE]);
/* -EBADMSG unless magic, version, kind, target, reserved bytes and checksum hold. */
int xlc_hdr_decode(const uint8_t in[XLC_HDR_SIZE], struct xlc_hdr *h);

/*
 * Reads and checks the header of an open entry against target and key
 * (key may be NULL) and the file's size. With full, also hashes the payload.
 * -EBADMSG for a bad entry, other -errno for I/O errors.
 */
int xlc_entry_check(int fd, const char *target, const struct xlc_key *key, int full,
		    struct xlc_hdr *h, struct stat *sb);

/* ---- store (store.c) ---- */

enum xlc_counter {
	XLC_C_HITS,
	XLC_C_MISSES,
	XLC_C_PUBLISHES,
	XLC_C_EVICTIONS,
	XLC_C_CORRUPT,
	XLC_C_TEMPS,
	XLC_C_BYTES, /* signed: publish/remove deltas may race with a resync */
	XLC_C_COUNT
};

struct xlc_store {
	char *dir;
	int v1fd; /* <store>/v1 */
	unsigned flags;
	unsigned touch_interval;
	int64_t *ctr; /* mmapped <store>/v1/.stats, NULL if unavailable */
};

void xlc_count(struct xlc_store *st, enum xlc_counter c, int64_t delta);
void xlc_count_set(struct xlc_store *st, enum xlc_counter c, int64_t value);

/* "<target>/<kk>" and "<target>/<kk>/<key>" relative to v1fd. */
#define XLC_REL_MAX (XLC_TARGET_MAX + 4 + XLC_KEY_HEX + 1)
void xlc_rel_dir(const char *target, const struct xlc_key *key, char out[XLC_REL_MAX]);
void xlc_rel_entry(const char *target, const struct xlc_key *key, char out[XLC_REL_MAX]);

/* Disk space of a file, as budgets count it. */
static inline uint64_t xlc_disk_bytes(const struct stat *sb)
{
	return (uint64_t)sb->st_blocks * 512;
}

/* open(2) for reading without touching atime when we may (we own the file). */
int xlc_open_noatime(int dirfd, const char *rel);

/*
 * Opens target/key and checks it (full: payload too). A bad entry is
 * removed (unless read-only) and counted; returns -ENOENT for it as for an
 * absent one. On success returns the fd. Reads leave atime alone where we
 * may ask for that: recency is only what lookups set explicitly.
 */
int xlc_open_entry(struct xlc_store *st, const char *target, const struct xlc_key *key, int full,
		   struct xlc_hdr *h, struct stat *sb);

/* Unlinks rel if it is still the file fd refers to; 1 if it removed it. */
int xlc_unlink_same(int dirfd, const char *rel, const struct stat *was);

/* ---- walking the store (scan.c) ---- */

struct xlc_scan_item {
	const char *target;
	enum xlc_kind kind;
	int dirfd;	  /* the <kk> directory */
	const char *name; /* file name in it */
	int is_temp;	  /* a temp file; key is unset */
	struct xlc_key key;
};

typedef int (*xlc_scan_fn)(struct xlc_store *st, const struct xlc_scan_item *it, void *arg);

/* Calls fn for every entry and temp file; stops at fn's first non-zero return. */
int xlc_scan(struct xlc_store *st, xlc_scan_fn fn, void *arg);

#endif
