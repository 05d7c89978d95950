/* SPDX-License-Identifier: MIT */
/*
 * xxhash in inline mode: the library must link into the static translator
 * (and its aarch64 cross build) with nothing but libc, so no -lxxhash.
 */
#ifndef XLC_HASH_H
#define XLC_HASH_H

#define XXH_INLINE_ALL
#include <xxhash.h>
#include <string.h>

#include "cache/xlcache.h"

/* The canonical (big-endian) bytes of a 128-bit hash, as xxhsum prints them. */
static inline void xlc_key_from_hash(XXH128_hash_t h, struct xlc_key *key)
{
	XXH128_canonical_t c;

	XXH128_canonicalFromHash(&c, h);
	memcpy(key->b, c.digest, sizeof(key->b));
}

#endif
