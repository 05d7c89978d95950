/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/test_cache_util.h"

char *tc_tempdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir;

	if (!base || !*base)
		base = "/tmp";
	if (asprintf(&dir, "%s/xlc-test-XXXXXX", base) < 0)
		abort();
	if (!mkdtemp(dir))
		abort();
	return dir;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	remove(path);
	return 0;
}

void tc_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void tc_pattern(void *buf, size_t len, uint64_t seed)
{
	uint8_t *p = buf;
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)(x >> 24);
	}
}

static int temps;

static int count_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	if (strncmp(path + ftw->base, ".tmp-", 5) == 0)
		temps++;
	return 0;
}

int tc_count_temps(const char *dir)
{
	temps = 0;
	nftw(dir, count_one, 16, FTW_PHYS);
	return temps;
}

void tc_entry_path(const char *dir, const char *target, const struct xlc_key *key, char *out,
		   size_t len)
{
	char hex[XLC_KEY_HEX + 1];

	xlc_key_hex(key, hex);
	snprintf(out, len, "%s/v1/%s/%.2s/%s", dir, target, hex, hex);
}

size_t tc_payload(uint8_t *buf, size_t max, uint64_t k, uint64_t v)
{
	size_t len = 16 + (size_t)((k * 7919 + v * 104729) % (max - 15));

	memcpy(buf, &k, 8);
	memcpy(buf + 8, &v, 8);
	tc_pattern(buf + 16, len - 16, k << 32 ^ v);
	return len;
}

int tc_payload_ok(const uint8_t *buf, size_t len, size_t max, uint64_t k)
{
	uint8_t *want;
	uint64_t got_k, v;
	int ok;

	if (len < 16 || len > max)
		return 0;
	memcpy(&got_k, buf, 8);
	memcpy(&v, buf + 8, 8);
	want = malloc(max);
	ok = got_k == k && tc_payload(want, max, k, v) == len && memcmp(want, buf, len) == 0;
	free(want);
	return ok;
}

struct xlc_key tc_key(uint64_t n)
{
	struct xlc_key k;

	tc_pattern(k.b, sizeof(k.b), n ^ 0x5eed);
	return k;
}
