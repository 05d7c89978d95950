/* SPDX-License-Identifier: MIT */
/*
 * One compile: the verified source and the merged code map go into a private
 * job directory, the compiler runs there under limits (spawn.c), and its
 * output is checked before the store publishes it atomically.
 */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/internal.h"

#define RM_DEPTH_MAX 16

/* Removes everything under dirfd (a compiler may leave files behind). */
static void rm_contents(int dirfd, int depth)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dirfd, de->d_name, 0) == 0 || errno != EISDIR)
			continue;
		if (depth < RM_DEPTH_MAX) {
			int sub = openat(dirfd, de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0) {
				rm_contents(sub, depth + 1);
				close(sub);
			}
		}
		unlinkat(dirfd, de->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/*
 * What a killed daemon left in the spool: job directories (its compilers died
 * with it) and uploads spooled where O_TMPFILE is missing. Another daemon
 * may share the spool (one store, two mounts): each holds a shared lock on
 * it for its lifetime, and only one that finds no other sweeps.
 */
void xfs_spool_sweep(struct xfs *fs)
{
	int fd, swept = 0;
	DIR *d;
	struct dirent *de;

	if (flock(fs->spool_fd, LOCK_EX | LOCK_NB) < 0)
		goto shared;
	fd = openat(fs->spool_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		goto shared;
	}
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, ".upload-", 8)) {
			swept += unlinkat(fs->spool_fd, de->d_name, 0) == 0;
		} else if (!strncmp(de->d_name, "job-", 4)) {
			int sub = openat(fs->spool_fd, de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub < 0)
				continue;
			rm_contents(sub, 0);
			close(sub);
			swept += unlinkat(fs->spool_fd, de->d_name, AT_REMOVEDIR) == 0;
		}
	}
	closedir(d);
	if (swept)
		xfs_info("spool %s: removed %d leftovers of an earlier run", fs->cfg.spool, swept);
shared:
	flock(fs->spool_fd, LOCK_SH);
}

static int copy_range(int in, uint64_t off, uint64_t len, int out)
{
	loff_t pos = (loff_t)off;
	char buf[16384];

	while (len) {
		ssize_t n = copy_file_range(in, &pos, out, NULL, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
			      errno == EOPNOTSUPP)) {
			n = pread(in, buf, len < sizeof(buf) ? len : sizeof(buf), pos);
			if (n > 0 && write(out, buf, (size_t)n) != n)
				return -EIO;
			if (n > 0)
				pos += n;
		}
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* the entry is shorter than its header says */
		len -= (uint64_t)n;
	}
	return 0;
}

/* The verified source as "module" in the job directory: 0, -ENOENT, -errno. */
static int stage_module(struct xfs *fs, const struct xlc_key *key, int dirfd)
{
	struct xlc_entry e;
	int out, r = xlc_lookup(fs->store, XLC_SOURCES, key, &e);

	if (r < 0)
		return r;
	out = openat(dirfd, "module", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		r = -errno;
	} else {
		r = copy_range(e.fd, e.offset, e.size, out);
		if (close(out) < 0 && !r)
			r = -errno;
	}
	xlc_entry_close(&e);
	return r;
}

/* The merged map as "map": 1 if there is one, 0 if none, -errno. */
static int stage_map(struct xfs *fs, const struct xlc_key *key, int dirfd, uint64_t *covered)
{
	struct xfs_map m;
	uint8_t *buf;
	size_t size;
	int fd, r = xfs_maps_load(fs, key, &m);

	*covered = 0;
	if (r == -ENOENT || r == -EBADMSG)
		return 0;
	if (r < 0)
		return r;
	*covered = xfs_map_covered(&m);
	size = xfs_map_size(&m);
	buf = malloc(size);
	if (!buf) {
		xfs_map_free(&m);
		return -ENOMEM;
	}
	xfs_map_encode(&m, buf);
	xfs_map_free(&m);
	fd = openat(dirfd, "map", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	r = fd < 0 ? -errno : write(fd, buf, size) == (ssize_t)size ? 1 : -EIO;
	if (fd >= 0 && close(fd) < 0 && r > 0)
		r = -errno;
	free(buf);
	return r;
}

/* The end of the compiler's output, printable, for the log. */
static void log_tail(int logfd, char *out, size_t outlen)
{
	struct stat sb;
	off_t from;
	ssize_t n;

	out[0] = 0;
	if (fstat(logfd, &sb) < 0)
		return;
	from = sb.st_size > (off_t)outlen - 1 ? sb.st_size - (off_t)outlen + 1 : 0;
	n = pread(logfd, out, outlen - 1, from);
	if (n <= 0)
		return;
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
		n--;
	out[n] = 0;
	for (ssize_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
			out[i] = out[i] == '\n' ? '|' : '.';
}

/* Checks "image" and publishes it. */
static enum xfs_job_outcome publish_output(struct xfs *fs, const struct xlc_key *key, int dirfd,
					   const char *hex)
{
	const char *why = "not a regular file";
	enum xfs_job_outcome o = XFS_JOB_BAD_OUTPUT;
	struct stat sb;
	void *map;
	int r, fd = openat(dirfd, "image", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		xfs_warn("job %s: the compiler succeeded but wrote no image", hex);
		return XFS_JOB_BAD_OUTPUT;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    (uint64_t)sb.st_size > fs->cfg.max_image) {
		if (S_ISREG(sb.st_mode))
			why = "empty or too large";
		goto bad;
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		why = "cannot map it";
		goto bad;
	}
	r = xfs_elf_check_image(map, (size_t)sb.st_size, fs->machine, &why);
	munmap(map, (size_t)sb.st_size);
	if (r < 0)
		goto bad;
	r = xlc_publish_fd(fs->store, fs->cfg.target, key, fd);
	close(fd);
	if (r < 0) {
		xfs_warn("job %s: publishing the image failed: %s", hex, strerror(-r));
		if (r == -ENOSPC || r == -EDQUOT)
			xfs_housekeep_kick(fs);
		return XFS_JOB_STORE;
	}
	xfs_info("job %s: published %s/%s, %lld bytes", hex, fs->cfg.target, hex,
		 (long long)sb.st_size);
	xfs_invalidate_image(fs, 0, key);
	xfs_housekeep_kick(fs);
	return XFS_JOB_OK;
bad:
	close(fd);
	xfs_warn("job %s: bad compiler output: %s", hex, why);
	return o;
}

static enum xfs_job_outcome run_compiler(struct xfs *fs, const struct xlc_key *key, int dirfd,
					 int has_map, const char *hex)
{
	const char *argv[] = {fs->cfg.compiler, "--target", fs->cfg.target, "-o", "image",
			      "module", NULL, NULL, NULL};
	struct xfs_spawn sp = {
		.argv = argv,
		.dirfd = dirfd,
		.mem = fs->cfg.job_mem,
		.timeout = fs->cfg.job_timeout,
		.stopfd = fs->stop_fd,
	};
	enum xfs_spawn_end end;
	char tail[256];
	int status, r;

	if (has_map) {
		/* --target T --map map -o image module */
		argv[3] = "--map";
		argv[4] = "map";
		argv[5] = "-o";
		argv[6] = "image";
		argv[7] = "module";
	}
	sp.logfd = openat(dirfd, "log", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (sp.logfd < 0)
		return XFS_JOB_ERROR;
	r = xfs_spawn_wait(&sp, &end, &status);
	log_tail(sp.logfd, tail, sizeof(tail));
	close(sp.logfd);
	if (r < 0) {
		xfs_err("job %s: cannot run %s: %s", hex, fs->cfg.compiler, strerror(-r));
		return XFS_JOB_ERROR;
	}
	switch (end) {
	case XFS_SPAWN_EXITED:
		if (status == 0)
			return publish_output(fs, key, dirfd, hex);
		xfs_warn("job %s: %s exited with %d%s%s", hex, fs->cfg.compiler, status,
			 tail[0] ? ": " : "", tail);
		return XFS_JOB_EXIT;
	case XFS_SPAWN_SIGNALED:
		xfs_warn("job %s: %s killed by signal %d%s%s", hex, fs->cfg.compiler, status,
			 tail[0] ? ": " : "", tail);
		return XFS_JOB_CRASH;
	case XFS_SPAWN_TIMEOUT:
		xfs_warn("job %s: %s ran over %.1f s, killed", hex, fs->cfg.compiler,
			 fs->cfg.job_timeout);
		return XFS_JOB_TIMEOUT;
	case XFS_SPAWN_STOPPED:
		break;
	}
	return XFS_JOB_STOPPED;
}

enum xfs_job_outcome xfs_job_run(struct xfs *fs, const struct xlc_key *key, uint64_t *covered)
{
	char hex[XLC_KEY_HEX + 1], dir[PATH_MAX];
	enum xfs_job_outcome o;
	int dirfd, r, has_map;

	xlc_key_hex(key, hex);
	*covered = 0;
	if (snprintf(dir, sizeof(dir), "%s/job-%.8s-XXXXXX", fs->cfg.spool, hex) >=
		    (int)sizeof(dir) ||
	    !mkdtemp(dir)) {
		xfs_err("job %s: cannot make a job directory in %s: %s", hex, fs->cfg.spool,
			strerror(errno));
		return XFS_JOB_ERROR;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		rmdir(dir);
		return XFS_JOB_ERROR;
	}
	r = stage_module(fs, key, dirfd);
	has_map = r < 0 ? 0 : stage_map(fs, key, dirfd, covered);
	if (r == -ENOENT) {
		xfs_info("job %s: the source is no longer stored", hex);
		o = XFS_JOB_NOSOURCE;
	} else if (r < 0 || has_map < 0) {
		xfs_err("job %s: staging: %s", hex, strerror(r < 0 ? -r : -has_map));
		o = XFS_JOB_ERROR;
	} else {
		xfs_info("job %s: compiling for %s, map covers %llu bytes", hex, fs->cfg.target,
			 (unsigned long long)*covered);
		o = run_compiler(fs, key, dirfd, has_map, hex);
	}
	rm_contents(dirfd, 0);
	close(dirfd);
	rmdir(dir);
	return o;
}
