/* wakeup.c — a signal that arrives while a thread is on its way into a
 * blocking read() must still end that read. A fast interval timer sends
 * SIGALRM (its period a multiple of what a signal costs here, so that
 * a slow translator is not flooded); each round the program spins
 * for a random part of the period,
 * then reads from an empty pipe; the handler writes the byte the read
 * waits for (once a round). So the signal lands at every point of the
 * way into the call, and a handler that does not run (the signal noted
 * but left pending while the call blocks) is a read that never returns.
 *
 * Without SA_RESTART a read ends with EINTR (the handler's byte is then
 * drained) or with the byte (the handler ran before the read began);
 * which one is timing, so stdout has only the totals and stderr the
 * split. With SA_RESTART no read may fail with EINTR. A watchdog thread
 * bounds the wait (a liveness check, not a timing one): a wakeup that
 * never comes is reported as "lost wakeup at round N". */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS	     1000
#define WAIT_SECONDS 5

static int fds[2];
static volatile sig_atomic_t armed;
static atomic_int round_no, written;

static void on_alarm(int sig)
{
	if (!armed)
		return;
	armed = 0;
	atomic_fetch_add(&written, 1);
	if (write(fds[1], "x", 1) != 1)
		_exit(3);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *watchdog(void *arg)
{
	for (;;) {
		int seen = atomic_load(&round_no);
		sleep(WAIT_SECONDS);
		if (atomic_load(&round_no) == seen) {
			printf("lost wakeup at round %d\n", seen);
			fflush(stdout);
			_exit(1);
		}
	}
}

/* A few signal deliveries' worth, in microseconds: faster, and a slow
 * translator would spend its time in the handler. */
static long period_us(void)
{
	double start = now();
	for (int i = 0; i < 50; i++)
		raise(SIGALRM);
	long us = (now() - start) * 1e6 / 50 * 8;
	return us < 20 ? 20 : us;
}

static void run(const char *name, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
	long period = period_us();
	atomic_store(&written, 0);
	struct itimerval it = {{0, period}, {0, period}};
	setitimer(ITIMER_REAL, &it, NULL);

	int eintr = 0, data = 0, errors = 0;
	unsigned seed = 1;
	char c;
	for (int i = 1; i <= ROUNDS; i++) {
		atomic_store(&round_no, i);
		seed = seed * 1103515245 + 12345;
		double until = now() + (seed >> 16) % period / 1e6;
		armed = 1;
		while (now() < until)
			;
		ssize_t r = read(fds[0], &c, 1);
		if (r < 0 && errno == EINTR) {
			eintr++;
			/* The handler's byte is there; but on an aarch64 host
			 * a signal that lands on the system call instruction
			 * itself is taken as the kernel's restart (no register
			 * tells the two apart), so this read may fail with
			 * EINTR too. */
			do
				r = read(fds[0], &c, 1);
			while (r < 0 && errno == EINTR);
			if (r != 1)
				errors++;
		} else if (r == 1) {
			data++;
		} else {
			errors++;
		}
	}
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &off, NULL);
	printf("%s: %d rounds, %d bytes from the handler, %d reads ended, %d errors\n", name,
	       ROUNDS, atomic_load(&written), eintr + data, errors);
	if (flags & SA_RESTART)
		printf("%s: %d reads failed with EINTR\n", name, eintr);
	fprintf(stderr, "%s: %d EINTR, %d data\n", name, eintr, data);
}

int main(void)
{
	sigset_t alrm;
	pthread_t t;
	if (pipe(fds))
		return 2;
	/* The watchdog never takes SIGALRM. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, NULL);
	if (pthread_create(&t, NULL, watchdog, NULL))
		return 2;
	pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);
	run("no SA_RESTART", 0);
	run("SA_RESTART", SA_RESTART);
	return 0;
}
