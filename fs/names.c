/* SPDX-License-Identifier: MIT */
/* The names a guest may create in requests/ (xlatefs.h): "<key>" and "<key>.map". */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "fs/internal.h"

int xfs_request_name(const char *name, struct xlc_key *key)
{
	size_t len = strlen(name), sl = strlen(XLATEFS_MAP_SUFFIX);
	char hex[XLC_KEY_HEX + 1];

	if (len != XLC_KEY_HEX && (len != XLC_KEY_HEX + sl || strcmp(name + XLC_KEY_HEX, XLATEFS_MAP_SUFFIX)))
		return -EINVAL;
	memcpy(hex, name, XLC_KEY_HEX);
	hex[XLC_KEY_HEX] = 0;
	if (xlc_key_parse(hex, key) < 0)
		return -EINVAL;
	return len != XLC_KEY_HEX;
}
