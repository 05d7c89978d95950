/* SPDX-License-Identifier: MIT */
/*
 * xlatefs: the FUSE share serving the translator, the image cache and the
 * request drop box (DESIGN.md). Low-level libfuse API, multithreaded.
 *
 *   xlatefs [SOURCE] MOUNTPOINT [-o store=DIR,target=T,...] [-f] [-d]
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/internal.h"

static void usage(const char *prog)
{
	printf("usage: %s [SOURCE] MOUNTPOINT [options]\n\n"
	       "Serves an x86-64 translator (rosetta), its binfmt_misc line (binfmt),\n"
	       "pretranslated images (cache/<target>/<key>), a drop box for modules and\n"
	       "code maps (requests/) and counters (stats). SOURCE is the image store.\n\n",
	       prog);
}

/* Mount options every xlatefs mount has. */
static int add_mount_options(struct fuse_args *args, const struct xfs_config *cfg)
{
	char *opts = NULL, *fsname = NULL;
	int r = -ENOMEM;

	if (asprintf(&fsname, "fsname=%s", cfg->store) < 0) {
		fsname = NULL;
		goto out;
	}
	/* the kernel checks modes; with allow_other that matters to everyone */
	if (fuse_opt_add_opt(&opts, "default_permissions") < 0 ||
	    fuse_opt_add_opt(&opts, "subtype=xlatefs") < 0 ||
	    fuse_opt_add_opt_escaped(&opts, fsname) < 0 ||
	    (geteuid() == 0 && fuse_opt_add_opt(&opts, "allow_other") < 0))
		goto out;
	if (fuse_opt_add_arg(args, "-o") < 0 || fuse_opt_add_arg(args, opts) < 0)
		goto out;
	r = 0;
out:
	free(opts);
	free(fsname);
	return r;
}

static void notify_ready(int fd)
{
	static const char msg[] = "ready\n";

	if (fd < 0)
		return;
	if (write(fd, msg, sizeof(msg) - 1) < 0)
		xfs_warn("notify_fd=%d: %s", fd, strerror(errno));
	close(fd);
}

static int run(struct xfs *fs, const struct fuse_cmdline_opts *copts)
{
	struct fuse_loop_config *lc;
	uint64_t one = 1;
	int r;

	unsigned resumed;

	r = xfs_sched_start(fs);
	if (!r)
		r = xfs_housekeep_start(fs);
	if (r) {
		xfs_err("starting threads: %s", strerror(-r));
	} else {
		resumed = xfs_pending_resume(fs);
		if (resumed)
			xfs_info("resuming %u compile jobs of an earlier run", resumed);
		notify_ready(fs->cfg.notify_fd);
		if (copts->singlethread) {
			r = fuse_session_loop(fs->se);
		} else {
			lc = fuse_loop_cfg_create();
			if (!lc) {
				r = -ENOMEM;
			} else {
				fuse_loop_cfg_set_clone_fd(lc, (unsigned)copts->clone_fd);
				fuse_loop_cfg_set_max_threads(lc, copts->max_threads);
				r = fuse_session_loop_mt(fs->se, lc);
				fuse_loop_cfg_destroy(lc);
			}
		}
	}
	/* compilers and the cleaner watch stop_fd */
	if (write(fs->stop_fd, &one, sizeof(one)) < 0)
		xfs_err("stopping: %s", strerror(errno));
	xfs_sched_stop(fs);
	xfs_housekeep_stop(fs);
	return r;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts copts = {0};
	static struct xfs fs;
	sigset_t usr1;
	char err[512];
	int ret = 1;

	fs.translator_fd = fs.state_fd = fs.spool_fd = fs.pending_fd = fs.stop_fd = -1;
	if (xfs_opts_parse(&args, &fs.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "xlatefs: %s (see --help)\n", err);
		goto out;
	}
	if (fuse_parse_cmdline(&args, &copts) != 0)
		goto out;
	if (copts.show_help) {
		usage(argv[0]);
		xfs_opts_help();
		fuse_cmdline_help();
		fuse_lowlevel_help();
		ret = 0;
		goto out;
	}
	if (copts.show_version) {
		printf("xlatefs %s (target %s)\n", PACKAGE_VERSION, XLATEFS_HOST_TARGET);
		fuse_lowlevel_version();
		ret = 0;
		goto out;
	}
	fs.cfg.mountpoint = copts.mountpoint;
	copts.mountpoint = NULL;
	if (xfs_opts_finish(&fs.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "xlatefs: %s (see --help)\n", err);
		goto out;
	}
	xfs_log_init(0, copts.debug);
	if (xfs_setup(&fs) < 0 || add_mount_options(&args, &fs.cfg) < 0)
		goto out;
	fs.se = fuse_session_new(&args, &xfs_ops, sizeof(xfs_ops), &fs);
	if (!fs.se)
		goto out;
	if (fuse_set_signal_handlers(fs.se) != 0)
		goto out;
	/* every thread started from here on leaves SIGUSR1 to the housekeeper */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	if (fuse_session_mount(fs.se, fs.cfg.mountpoint) != 0)
		goto out_signals;
	if (fuse_daemonize(copts.foreground) != 0)
		goto out_unmount;
	if (!copts.foreground)
		xfs_log_init(1, copts.debug);
	ret = run(&fs, &copts) ? 1 : 0;
out_unmount:
	fuse_session_unmount(fs.se);
out_signals:
	fuse_remove_signal_handlers(fs.se);
out:
	if (fs.se)
		fuse_session_destroy(fs.se);
	xfs_teardown(&fs);
	xfs_opts_free(&fs.cfg);
	free(copts.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}
