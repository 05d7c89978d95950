/* SPDX-License-Identifier: MIT */
/*
 * The entry file: a fixed little-endian header, then the payload.
 *
 *   0   8  magic "XLCENTRY"       96  32  SHA-256 of a source's payload
 *   8   4  format version        128 120  reserved, zero
 *  12   4  kind                  248   8  XXH3-64 of bytes 0..247
 *  16  16  key
 *  32  32  target, NUL-padded
 *  64   8  payload offset
 *  72   8  payload size
 *  80  16  XXH3-128 of the payload (canonical)
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cache/hash.h"
#include "cache/internal.h"

static const char magic[8] = "XLCENTRY";

enum {
	OFF_VERSION = 8,
	OFF_KIND = 12,
	OFF_KEY = 16,
	OFF_TARGET = 32,
	OFF_POFF = 64,
	OFF_PSIZE = 72,
	OFF_PHASH = 80,
	OFF_SHA = 96,
	OFF_RESERVED = 128,
	OFF_CHECK = 248
};

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void xlc_hdr_encode(const struct xlc_hdr *h, uint8_t out[XLC_HDR_SIZE])
{
	memset(out, 0, XLC_HDR_SIZE);
	memcpy(out, magic, sizeof(magic));
	put_le(out + OFF_VERSION, XLC_FORMAT, 4);
	put_le(out + OFF_KIND, (uint64_t)h->kind, 4);
	memcpy(out + OFF_KEY, h->key.b, XLC_KEY_BYTES);
	memcpy(out + OFF_TARGET, h->target, strnlen(h->target, XLC_TARGET_MAX));
	put_le(out + OFF_POFF, h->payload_off, 8);
	put_le(out + OFF_PSIZE, h->payload_size, 8);
	memcpy(out + OFF_PHASH, h->payload_hash.b, XLC_KEY_BYTES);
	memcpy(out + OFF_SHA, h->sha256, XLC_SHA256_BYTES);
	put_le(out + OFF_CHECK, XXH3_64bits(out, OFF_CHECK), 8);
}

int xlc_hdr_decode(const uint8_t in[XLC_HDR_SIZE], struct xlc_hdr *h)
{
	if (memcmp(in, magic, sizeof(magic)) != 0 || get_le(in + OFF_VERSION, 4) != XLC_FORMAT ||
	    get_le(in + OFF_CHECK, 8) != XXH3_64bits(in, OFF_CHECK))
		return -EBADMSG;
	for (int i = OFF_RESERVED; i < OFF_CHECK; i++)
		if (in[i])
			return -EBADMSG;
	memset(h, 0, sizeof(*h));
	memcpy(h->target, in + OFF_TARGET, XLC_TARGET_MAX + 1);
	if (h->target[XLC_TARGET_MAX] != '\0')
		return -EBADMSG;
	h->kind = (enum xlc_kind)get_le(in + OFF_KIND, 4);
	if (xlc_target_kind(h->target) != (int)h->kind)
		return -EBADMSG;
	memcpy(h->key.b, in + OFF_KEY, XLC_KEY_BYTES);
	h->payload_off = get_le(in + OFF_POFF, 8);
	h->payload_size = get_le(in + OFF_PSIZE, 8);
	memcpy(h->payload_hash.b, in + OFF_PHASH, XLC_KEY_BYTES);
	memcpy(h->sha256, in + OFF_SHA, XLC_SHA256_BYTES);
	return 0;
}

static int read_full(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EBADMSG; /* the file is shorter than its header says */
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int payload_hash(int fd, const struct xlc_hdr *h, struct xlc_key *out)
{
	XXH3_state_t state;
	uint8_t buf[XLC_IO_CHUNK];
	uint64_t off = h->payload_off, left = h->payload_size;

	XXH3_128bits_reset(&state);
	while (left) {
		size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);
		int r = read_full(fd, buf, n, off);

		if (r)
			return r;
		XXH3_128bits_update(&state, buf, n);
		off += n;
		left -= n;
	}
	xlc_key_from_hash(XXH3_128bits_digest(&state), out);
	return 0;
}

int xlc_entry_check(int fd, const char *target, const struct xlc_key *key, int full,
		    struct xlc_hdr *h, struct stat *sb)
{
	uint8_t raw[XLC_HDR_SIZE];
	struct xlc_key sum;
	int r;

	if (fstat(fd, sb) < 0)
		return -errno;
	if (!S_ISREG(sb->st_mode) || sb->st_size < XLC_HDR_SIZE)
		return -EBADMSG;
	r = read_full(fd, raw, sizeof(raw), 0);
	if (r)
		return r;
	r = xlc_hdr_decode(raw, h);
	if (r)
		return r;
	if (strcmp(h->target, target) != 0 || (key && !xlc_key_equal(&h->key, key)))
		return -EBADMSG;
	if (h->payload_off < XLC_HDR_SIZE || h->payload_off > (uint64_t)sb->st_size ||
	    (uint64_t)sb->st_size - h->payload_off != h->payload_size)
		return -EBADMSG;
	if (!full)
		return 0;
	r = payload_hash(fd, h, &sum);
	if (r)
		return r;
	if (!xlc_key_equal(&sum, &h->payload_hash))
		return -EBADMSG;
	/* A source is its own key: a mismatch is a wrong or forged entry. */
	if (h->kind == XLC_KIND_SOURCE && !xlc_key_equal(&sum, &h->key))
		return -EBADMSG;
	return 0;
}
