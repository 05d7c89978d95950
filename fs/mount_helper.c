/* SPDX-License-Identifier: MIT */
/*
 * mount.fuse.xlatefs: what mount(8) runs for `mount -t fuse.xlatefs SOURCE
 * DIR`, an fstab line of type fuse.xlatefs and a systemd .mount unit:
 *
 *   mount.fuse.xlatefs SOURCE DIR [-sfnv] [-N NS] [-o OPTIONS] [-t TYPE]
 *
 * It starts the installed daemon as `xlatefs SOURCE DIR -o OPTIONS`, by its
 * absolute path so that mounting does not depend on the caller's PATH (or on
 * mount.fuse3), and returns once the share is mounted (the daemon detaches
 * only after its mount succeeded). The daemon itself consumes the xlatefs
 * and fstab-only options.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef XLATEFS_DAEMON
#error "XLATEFS_DAEMON: the path of the xlatefs daemon"
#endif

/* mount(8)'s helper exit codes */
enum { EX_USAGE_ = 1, EX_FAIL = 32 };

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s SOURCE MOUNTPOINT [-sfnv] [-o OPTIONS] [-t TYPE]\n", prog);
	return EX_USAGE_;
}

int main(int argc, char **argv)
{
	const char *prog = argc ? argv[0] : "mount.fuse.xlatefs";
	const char *opts = NULL;
	int fake = 0, c, status;
	pid_t pid;

	/* SOURCE and DIR come first; options follow them (mount(8)'s order) */
	if (argc < 3 || argv[1][0] == '-' || argv[2][0] == '-')
		return usage(prog);
	optind = 3;
	while ((c = getopt(argc, argv, "sfnvN:o:t:")) != -1) {
		switch (c) {
		case 'f': /* mount(8) -f: pretend */
			fake = 1;
			break;
		case 'o':
			opts = optarg;
			break;
		case 'N':
			fprintf(stderr, "%s: -N (mount in another namespace) is not supported\n",
				prog);
			return EX_USAGE_;
		case 's': /* sloppy, no mtab, verbose: nothing to do for a FUSE mount */
		case 'n':
		case 'v':
		case 't': /* the type is ours */
			break;
		default:
			return usage(prog);
		}
	}
	if (optind != argc)
		return usage(prog);
	if (fake)
		return 0;

	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
		return EX_FAIL;
	}
	if (pid == 0) {
		char *const args[] = {(char *)XLATEFS_DAEMON, argv[1], argv[2],
				      opts ? (char *)"-o" : NULL, (char *)opts, NULL};

		execv(XLATEFS_DAEMON, args);
		fprintf(stderr, "%s: %s: %s\n", prog, XLATEFS_DAEMON, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "%s: waitpid: %s\n", prog, strerror(errno));
			return EX_FAIL;
		}
	/* the daemon said why it failed */
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : EX_FAIL;
}
