/* image.c — the runtime's image options, startup and exit (image.h lists
 * the XLATE_* variables). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "translator/runtime/image.h"
#include "translator/runtime/runtime.h"

struct image_opts image_opts = {.enabled = true, .submit = true};
static char *summary_to; /* "1": stderr; else a file appended to */

static const char *opt(bool secure, const char *name)
{
	const char *v = secure ? NULL : getenv(name);
	return v && *v ? v : NULL;
}

static bool flag(const char *v)
{
	return v && strcmp(v, "0") && strcmp(v, "no") && strcmp(v, "off");
}

void image_init(bool secure)
{
	const char *v;

	if ((v = opt(secure, "XLATE_IMAGES")))
		image_opts.enabled = flag(v);
	if ((v = opt(secure, "XLATE_SUBMIT")))
		image_opts.submit = flag(v);
	image_opts.require = flag(opt(secure, "XLATE_REQUIRE_IMAGES"));
	if ((v = opt(secure, "XLATE_WAIT")))
		image_opts.wait = (unsigned)strtoul(v, NULL, 10);
	if ((v = opt(secure, "XLATE_SUMMARY")))
		summary_to = strdup(v);
	image_opts.summary = summary_to != NULL;
	share_init(secure, opt(secure, "XLATE_STORE"));
	if (image_opts.enabled || image_opts.summary)
		x86_hooks.run_translated = image_run;
}

static void summary(void)
{
	struct image_stats s;
	struct image_totals t;
	uint64_t all;
	FILE *f;
	int fd = !strcmp(summary_to, "1")
			 ? fcntl(2, F_DUPFD_CLOEXEC, 0)
			 : open(summary_to, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0 || !(f = fdopen(fd, "a"))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	image_stats_sum(&s);
	image_modules_totals(&t);
	all = t.insns + s.interp_insns;
	fprintf(f,
		"xlate: summary: blocks %llu translated, %llu interpreted; instructions %llu "
		"translated, %llu interpreted (%.1f%% translated); images %llu hits, %llu misses; "
		"%llu fault replays\n",
		(unsigned long long)t.blocks, (unsigned long long)s.interp_blocks,
		(unsigned long long)t.insns, (unsigned long long)s.interp_insns,
		all ? 100.0 * (double)t.insns / (double)all : 0.0, (unsigned long long)t.hits,
		(unsigned long long)t.misses, (unsigned long long)s.replays);
	image_modules_summary(f);
	fclose(f);
}

void image_exit(void)
{
	image_modules_submit();
	if (summary_to)
		summary();
}
