/* SPDX-License-Identifier: MIT */
/* Bringing the daemon's state up and down: store, directories, translator, tables. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/internal.h"

/* mkdir -p for a private directory, then open it. */
static int open_dir(const char *path, int *out)
{
	char *p = strdup(path);
	int fd;

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			int r = -errno;

			free(p);
			return r;
		}
		*s = '/';
	}
	free(p);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*out = fd;
	return 0;
}

/* Paths stay valid after fuse_daemonize() changes to "/". */
static int make_absolute(char **path)
{
	char *abs;

	if ((*path)[0] == '/')
		return 0;
	abs = realpath(*path, NULL);
	if (!abs)
		return -errno;
	free(*path);
	*path = abs;
	return 0;
}

/* One kernel-known image holds one fd: allow as many as we may. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* A compiler given by name is looked up in PATH once, as a shell would. */
static void find_in_path(char **cmd)
{
	const char *path = getenv("PATH");
	char *dirs, *save = NULL, *full;

	if (strchr(*cmd, '/') || !path || !(dirs = strdup(path)))
		return;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		if (asprintf(&full, "%s/%s", d, *cmd) < 0)
			break;
		if (full[0] == '/' && access(full, X_OK) == 0) {
			free(*cmd);
			*cmd = full;
			break;
		}
		free(full);
	}
	free(dirs);
}

static int open_translator(struct xfs *fs)
{
	fs->translator_fd = open(fs->cfg.translator, O_RDONLY | O_CLOEXEC);
	if (fs->translator_fd < 0)
		return -errno;
	if (fstat(fs->translator_fd, &fs->translator_st) < 0)
		return -errno;
	return S_ISREG(fs->translator_st.st_mode) ? 0 : -EINVAL;
}

int xfs_setup(struct xfs *fs)
{
	struct xfs_config *c = &fs->cfg;
	int r, n;

	fs->translator_fd = fs->state_fd = fs->spool_fd = fs->pending_fd = fs->stop_fd = -1;
	clock_gettime(CLOCK_REALTIME, &fs->start);
	fs->generation = (uint64_t)fs->start.tv_sec;
	fs->uid = geteuid();
	fs->gid = getegid();
	fs->machine = xfs_target_machine(c->target);
	raise_fd_limit();

	/* the store first: state and spool default to directories inside it */
	r = xlc_open(c->store, 0, &fs->store);
	if (r < 0) {
		xfs_err("store %s: %s", c->store, strerror(-r));
		return r;
	}
	if ((r = make_absolute(&c->store)) || (r = make_absolute(&c->translator))) {
		xfs_err("resolving paths: %s", strerror(-r));
		return r;
	}
	if ((r = open_dir(c->state, &fs->state_fd)) || (r = make_absolute(&c->state)) ||
	    (r = open_dir(c->spool, &fs->spool_fd)) || (r = make_absolute(&c->spool))) {
		xfs_err("state %s, spool %s: %s", c->state, c->spool, strerror(-r));
		return r;
	}
	if ((r = xfs_pending_open(fs))) {
		xfs_err("state %s: %s", c->state, strerror(-r));
		return r;
	}
	xfs_spool_sweep(fs);
	find_in_path(&c->compiler);
	if (access(c->compiler, X_OK) < 0)
		xfs_warn("compiler %s: %s; uploads will be kept but not compiled", c->compiler,
			 strerror(errno));
	r = open_translator(fs);
	if (r < 0) {
		xfs_err("translator %s: %s", c->translator, strerror(-r));
		return r;
	}
	n = xfs_binfmt_line(c->share_path, c->binfmt_flags, fs->binfmt, sizeof(fs->binfmt));
	if (n < 0) {
		xfs_err("binfmt line for %s: %s", c->share_path, strerror(-n));
		return n;
	}
	fs->binfmt_len = (size_t)n;
	fs->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (fs->stop_fd < 0)
		return -errno;
	if ((r = xfs_nodes_init(fs)) || (r = xfs_intake_init(fs))) {
		xfs_err("setup: %s", strerror(-r));
		return r;
	}
	return 0;
}

void xfs_teardown(struct xfs *fs)
{
	if (fs->nodes.v)
		xfs_nodes_destroy(fs);
	xfs_intake_destroy(fs);
	if (fs->store)
		xlc_close(fs->store);
	if (fs->translator_fd >= 0)
		close(fs->translator_fd);
	if (fs->state_fd >= 0)
		close(fs->state_fd);
	if (fs->spool_fd >= 0)
		close(fs->spool_fd);
	if (fs->pending_fd >= 0)
		close(fs->pending_fd);
	if (fs->stop_fd >= 0)
		close(fs->stop_fd);
}
