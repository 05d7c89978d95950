/* SPDX-License-Identifier: MIT */
/*
 * The journal of compile jobs the daemon owes: one empty file per key in
 * <state>/pending, made when a job is first asked for and removed when it
 * ends for good (an image published, the source gone, or given up after its
 * retries). A daemon that is killed, or unmounted with jobs queued or
 * running, finds them here when it starts again. Without it an accepted
 * upload could end in nothing: the source is stored, so every later upload
 * of the module gets EEXIST, and nobody would compile it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fs/internal.h"

#define PENDING_DIR "pending"

int xfs_pending_open(struct xfs *fs)
{
	if (mkdirat(fs->state_fd, PENDING_DIR, 0700) < 0 && errno != EEXIST)
		return -errno;
	fs->pending_fd = openat(fs->state_fd, PENDING_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fs->pending_fd < 0 ? -errno : 0;
}

void xfs_pending_add(struct xfs *fs, const struct xlc_key *key)
{
	char hex[XLC_KEY_HEX + 1];
	int fd;

	xlc_key_hex(key, hex);
	fd = openat(fs->pending_fd, hex, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	/* the name is the record: make it survive a crash of the machine too */
	if (fd < 0 || close(fd) < 0 || fsync(fs->pending_fd) < 0) {
		xfs_err("job %s: cannot record it in %s/" PENDING_DIR ": %s", hex, fs->cfg.state,
			strerror(errno));
		xfs_count(&fs->stats, XFS_C_ERRORS, 1);
	}
}

void xfs_pending_done(struct xfs *fs, const struct xlc_key *key)
{
	char hex[XLC_KEY_HEX + 1];

	xlc_key_hex(key, hex);
	if (unlinkat(fs->pending_fd, hex, 0) < 0 && errno != ENOENT) {
		xfs_err("job %s: cannot clear its record: %s", hex, strerror(errno));
		xfs_count(&fs->stats, XFS_C_ERRORS, 1);
	}
}

unsigned xfs_pending_resume(struct xfs *fs)
{
	int fd = openat(fs->pending_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;
	unsigned n = 0;

	if (!d) {
		xfs_err("%s/" PENDING_DIR ": %s", fs->cfg.state, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(d))) {
		struct xlc_key key;
		struct xfs_map m = {0};
		uint64_t covered = 0;

		if (de->d_name[0] == '.')
			continue;
		if (xlc_key_parse(de->d_name, &key) < 0) {
			unlinkat(fs->pending_fd, de->d_name, 0);
			continue;
		}
		/* the coverage only matters to a later failure record */
		if (xfs_maps_load(fs, &key, &m) == 0)
			covered = xfs_map_covered(&m);
		xfs_map_free(&m);
		xfs_sched_submit(fs, &key, covered);
		n++;
	}
	closedir(d);
	return n;
}
