/* SPDX-License-Identifier: MIT */
/* The stats file: the daemon's counters and the store's, as JSON. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/internal.h"

// clang-format off
static const struct {
	const char *group; /* NULL: top level */
	const char *name;
	enum xfs_counter c;
} fields[] = {
	{NULL,		"hits",		XFS_C_HITS},
	{NULL,		"misses",	XFS_C_MISSES},
	{"uploads",	"accepted",	XFS_C_UP_ACCEPTED},
	{"uploads",	"duplicate",	XFS_C_UP_DUPLICATE},
	{"uploads",	"rejected_hash", XFS_C_UP_HASH},
	{"uploads",	"rejected_elf",	XFS_C_UP_ELF},
	{"uploads",	"rejected_size", XFS_C_UP_SIZE},
	{"uploads",	"rejected_quota", XFS_C_UP_QUOTA},
	{"uploads",	"rejected_rate", XFS_C_UP_RATE},
	{"uploads",	"rejected_conflict", XFS_C_UP_CONFLICT},
	{"uploads",	"rejected_store", XFS_C_UP_STORE},
	{"maps",	"accepted",	XFS_C_MAP_ACCEPTED},
	{"maps",	"records",	XFS_C_MAP_RECORDS},
	{"maps",	"rejected_format", XFS_C_MAP_FORMAT},
	{"maps",	"rejected_size", XFS_C_MAP_SIZE},
	{"maps",	"rejected_quota", XFS_C_MAP_QUOTA},
	{"maps",	"rejected_rate", XFS_C_MAP_RATE},
	{NULL,		"queued",	XFS_C_QUEUED},
	{NULL,		"translating",	XFS_C_TRANSLATING},
	{NULL,		"compiled",	XFS_C_COMPILED},
	{NULL,		"failed",	XFS_C_FAILED},
	{"jobs",	"retries",	XFS_C_RETRIES},
	{"jobs",	"exit",		XFS_C_JOB_EXIT},
	{"jobs",	"crash",	XFS_C_JOB_CRASH},
	{"jobs",	"timeout",	XFS_C_JOB_TIMEOUT},
	{"jobs",	"bad_output",	XFS_C_JOB_BAD_OUTPUT},
	{"jobs",	"store_error",	XFS_C_JOB_STORE},
	{"cleaner",	"runs",		XFS_C_CLEANER_RUNS},
	{"cleaner",	"evicted",	XFS_C_CLEANER_EVICTED},
	{"cleaner",	"invalidated",	XFS_C_INVALIDATED},
	{NULL,		"export_lookups", XFS_C_EXPORT_LOOKUPS},
	{NULL,		"translator_opens", XFS_C_TRANSLATOR_OPENS},
	{NULL,		"errors",	XFS_C_ERRORS},
};
// clang-format on

char *xfs_stats_json(const struct xfs_stats *s, struct xlc_store *st, const char *target,
		     size_t *len)
{
	struct xlc_stats ss = {0};
	const char *group = NULL;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	if (st)
		xlc_stats(st, &ss);
	/* target names are [a-z0-9_.-]: nothing to escape */
	fprintf(f, "{\n  \"version\": \"%s\",\n  \"target\": \"%s\"", PACKAGE_VERSION, target);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		uint64_t v = __atomic_load_n(&s->c[fields[i].c], __ATOMIC_RELAXED);
		int same = group && fields[i].group && strcmp(group, fields[i].group) == 0;

		if (!same && group)
			fputs("\n  }", f);
		fputc(',', f);
		if (!same && fields[i].group)
			fprintf(f, "\n  \"%s\": {", fields[i].group);
		fprintf(f, "\n%s\"%s\": %llu", fields[i].group ? "    " : "  ", fields[i].name,
			(unsigned long long)v);
		group = fields[i].group;
	}
	if (group)
		fprintf(f, "\n  }");
	fprintf(f,
		",\n  \"bytes\": %llu,\n  \"evictions\": %llu,\n  \"store\": {\n    \"hits\": %llu,"
		"\n    \"misses\": %llu,\n    \"publishes\": %llu,\n    \"evictions\": %llu,"
		"\n    \"corrupt\": %llu,\n    \"temps_removed\": %llu,\n    \"bytes\": %llu\n  "
		"}\n}\n",
		(unsigned long long)ss.bytes, (unsigned long long)ss.evictions,
		(unsigned long long)ss.hits, (unsigned long long)ss.misses,
		(unsigned long long)ss.publishes, (unsigned long long)ss.evictions,
		(unsigned long long)ss.corrupt, (unsigned long long)ss.temps_removed,
		(unsigned long long)ss.bytes);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*len = size;
	return buf;
}
