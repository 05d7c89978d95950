/* image.c — the runtime's image options, startup and exit.
 *
 * The options, from the environment (all ignored, like every XLATE_*
 * variable, when AT_SECURE is set: a setuid program trusts none of them):
 *
 *   XLATE_IMAGES=0          interpreter only: no image is looked up or run
 *   XLATE_REQUIRE_IMAGES=1  every x86-64 module the program maps must have
 *                           an image; without one xlate says so and exits 127
 *   XLATE_WAIT=SECONDS      on a miss, submit the module at once and wait up
 *                           to SECONDS for the share to publish its image
 *   XLATE_SUMMARY=1|FILE    at exit (and before execve), one summary line
 *                           and one line per module on stderr (1: the
 *                           guest's fd 2 at exit, which coreutils close;
 *                           use FILE there) or appended to FILE:
 *     xlate: summary: blocks T translated, I interpreted; instructions T
 *     translated, I interpreted (P% translated); images H hits, M misses;
 *     R fault replays
 *                           (a process's own work: a fork child's counts
 *                           start from zero; translated code counts whole
 *                           basic blocks, through count sites the loader
 *                           patches only for a run with a summary; the
 *                           interpreter counts what it ran up to a taken
 *                           branch)
 *   XLATE_SHARE=DIR         the share (default: the directory xlate was
 *                           started from, when it holds cache/ and requests/)
 *   XLATE_STORE=DIR         a local image store (libxlcache, as xlatec
 *                           --store writes it), looked up after the share
 *   XLATE_SUBMIT=0          never submit modules or code maps to the share
 *   XLATE_DEBUG=1           (log.c) one line per module and image decision,
 *                           and the reason an image was refused
 *
 * Images are looked up by key (XXH3-128 of the module's bytes) as
 * <share>/cache/<target>/<key>, then in the store; code maps of what ran
 * in the interpreter go to <share>/requests/<key>.map at exit, before
 * execve and at most every few seconds in between, and the module's bytes
 * to <share>/requests/<key> at exit when it had no image. */
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
	struct image_totals t;
	uint64_t all, interp_blocks, interp_insns;
	FILE *f;
	int fd = !strcmp(summary_to, "1")
			 ? fcntl(2, F_DUPFD_CLOEXEC, 0)
			 : open(summary_to, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0 || !(f = fdopen(fd, "a"))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	image_modules_totals(&t);
	x86_interp_counts(&interp_blocks, &interp_insns);
	all = t.insns + interp_insns;
	fprintf(f,
		"xlate: summary: blocks %llu translated, %llu interpreted; instructions %llu "
		"translated, %llu interpreted (%.1f%% translated); images %llu hits, %llu misses; "
		"%llu fault replays\n",
		(unsigned long long)t.blocks, (unsigned long long)interp_blocks,
		(unsigned long long)t.insns, (unsigned long long)interp_insns,
		all ? 100.0 * (double)t.insns / (double)all : 0.0, (unsigned long long)t.hits,
		(unsigned long long)t.misses, (unsigned long long)image_replays());
	image_modules_summary(f);
	fclose(f);
}

void image_exit(void)
{
	image_modules_submit();
	if (summary_to)
		summary();
}
