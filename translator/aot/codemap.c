/* codemap.c — reads a code map (fs/xlatefs.h format): the byte ranges of
 * the module that ran in the interpreter. The daemon hands xlatec the
 * merged map; a hand-made one is accepted in any order, with overlaps,
 * and so are submissions one after the other. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/xlatefs.h"
#include "translator/aot/aot.h"

/* Far more than a merged map may hold (XLATEFS_DEFAULT_MAP_RECORDS). */
#define MAP_RECORDS_MAX (1u << 24)

int codemap_read(const char *path, struct code_range **out, size_t *n)
{
	uint8_t hdr[XLATEFS_MAP_HEADER_SIZE], rec[XLATEFS_MAP_RECORD_SIZE];
	struct code_range *v = NULL;
	size_t cnt = 0, cap = 0;
	FILE *f = fopen(path, "rb");
	int err = 0;

	if (!f) {
		err = -errno;
		aot_err("%s: %s", path, strerror(errno));
		return err;
	}
	if (fread(hdr, 1, sizeof hdr, f) != sizeof hdr ||
	    xlatefs_get_le32(hdr) != XLATEFS_MAP_MAGIC ||
	    (hdr[4] | hdr[5] << 8) != XLATEFS_MAP_VERSION ||
	    (hdr[6] | hdr[7] << 8) != XLATEFS_MAP_RECORD_SIZE) {
		aot_err("%s: not a version %d code map", path, XLATEFS_MAP_VERSION);
		err = -EINVAL;
		goto out;
	}
	for (;;) {
		size_t got = fread(rec, 1, sizeof rec, f);
		uint32_t off, len;
		if (got == 0)
			break;
		/* A share that is a plain directory (tests, a local drop box)
		 * appends submissions as they come: each has its header. */
		if (got == sizeof rec && !memcmp(rec, hdr, sizeof hdr))
			continue;
		off = xlatefs_get_le32(rec);
		len = xlatefs_get_le32(rec + 4);
		if (got != sizeof rec || len == 0 || (uint64_t)off + len > (1ull << 32) ||
		    cnt == MAP_RECORDS_MAX) {
			aot_err("%s: bad record %zu", path, cnt);
			err = -EINVAL;
			goto out;
		}
		if (cnt == cap) {
			cap = cap ? 2 * cap : 256;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[cnt].off = off;
		v[cnt].len = len;
		cnt++;
	}
	if (ferror(f)) {
		err = -EIO;
		aot_err("%s: read error", path);
	}
out:
	fclose(f);
	if (err) {
		free(v);
		return err;
	}
	*out = v;
	*n = cnt;
	return 0;
}
