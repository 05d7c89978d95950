/* SPDX-License-Identifier: MIT */
/*
 * Keys (XXH3-128 against `xxhsum -H2`), their hex form, SHA-256 against
 * FIPS 180-4 / sha256sum, target names, and the entry header codec.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache/internal.h"
#include "tests/unit/test_cache_util.h"

/* The inputs: byte i of an n-byte input is ((i * 131) ^ ((i >> 8) * 7)) & 0xff. */
static void vector_input(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(((i * 131) ^ ((i >> 8) * 7)) & 0xff);
}

// clang-format off
/* Expected keys: `xxhsum -H2` (xxhash 0.8.1) on files holding these inputs. */
static const struct { size_t len; const char *key; } xxh_vectors[] = {
	{0,           "99aa06d3014798d86001c324468d497f"},
	{1,           "a6cd5e9392000f6ac44bdff4074eecdb"},
	{3,           "c925ae1797c3998f6811538b444fc6dc"},
	{16,          "248181305d3c1039adebb1d9d080b69c"},
	{17,          "825a0db7d0afe2c0cfea252f6b7ed7e9"},
	{128,         "08df79f520370b525cfea347ea4bb687"},
	{129,         "fc1d02037be48a62821740ece8839b64"},
	{240,         "8406fbd017acdf4e687f00a7f64e46db"},
	{241,         "d894c74b1b3ea28f44dbd3180a664e27"},
	{1000,        "b624a44d126e367dadb7a780788dc8ef"},
	{4109,        "88095552c2c0ec7912d9384be76bc010"},
	{1048576 + 7, "2dbbfed51a9b8d61cb500b584b4b7dea"},
};
// clang-format on

static void test_xxh3_vectors(void **state)
{
	uint8_t *buf = malloc(1048576 + 7);
	char hex[XLC_KEY_HEX + 1];
	struct xlc_key key;

	assert_non_null(buf);
	for (size_t i = 0; i < sizeof(xxh_vectors) / sizeof(xxh_vectors[0]); i++) {
		vector_input(buf, xxh_vectors[i].len);
		xlc_key_from_bytes(buf, xxh_vectors[i].len, &key);
		xlc_key_hex(&key, hex);
		assert_string_equal(hex, xxh_vectors[i].key);
	}
	xlc_key_from_bytes("abc", 3, &key);
	xlc_key_hex(&key, hex);
	assert_string_equal(hex, "06b05ab6733a618578af5f94892f3950");
	free(buf);
}

/* The fd path streams in chunks; it must agree with the one-shot hash. */
static void test_key_from_fd(void **state)
{
	char *dir = tc_tempdir(), path[4096];
	uint8_t *buf = malloc(1048576 + 7);
	struct xlc_key a, b;
	int fd;

	snprintf(path, sizeof(path), "%s/f", dir);
	for (size_t i = 0; i < sizeof(xxh_vectors) / sizeof(xxh_vectors[0]); i++) {
		char hex[XLC_KEY_HEX + 1];

		vector_input(buf, xxh_vectors[i].len);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, buf, xxh_vectors[i].len), (ssize_t)xxh_vectors[i].len);
		/* The file offset (here at EOF) must not matter. */
		assert_int_equal(xlc_key_from_fd(fd, &a), 0);
		xlc_key_from_bytes(buf, xxh_vectors[i].len, &b);
		assert_true(xlc_key_equal(&a, &b));
		xlc_key_hex(&a, hex);
		assert_string_equal(hex, xxh_vectors[i].key);
		close(fd);
	}
	assert_int_equal(xlc_key_from_fd(-1, &a), -EBADF);
	free(buf);
	tc_rmtree(dir);
	free(dir);
}

static void test_key_hex(void **state)
{
	struct xlc_key k = tc_key(7), back;
	char hex[XLC_KEY_HEX + 1];

	xlc_key_hex(&k, hex);
	assert_int_equal(strlen(hex), XLC_KEY_HEX);
	assert_int_equal(xlc_key_parse(hex, &back), 0);
	assert_memory_equal(k.b, back.b, XLC_KEY_BYTES);

	assert_int_equal(xlc_key_parse("06b05ab6733a618578af5f94892f3950", &back), 0);
	assert_int_equal(back.b[0], 0x06);
	assert_int_equal(back.b[15], 0x50);
	/* Canonical form only: uppercase, short, long, non-hex are refused. */
	assert_int_equal(xlc_key_parse("06B05AB6733A618578AF5F94892F3950", &back), -EINVAL);
	assert_int_equal(xlc_key_parse("06b05ab6733a618578af5f94892f395", &back), -EINVAL);
	assert_int_equal(xlc_key_parse("06b05ab6733a618578af5f94892f39500", &back), -EINVAL);
	assert_int_equal(xlc_key_parse("06b05ab6733a618578af5f94892f395g", &back), -EINVAL);
	assert_int_equal(xlc_key_parse("", &back), -EINVAL);
}

static void sha_hex(const uint8_t d[XLC_SHA256_BYTES], char out[65])
{
	for (int i = 0; i < XLC_SHA256_BYTES; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_sha256(void **state)
{
	// clang-format off
	static const struct { const char *msg; const char *sha; } fips[] = {
		{"",    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
			"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	};
	/* sha256sum of the vector inputs around the padding boundaries. */
	static const struct { size_t len; const char *sha; } lens[] = {
		{55,   "5d05a4435b96f43e53e5a582bbb0b8d840a71c023e7468d6604d1c9ae6511c4c"},
		{56,   "0851bc0b733318bd14db8098dec9a591c02ee1e72295d3ba54560e56342430fb"},
		{63,   "3d825c09f5fe7358fe955248d4bfc207298e5e74c426ccba7c93ac3992d70143"},
		{64,   "949f78c7321c5fa8a90f3d236c471950df72d869abc1d36e985cfce9a3ac98b9"},
		{65,   "7978b7d18ecfdd9652aba9457bdd4f51dca470d6edfdd08055e2c244b5ae00cf"},
		{1000, "3093b8b62c8cd9eafb52ce102deee2618896721fb05de94182ef5c29ec2d3208"},
	};
	// clang-format on
	uint8_t d[XLC_SHA256_BYTES], buf[1000];
	struct xlc_sha256 ctx;
	char hex[65];

	for (size_t i = 0; i < sizeof(fips) / sizeof(fips[0]); i++) {
		xlc_sha256(fips[i].msg, strlen(fips[i].msg), d);
		sha_hex(d, hex);
		assert_string_equal(hex, fips[i].sha);
	}
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		vector_input(buf, lens[i].len);
		xlc_sha256(buf, lens[i].len, d);
		sha_hex(d, hex);
		assert_string_equal(hex, lens[i].sha);
		/* Fed in uneven pieces, the result is the same. */
		xlc_sha256_init(&ctx);
		for (size_t off = 0, step = 1; off < lens[i].len; off += step, step = step * 2 + 1)
			xlc_sha256_update(&ctx, buf + off,
					  step < lens[i].len - off ? step : lens[i].len - off);
		xlc_sha256_final(&ctx, d);
		sha_hex(d, hex);
		assert_string_equal(hex, lens[i].sha);
	}
	/* A million 'a's, fed 1000 at a time (FIPS 180-2 appendix B.3). */
	memset(buf, 'a', sizeof(buf));
	xlc_sha256_init(&ctx);
	for (int i = 0; i < 1000; i++)
		xlc_sha256_update(&ctx, buf, sizeof(buf));
	xlc_sha256_final(&ctx, d);
	sha_hex(d, hex);
	assert_string_equal(hex,
			    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_target_names(void **state)
{
	// clang-format off
	static const char *good[] = {
		"aarch64-v1", "x86_64-v1", "a", "0", "a.b_c-d", "abcdefghijklmnopqrstuvwxyz01234",
	};
	static const char *bad[] = {
		"", "..", ".", "../x", "a/b", "A", "Aarch64-v1", ".x", "-x", "_x", "a..b", "a b",
		"a\\b", "\xc3\xa9", "x\n", "abcdefghijklmnopqrstuvwxyz012345",
	};
	// clang-format on

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(xlc_target_kind(good[i]), XLC_KIND_IMAGE);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(xlc_target_kind(bad[i]), -EINVAL);
	assert_int_equal(xlc_target_kind(NULL), -EINVAL);
	assert_int_equal(xlc_target_kind(XLC_SOURCES), XLC_KIND_SOURCE);
}

static void test_header_codec(void **state)
{
	struct xlc_hdr h = {.kind = XLC_KIND_IMAGE,
			    .key = tc_key(1),
			    .target = "aarch64-v1",
			    .payload_off = XLC_IMAGE_ALIGN,
			    .payload_size = 12345,
			    .payload_hash = tc_key(2)};
	uint8_t raw[XLC_HDR_SIZE], bad[XLC_HDR_SIZE];
	struct xlc_hdr back;

	xlc_hdr_encode(&h, raw);
	assert_int_equal(xlc_hdr_decode(raw, &back), 0);
	assert_memory_equal(&h, &back, sizeof(h));
	/* Every single flipped bit anywhere in the header is caught. */
	for (int i = 0; i < XLC_HDR_SIZE * 8; i++) {
		memcpy(bad, raw, sizeof(raw));
		bad[i / 8] ^= (uint8_t)(1u << (i % 8));
		assert_int_equal(xlc_hdr_decode(bad, &back), -EBADMSG);
	}
	/* A kind that does not match the target is refused even with a good checksum. */
	h.kind = XLC_KIND_SOURCE;
	xlc_hdr_encode(&h, raw);
	assert_int_equal(xlc_hdr_decode(raw, &back), -EBADMSG);
	strcpy(h.target, "../etc");
	h.kind = XLC_KIND_IMAGE;
	xlc_hdr_encode(&h, raw);
	assert_int_equal(xlc_hdr_decode(raw, &back), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xxh3_vectors), cmocka_unit_test(test_key_from_fd),
		cmocka_unit_test(test_key_hex),	     cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_target_names), cmocka_unit_test(test_header_codec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
