/* SPDX-License-Identifier: MIT */
/* The binfmt_misc registration line a share serves (DESIGN.md, "Names in the share"). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fs/internal.h"

/* binfmt_misc flags we allow: each at most once. */
static int flags_ok(const char *flags)
{
	static const char allowed[] = "POCF";

	for (const char *f = flags; *f; f++)
		if (!strchr(allowed, *f) || strchr(f + 1, *f))
			return 0;
	return 1;
}

/* The kernel reads the interpreter up to the next ':'; keep the line one line. */
static int path_ok(const char *path)
{
	if (path[0] != '/')
		return 0;
	for (const char *p = path; *p; p++)
		if (*p == ':' || (unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

int xfs_binfmt_line(const char *path, const char *flags, char *out, size_t outlen)
{
	size_t pl = strlen(path);
	int n;

	if (!flags_ok(flags) || !path_ok(path))
		return -EINVAL;
	/* "/media/rosetta/" + "rosetta", not "/media/rosetta//rosetta" */
	while (pl > 1 && path[pl - 1] == '/')
		pl--;
	n = snprintf(out, outlen, ":%s:M::%s:%s:%.*s%s%s:%s\n", XLATEFS_BINFMT_NAME,
		     XLATEFS_BINFMT_MAGIC, XLATEFS_BINFMT_MASK, (int)pl, path, pl > 1 ? "/" : "",
		     XLATEFS_ROSETTA, flags);
	if (n < 0 || (size_t)n >= outlen)
		return -ENAMETOOLONG;
	return n;
}
