/* SPDX-License-Identifier: MIT */
/* Keys: XXH3-128 of a module's bytes and their hex form. */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "cache/hash.h"
#include "cache/internal.h"

void xlc_key_from_bytes(const void *data, size_t len, struct xlc_key *key)
{
	xlc_key_from_hash(XXH3_128bits(data, len), key);
}

int xlc_key_from_fd(int fd, struct xlc_key *key)
{
	XXH3_state_t state;
	uint8_t buf[XLC_IO_CHUNK];
	off_t off = 0;

	XXH3_128bits_reset(&state);
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		XXH3_128bits_update(&state, buf, (size_t)n);
		off += n;
	}
	xlc_key_from_hash(XXH3_128bits_digest(&state), key);
	return 0;
}

void xlc_key_hex(const struct xlc_key *key, char out[XLC_KEY_HEX + 1])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < XLC_KEY_BYTES; i++) {
		out[2 * i] = digits[key->b[i] >> 4];
		out[2 * i + 1] = digits[key->b[i] & 15];
	}
	out[XLC_KEY_HEX] = '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int xlc_key_parse(const char *hex, struct xlc_key *key)
{
	struct xlc_key k;

	for (int i = 0; i < XLC_KEY_BYTES; i++) {
		int hi = hex_digit(hex[2 * i]);
		int lo = hi < 0 ? -1 : hex_digit(hex[2 * i + 1]);

		if (lo < 0)
			return -EINVAL;
		k.b[i] = (uint8_t)(hi << 4 | lo);
	}
	if (hex[XLC_KEY_HEX] != '\0')
		return -EINVAL;
	*key = k;
	return 0;
}
