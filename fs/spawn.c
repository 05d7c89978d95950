/* SPDX-License-Identifier: MIT */
/*
 * Running a compiler: its own process group (so a timeout kills everything
 * it started), an address-space limit, no core dumps, a private working
 * directory, output captured. The daemon waits on a pidfd, a deadline and
 * its stop eventfd at once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fs/internal.h"

/* In the child, between fork and exec: async-signal-safe calls only. */
static void child(const struct xfs_spawn *sp, int devnull, pid_t daemon)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	struct rlimit none = {0, 0};
	sigset_t all;

	setpgid(0, 0);
	/*
	 * A killed daemon takes its compilers with it: nobody would collect
	 * their output, and the job is journaled (pending.c) to run again.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != daemon)
		_exit(126);
	/* The daemon ignores SIGPIPE and blocks SIGUSR1; a compiler starts clean. */
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	setrlimit(RLIMIT_CORE, &none);
	if (sp->mem) {
		struct rlimit as = {sp->mem, sp->mem};

		if (setrlimit(RLIMIT_AS, &as) < 0)
			_exit(126);
	}
	if (fchdir(sp->dirfd) < 0 || dup2(devnull, 0) < 0 || dup2(sp->logfd, 1) < 0 ||
	    dup2(sp->logfd, 2) < 0)
		_exit(126);
	close_range(3, ~0u, 0);
	execv(sp->argv[0], (char *const *)sp->argv);
	_exit(127);
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms;
}

int xfs_spawn_wait(const struct xfs_spawn *sp, enum xfs_spawn_end *end, int *status)
{
	struct timespec deadline;
	int devnull, pidfd, ws, r;
	pid_t pid, self = getpid();

	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(devnull);
		return r;
	}
	if (pid == 0)
		child(sp, devnull, self);
	close(devnull);
	/* Both sides set the group, so a kill right after fork finds it. */
	setpgid(pid, pid);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		r = -errno;
		kill(-pid, SIGKILL);
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
		return r;
	}

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)sp->timeout;
	deadline.tv_nsec += (long)((sp->timeout - (double)(time_t)sp->timeout) * 1e9);
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	*end = XFS_SPAWN_EXITED;
	for (;;) {
		struct pollfd pf[2] = {{.fd = pidfd, .events = POLLIN}, {.fd = sp->stopfd, .events = POLLIN}};
		long ms = ms_left(&deadline);
		int n;

		n = poll(pf, 2, ms > 1000000 ? 1000000 : (int)ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*end = XFS_SPAWN_STOPPED;
			break;
		}
		if (pf[0].revents)
			break;
		if (pf[1].revents) {
			*end = XFS_SPAWN_STOPPED;
			break;
		}
		if (!ms_left(&deadline)) {
			*end = XFS_SPAWN_TIMEOUT;
			break;
		}
	}
	/*
	 * The leader is a zombie or still running, so its pid still names the
	 * group: anything the compiler left behind dies with it.
	 */
	kill(-pid, SIGKILL);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	close(pidfd);
	if (*end == XFS_SPAWN_EXITED && WIFSIGNALED(ws)) {
		*end = XFS_SPAWN_SIGNALED;
		*status = WTERMSIG(ws);
	} else {
		*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	}
	return 0;
}
