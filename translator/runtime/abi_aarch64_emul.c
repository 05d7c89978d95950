/* abi_aarch64_emul.c — calls aarch64 lacks, built from the forms it has
 * (pipe2, dup3, ppoll, pselect6, epoll_create1, ...), with the old calls'
 * own argument checks and results. */
#if defined(__aarch64__)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <time.h>
#include <asm/unistd.h>

#include "translator/runtime/abi_aarch64.h"

long a64_pipe(const uint64_t a[6])
{
	return abi_host_call6(__NR_pipe2, a[0], 0, 0, 0, 0, 0);
}

/* dup3 refuses oldfd == newfd; dup2 returns the descriptor if it is open. */
long a64_dup2(const uint64_t a[6])
{
	if ((unsigned)a[0] == (unsigned)a[1]) {
		long r = abi_host_call6(__NR_fcntl, a[0], F_GETFD, 0, 0, 0, 0);
		return r < 0 ? r : (long)(unsigned)a[0];
	}
	return abi_host_call6(__NR_dup3, a[0], a[1], 0, 0, 0, 0);
}

long a64_poll(const uint64_t a[6])
{
	int ms = (int)a[2];
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	return abi_host_call6(__NR_ppoll, a[0], a[1], ms < 0 ? 0 : (uint64_t)&ts, 0, 0, 0);
}

/* select takes a timeval and, like Linux, writes the time left back to it
 * unless the timeout was zero or the personality has STICKY_TIMEOUTS.
 * pselect6 does the same with our timespec, which we copy back. */
long a64_select(const uint64_t a[6])
{
	struct timespec ts, *tsp = NULL;
	struct timeval tv;
	if (a[4]) {
		if (abi_read(&tv, a[4], sizeof(tv)))
			return -EFAULT;
		ts.tv_sec = tv.tv_sec + tv.tv_usec / 1000000;
		ts.tv_nsec = (tv.tv_usec % 1000000) * 1000;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0)
			return -EINVAL;
		tsp = &ts;
	}
	bool zero = tsp && !ts.tv_sec && !ts.tv_nsec;
	long r = abi_host_call6(__NR_pselect6, a[0], a[1], a[2], a[3], (uint64_t)tsp, 0);
	if (!tsp || zero)
		return r;
	if (abi_host_call6(__NR_personality, 0xffffffff, 0, 0, 0, 0, 0) & STICKY_TIMEOUTS)
		return r;
	tv.tv_sec = ts.tv_sec;
	tv.tv_usec = ts.tv_nsec / 1000;
	abi_write(a[4], &tv, sizeof(tv)); /* Linux ignores a failure here too */
	return r;
}

long a64_epoll_create(const uint64_t a[6])
{
	if ((int)a[0] <= 0)
		return -EINVAL;
	return abi_host_call6(__NR_epoll_create1, 0, 0, 0, 0, 0, 0);
}

long a64_inotify_init(const uint64_t a[6])
{
	return abi_host_call6(__NR_inotify_init1, 0, 0, 0, 0, 0, 0);
}

long a64_eventfd(const uint64_t a[6])
{
	return abi_host_call6(__NR_eventfd2, a[0], 0, 0, 0, 0, 0);
}

long a64_signalfd(const uint64_t a[6])
{
	return abi_host_call6(__NR_signalfd4, a[0], a[1], a[2], 0, 0, 0);
}

/* Linux's time() is the seconds of the last timer tick (the coarse clock),
 * which can trail CLOCK_REALTIME's seconds across a second boundary. */
long a64_time(const uint64_t a[6])
{
	struct timespec ts;
	long r = abi_host_call6(__NR_clock_gettime, CLOCK_REALTIME_COARSE, (uint64_t)&ts, 0, 0, 0,
				0);
	if (r < 0)
		return r;
	int64_t t = ts.tv_sec;
	if (a[0] && abi_write(a[0], &t, sizeof(t)))
		return -EFAULT;
	return ts.tv_sec;
}

/* alarm is setitimer(ITIMER_REAL) in whole seconds; the time left on a
 * previous alarm is rounded to the nearest second, but never down to 0. */
long a64_alarm(const uint64_t a[6])
{
	struct itimerval nv = {.it_value = {.tv_sec = (unsigned)a[0]}}, ov;
	long r = abi_host_call6(__NR_setitimer, ITIMER_REAL, (uint64_t)&nv, (uint64_t)&ov, 0, 0, 0);
	if (r < 0)
		return r;
	long left = ov.it_value.tv_sec;
	if ((!left && ov.it_value.tv_usec) || ov.it_value.tv_usec >= 500000)
		left++;
	return left;
}

/* Sleeps until a signal is handled: ppoll on nothing, forever. */
long a64_pause(const uint64_t a[6])
{
	return abi_host_call6(__NR_ppoll, 0, 0, 0, 0, 0, 0);
}

long a64_getpgrp(const uint64_t a[6])
{
	return abi_host_call6(__NR_getpgid, 0, 0, 0, 0, 0, 0);
}

/* A guest seccomp filter would judge the translator's aarch64 calls by
 * x86-64 numbers; answer as a kernel without seccomp filters does. */
long a64_prctl(const uint64_t a[6])
{
	if ((int)a[0] == PR_SET_SECCOMP)
		return -EINVAL;
	return abi_host_call(__NR_prctl, a);
}
#endif
