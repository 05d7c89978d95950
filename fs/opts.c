/* SPDX-License-Identifier: MIT */
/*
 * Command line: xlatefs's own -o options (one table drives parsing and
 * --help), the options only fstab and mount(8) care about, and
 * SOURCE/MOUNTPOINT. Whatever is left goes to libfuse.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/internal.h"

enum opt_type { T_STR, T_SIZE, T_UINT, T_TIME, T_FD };

struct opt_desc {
	const char *tmpl; /* "name=" as fuse_opt matches it */
	enum opt_type type;
	size_t off;
	const char *arg;
	const char *help;
};

#define OPT(name, type, field, arg, help)                                                          \
	{                                                                                          \
		name "=", type, offsetof(struct xfs_config, field), arg, help                      \
	}

// clang-format off
static const struct opt_desc opt_table[] = {
	OPT("store",		T_STR,	store,		"DIR",	"the image store (or give it as SOURCE)"),
	OPT("state",		T_STR,	state,		"DIR",	"merged code maps [STORE/xlatefs]"),
	OPT("spool",		T_STR,	spool,		"DIR",	"uploads in flight, compiler jobs [STATE/spool]"),
	OPT("target",		T_STR,	target,		"T",	"target of rosetta and of compiled images [" XLATEFS_HOST_TARGET "]"),
	OPT("targets",		T_STR,	targets,	"T:T",	"more targets served under cache/"),
	OPT("translator",	T_STR,	translator,	"PATH",	"file served as rosetta [the installed xlate]"),
	OPT("compiler",		T_STR,	compiler,	"PATH",	"AOT compiler [" XLATEFS_XLATEC "]"),
	OPT("share_path",	T_STR,	share_path,	"DIR",	"where clients see the share, for binfmt [MOUNTPOINT]"),
	OPT("binfmt_flags",	T_STR,	binfmt_flags,	"FLAGS", "binfmt_misc flags [" XLATEFS_BINFMT_FLAGS "]"),
	OPT("max_size",		T_SIZE,	max_size,	"SIZE",	"store budget kept by the cleaner, 0: none [10G]"),
	OPT("max_upload",	T_SIZE,	max_upload,	"SIZE",	"largest module upload [256M]"),
	OPT("max_spool",	T_SIZE,	max_spool,	"SIZE",	"bytes of all uploads in flight [1G]"),
	OPT("max_map",		T_SIZE,	max_map,	"SIZE",	"largest code-map submission [1M]"),
	OPT("max_image",	T_SIZE,	max_image,	"SIZE",	"largest compiler output [1G]"),
	OPT("job_mem",		T_SIZE,	job_mem,	"SIZE",	"address-space limit of a compiler, 0: none [4G]"),
	OPT("max_pending",	T_UINT,	max_pending,	"N",	"uploads and map submissions in flight [64]"),
	OPT("map_records",	T_UINT,	map_records,	"N",	"merged code-map ranges per key [262144]"),
	OPT("max_rate",		T_UINT,	max_rate,	"N",	"request creates per second, 0: no limit [200]"),
	OPT("jobs",		T_UINT,	jobs,		"N",	"compilers at once [2]"),
	OPT("retries",		T_UINT,	retries,	"N",	"retries of a failed job [3]"),
	OPT("job_timeout",	T_TIME,	job_timeout,	"TIME",	"time limit of a compiler [10m]"),
	OPT("retry_delay",	T_TIME,	retry_delay,	"TIME",	"first retry delay, doubled each time [5s]"),
	OPT("cache_timeout",	T_TIME,	cache_timeout,	"TIME",	"kernel cache time of images and fixed files [1h]"),
	OPT("negative_timeout",	T_TIME,	negative_timeout, "TIME", "kernel cache time of image misses [1s]"),
	OPT("clean_interval",	T_TIME,	clean_interval,	"TIME",	"cleaner period [1m]"),
	OPT("notify_fd",	T_FD,	notify_fd,	"FD",	"write \"ready\" to FD once mounted, then close it"),
};
// clang-format on

#define NOPTS (sizeof(opt_table) / sizeof(opt_table[0]))

/* Options of mount(8), fstab and systemd that mean nothing to a FUSE daemon. */
static const char *const fstab_only[] = {
	"defaults", "auto",   "noauto", "nofail", "_netdev", "user",
	"users",    "nouser", "owner",	"group",  "rw",
};
static const char *const fstab_prefixes[] = {"x-", "comment="};

int xfs_parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "kmgt";
	char *end;
	double v;
	int shift = 0;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return -EINVAL;
	if (*end) {
		const char *u = strchr(units, *end | 0x20);

		if (!u || !(*end >= 'A' && *end <= 'z'))
			return -EINVAL;
		shift = 10 * (int)(u - units + 1);
		end++;
		if (*end == 'i' && end[1] == 'B')
			end += 2;
		else if (*end == 'B')
			end++;
		if (*end)
			return -EINVAL;
	}
	v = ldexp(v, shift);
	if (v >= 18446744073709551616.0)
		return -EINVAL;
	*out = (uint64_t)v;
	return 0;
}

int xfs_parse_duration(const char *s, double *out)
{
	static const struct {
		const char *suffix;
		double scale;
	} units[] = {{"", 1}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
	char *end;
	double v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].suffix) == 0) {
			v *= units[i].scale;
			if (v > 1e9)
				return -EINVAL;
			*out = v;
			return 0;
		}
	return -EINVAL;
}

static int parse_uint(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT_MAX)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

struct parse_ctx {
	struct xfs_config *cfg;
	char *nonopt[2];
	int nnonopt;
	char *err;
	size_t errlen;
};

static int set_option(struct parse_ctx *c, const struct opt_desc *d, const char *arg)
{
	void *field = (char *)c->cfg + d->off;
	const char *val = arg + strlen(d->tmpl);
	int r = 0;

	switch (d->type) {
	case T_STR: {
		char *dup = strdup(val);

		if (!dup)
			return -ENOMEM;
		free(*(char **)field);
		*(char **)field = dup;
		return 0;
	}
	case T_SIZE: r = xfs_parse_size(val, field); break;
	case T_UINT: r = parse_uint(val, field); break;
	case T_TIME: r = xfs_parse_duration(val, field); break;
	case T_FD: {
		unsigned fd;

		r = parse_uint(val, &fd);
		if (!r && fd > INT_MAX)
			r = -EINVAL;
		if (!r)
			*(int *)field = (int)fd;
		break;
	}
	}
	if (r)
		snprintf(c->err, c->errlen, "bad value in -o %.*s%s (expected %s)",
			 (int)strlen(d->tmpl), d->tmpl, val, d->arg);
	return r;
}

static int is_fstab_only(const char *arg)
{
	for (size_t i = 0; i < sizeof(fstab_only) / sizeof(fstab_only[0]); i++)
		if (strcmp(arg, fstab_only[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(fstab_prefixes) / sizeof(fstab_prefixes[0]); i++)
		if (strncmp(arg, fstab_prefixes[i], strlen(fstab_prefixes[i])) == 0)
			return 1;
	return 0;
}

/* fuse_opt callback: -1 fails the parse, 0 consumes the argument, 1 keeps it. */
static int opt_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	struct parse_ctx *c = data;

	if (key >= 0 && (size_t)key < NOPTS)
		return set_option(c, &opt_table[key], arg) ? -1 : 0;
	if (key == FUSE_OPT_KEY_NONOPT) {
		if (c->nnonopt == 2) {
			snprintf(c->err, c->errlen,
				 "unexpected argument %s (SOURCE MOUNTPOINT at most)", arg);
			return -1;
		}
		c->nonopt[c->nnonopt] = strdup(arg);
		if (!c->nonopt[c->nnonopt])
			return -1;
		c->nnonopt++;
		return 0;
	}
	return is_fstab_only(arg) ? 0 : 1;
}

static void set_defaults(struct xfs_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_size = 10ull << 30;
	cfg->max_upload = XLATEFS_DEFAULT_MAX_UPLOAD;
	cfg->max_spool = XLATEFS_DEFAULT_MAX_SPOOL;
	cfg->max_map = XLATEFS_DEFAULT_MAX_MAP;
	cfg->max_image = 1ull << 30;
	cfg->job_mem = 4ull << 30;
	cfg->max_pending = XLATEFS_DEFAULT_MAX_PENDING;
	cfg->map_records = XLATEFS_DEFAULT_MAP_RECORDS;
	cfg->max_rate = XLATEFS_DEFAULT_MAX_RATE;
	cfg->jobs = 2;
	cfg->retries = 3;
	cfg->job_timeout = 600;
	cfg->retry_delay = 5;
	cfg->cache_timeout = 3600;
	cfg->negative_timeout = 1;
	cfg->clean_interval = 60;
	cfg->notify_fd = -1;
}

int xfs_opts_parse(struct fuse_args *args, struct xfs_config *cfg, char *err, size_t errlen)
{
	struct fuse_opt fo[NOPTS + 1];
	struct parse_ctx c = {.cfg = cfg, .err = err, .errlen = errlen};
	int r = 0;

	set_defaults(cfg);
	err[0] = 0;
	for (size_t i = 0; i < NOPTS; i++)
		fo[i] = (struct fuse_opt)FUSE_OPT_KEY(opt_table[i].tmpl, (int)i);
	fo[NOPTS] = (struct fuse_opt)FUSE_OPT_END;

	if (fuse_opt_parse(args, &c, fo, opt_proc) < 0) {
		if (!err[0])
			snprintf(err, errlen, "bad arguments");
		r = -EINVAL;
	} else if (c.nnonopt == 2) {
		/* SOURCE MOUNTPOINT, as mount.fuse3 passes them */
		if (!cfg->store) {
			cfg->store = c.nonopt[0];
			c.nonopt[0] = NULL;
		} else if (strcmp(cfg->store, c.nonopt[0]) != 0) {
			snprintf(err, errlen, "two stores: SOURCE %s and -o store=%s", c.nonopt[0],
				 cfg->store);
			r = -EINVAL;
		}
		if (!r && fuse_opt_add_arg(args, c.nonopt[1]) < 0)
			r = -ENOMEM;
	} else if (c.nnonopt == 1 && fuse_opt_add_arg(args, c.nonopt[0]) < 0) {
		r = -ENOMEM;
	}
	free(c.nonopt[0]);
	free(c.nonopt[1]);
	return r;
}

/* Splits cfg->target and cfg->targets into target_list, default first, no duplicates. */
static int split_targets(struct xfs_config *cfg, char *err, size_t errlen)
{
	size_t tl = strlen(cfg->target), xl = cfg->targets ? strlen(cfg->targets) : 0;
	char *all = malloc(tl + xl + 2), *save = NULL;

	if (!all)
		return -ENOMEM;
	memcpy(all, cfg->target, tl);
	all[tl] = ':';
	memcpy(all + tl + 1, cfg->targets ? cfg->targets : "", xl + 1);
	for (char *t = strtok_r(all, ":", &save); t; t = strtok_r(NULL, ":", &save)) {
		int dup = 0;

		if (xlc_target_kind(t) != XLC_KIND_IMAGE || xfs_target_machine(t) < 0) {
			snprintf(err, errlen, "bad target %s (expected <arch>-v<N>, arch %s or %s)",
				 t, XLATEFS_ARCH_AARCH64, XLATEFS_ARCH_X86_64);
			free(all);
			return -EINVAL;
		}
		for (unsigned i = 0; i < cfg->ntargets; i++)
			dup |= strcmp(cfg->target_list[i], t) == 0;
		if (dup)
			continue;
		if (cfg->ntargets == XFS_MAX_TARGETS) {
			snprintf(err, errlen, "more than %d targets", XFS_MAX_TARGETS);
			free(all);
			return -EINVAL;
		}
		cfg->target_list[cfg->ntargets] = strdup(t);
		if (!cfg->target_list[cfg->ntargets]) {
			free(all);
			return -ENOMEM;
		}
		cfg->ntargets++;
	}
	free(all);
	return 0;
}

static int default_str(char **field, const char *a, const char *b)
{
	if (*field)
		return 0;
	if (asprintf(field, "%s%s", a, b ? b : "") < 0) {
		*field = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The installed translator that runs images of target, or NULL. */
static const char *default_translator(const char *target)
{
	size_t hl = strlen(XLATEFS_HOST_ARCH);

	if (strncmp(target, XLATEFS_HOST_ARCH "-", hl + 1) == 0)
		return XLATEFS_XLATE;
	if (strncmp(target, XLATEFS_ARCH_AARCH64 "-", strlen(XLATEFS_ARCH_AARCH64) + 1) == 0)
		return XLATEFS_XLATE_AARCH64;
	return NULL;
}

int xfs_opts_finish(struct xfs_config *cfg, char *err, size_t errlen)
{
	char line[512];
	int r;

	if (!cfg->mountpoint) {
		snprintf(err, errlen, "no mount point");
		return -EINVAL;
	}
	if ((r = default_str(&cfg->store, XLATEFS_DEFAULT_STORE, NULL)) ||
	    (r = default_str(&cfg->state, cfg->store, "/xlatefs")) ||
	    (r = default_str(&cfg->spool, cfg->state, "/spool")) ||
	    (r = default_str(&cfg->target, XLATEFS_HOST_TARGET, NULL)) ||
	    (r = default_str(&cfg->compiler, XLATEFS_XLATEC, NULL)) ||
	    (r = default_str(&cfg->share_path, cfg->mountpoint, NULL)) ||
	    (r = default_str(&cfg->binfmt_flags, XLATEFS_BINFMT_FLAGS, NULL)))
		return r;
	if ((r = split_targets(cfg, err, errlen)))
		return r;
	if (!cfg->translator) {
		const char *t = default_translator(cfg->target);

		if (!t) {
			snprintf(err, errlen,
				 "no installed translator for target %s: give -o translator=PATH",
				 cfg->target);
			return -EINVAL;
		}
		if ((r = default_str(&cfg->translator, t, NULL)))
			return r;
	}
	if (xfs_binfmt_line(cfg->share_path, cfg->binfmt_flags, line, sizeof(line)) < 0) {
		snprintf(err, errlen, "bad binfmt_flags=%s or share_path=%s (flags: P, O, C, F)",
			 cfg->binfmt_flags, cfg->share_path);
		return -EINVAL;
	}
	if (!cfg->jobs || cfg->jobs > 256 || !cfg->max_pending || !cfg->map_records ||
	    !cfg->max_upload || !cfg->max_map || !cfg->max_image) {
		snprintf(err, errlen,
			 "jobs (1..256), max_pending, map_records, max_upload, max_map and "
			 "max_image must not be 0");
		return -EINVAL;
	}
	return 0;
}

void xfs_opts_free(struct xfs_config *cfg)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opt_table[i].type == T_STR)
			free(*(char **)((char *)cfg + opt_table[i].off));
	for (unsigned i = 0; i < cfg->ntargets; i++)
		free(cfg->target_list[i]);
	free(cfg->mountpoint);
	memset(cfg, 0, sizeof(*cfg));
}

void xfs_opts_help(void)
{
	printf("xlatefs options:\n");
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_desc *d = &opt_table[i];
		char name[48];

		snprintf(name, sizeof(name), "%s%s", d->tmpl, d->arg);
		printf("    -o %-26s %s\n", name, d->help);
	}
	printf("    SIZE: bytes, or with k, M, G, T; TIME: seconds, or with ms, s, m, h, d\n"
	       "    fstab and systemd options (defaults, nofail, noauto, _netdev, user, x-*, ...)\n"
	       "    are accepted and ignored.\n\n");
}
