/* SPDX-License-Identifier: MIT */
/* Helpers shared by the libxlcache tests. */
#ifndef TEST_CACHE_UTIL_H
#define TEST_CACHE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "cache/xlcache.h"

/* A fresh directory under $TMPDIR (or /tmp); free() the result. */
char *tc_tempdir(void);

/* Removes a directory tree (best effort). */
void tc_rmtree(const char *dir);

/* Deterministic bytes from a seed: the same seed always gives the same bytes. */
void tc_pattern(void *buf, size_t len, uint64_t seed);

/* Temp files (".tmp-*") anywhere under dir. */
int tc_count_temps(const char *dir);

/* Path of target/key in the store at dir. */
void tc_entry_path(const char *dir, const char *target, const struct xlc_key *key, char *out,
		   size_t len);

/*
 * A self-describing payload for key number k, version v: (k, v) then a
 * pattern of both, 16..max bytes long. Returns its length.
 */
size_t tc_payload(uint8_t *buf, size_t max, uint64_t k, uint64_t v);

/* Whether buf is exactly some version's payload of key number k. */
int tc_payload_ok(const uint8_t *buf, size_t len, size_t max, uint64_t k);

/* A key that is not the hash of anything in particular. */
struct xlc_key tc_key(uint64_t n);

#endif
