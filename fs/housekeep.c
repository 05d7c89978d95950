/* SPDX-License-Identifier: MIT */
/*
 * The housekeeping thread: runs the store's cleaner (eviction to the byte
 * budget, dead temp files) periodically and after publishes, tells the
 * kernel to forget images the store no longer holds, and logs the counters
 * on SIGUSR1. Never on a lookup path.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "fs/internal.h"

struct xfs_housekeep {
	pthread_t thread;
	int kickfd;
	int sigfd;
};

void xfs_invalidate_image(struct xfs *fs, unsigned target, const struct xlc_key *key)
{
	char hex[XLC_KEY_HEX + 1];

	if (!fs->se)
		return;
	xlc_key_hex(key, hex);
	/* -ENOENT: the kernel had no such name cached, which is as good */
	fuse_lowlevel_notify_inval_entry(fs->se, XFS_INO_TARGET0 + target, hex, XLC_KEY_HEX);
}

static void invalidate_stale(struct xfs *fs, struct xfs_node *n)
{
	xfs_count(&fs->stats, XFS_C_INVALIDATED, 1);
	xfs_invalidate_image(fs, n->target, &n->key);
}

static void clean(struct xfs *fs)
{
	struct xlc_evict_result res;
	int r = xlc_evict(fs->store, fs->cfg.max_size, XLC_EVICT_NOWAIT, &res);

	if (r == 0) {
		xfs_count(&fs->stats, XFS_C_CLEANER_RUNS, 1);
		xfs_count(&fs->stats, XFS_C_CLEANER_EVICTED, (int64_t)res.evicted);
		if (res.evicted || res.temps_removed)
			xfs_info("cleaner: evicted %llu entries, removed %llu temp files, %llu -> "
				 "%llu bytes",
				 (unsigned long long)res.evicted,
				 (unsigned long long)res.temps_removed,
				 (unsigned long long)res.bytes_before,
				 (unsigned long long)res.bytes_after);
	} else if (r != -EAGAIN) {
		xfs_err("cleaner: %s", strerror(-r));
		xfs_count(&fs->stats, XFS_C_ERRORS, 1);
	}
	xfs_nodes_stale_images(fs, invalidate_stale);
}

static void log_stats(struct xfs *fs)
{
	size_t len;
	char *json = xfs_stats_json(&fs->stats, fs->store, fs->cfg.target, &len);

	if (!json)
		return;
	/* one line: newlines and the indentation after them go */
	char *w = json;

	for (const char *p = json; *p; p++) {
		if (*p == '\n') {
			while (p[1] == ' ')
				p++;
			*w++ = ' ';
		} else {
			*w++ = *p;
		}
	}
	*w = 0;
	xfs_log(LOG_NOTICE, "stats: %s", json);
	free(json);
}

static void drain(int fd, size_t size)
{
	char buf[sizeof(struct signalfd_siginfo)];

	while (read(fd, buf, size) < 0 && errno == EINTR)
		;
}

static void *housekeeper(void *arg)
{
	struct xfs *fs = arg;
	struct xfs_housekeep *hk = fs->hk;
	double ms = fs->cfg.clean_interval * 1000;
	int timeout = ms > 3600000 ? 3600000 : ms < 1 ? 1 : (int)ms;

	for (;;) {
		struct pollfd pf[3] = {
			{.fd = fs->stop_fd, .events = POLLIN},
			{.fd = hk->kickfd, .events = POLLIN},
			{.fd = hk->sigfd, .events = POLLIN},
		};
		int n = poll(pf, 3, timeout);

		if (n < 0 && errno != EINTR)
			break;
		if (pf[0].revents)
			break;
		if (pf[2].revents) {
			drain(hk->sigfd, sizeof(struct signalfd_siginfo));
			log_stats(fs);
		}
		if (pf[1].revents)
			drain(hk->kickfd, sizeof(uint64_t));
		if (n == 0 || pf[1].revents)
			clean(fs);
	}
	return NULL;
}

int xfs_housekeep_start(struct xfs *fs)
{
	struct xfs_housekeep *hk = calloc(1, sizeof(*hk));
	sigset_t usr1;
	int r;

	if (!hk)
		return -ENOMEM;
	/* main blocked SIGUSR1 in every thread before starting any */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	hk->sigfd = signalfd(-1, &usr1, SFD_CLOEXEC | SFD_NONBLOCK);
	hk->kickfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (hk->sigfd < 0 || hk->kickfd < 0) {
		r = -errno;
		goto fail;
	}
	fs->hk = hk;
	r = -pthread_create(&hk->thread, NULL, housekeeper, fs);
	if (!r)
		return 0;
	fs->hk = NULL;
fail:
	if (hk->sigfd >= 0)
		close(hk->sigfd);
	if (hk->kickfd >= 0)
		close(hk->kickfd);
	free(hk);
	return r;
}

void xfs_housekeep_stop(struct xfs *fs)
{
	struct xfs_housekeep *hk = fs->hk;

	if (!hk)
		return;
	/* the thread leaves once fs->stop_fd is readable */
	pthread_join(hk->thread, NULL);
	close(hk->sigfd);
	close(hk->kickfd);
	free(hk);
	fs->hk = NULL;
}

void xfs_housekeep_kick(struct xfs *fs)
{
	uint64_t one = 1;

	if (fs->hk && write(fs->hk->kickfd, &one, sizeof(one)) < 0) {
		/* already kicked (counter full) or closing: either way a pass comes */
	}
}
