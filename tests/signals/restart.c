/* restart.c — a blocking read interrupted by a handled signal: EINTR
 * without SA_RESTART; with it, the read restarts after the handler ran
 * (the handler itself supplies the data, so the order is visible). Calls
 * the kernel never restarts (nanosleep, sigsuspend) fail with EINTR. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static volatile sig_atomic_t handled;

static void on_alarm(int sig)
{
	handled++;
	if (write(fds[1], "x", 1) != 1)
		_exit(3);
}

static void arm(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 0}, {0, 50000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
	char buf[8];
	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(fds))
		return 1;

	arm(0);
	ssize_t n = read(fds[0], buf, sizeof buf);
	printf("no SA_RESTART: read %zd errno %s, handled %d\n", n, n < 0 ? strerror(errno) : "-",
	       (int)handled);
	n = read(fds[0], buf, sizeof buf); /* the handler's byte */
	printf("then read %zd\n", n);

	handled = 0;
	arm(SA_RESTART);
	n = read(fds[0], buf, sizeof buf);
	printf("SA_RESTART: read %zd %s, handled %d\n", n, n < 0 ? strerror(errno) : "-",
	       (int)handled);

	handled = 0;
	arm(SA_RESTART);
	struct timespec ts = {5, 0};
	int r = nanosleep(&ts, NULL);
	printf("SA_RESTART nanosleep: %d %s, handled %d\n", r, r ? strerror(errno) : "-",
	       (int)handled);
	n = read(fds[0], buf, sizeof buf);

	handled = 0;
	arm(SA_RESTART);
	sigset_t none;
	sigemptyset(&none);
	r = sigsuspend(&none);
	printf("SA_RESTART sigsuspend: %d %s, handled %d\n", r, strerror(errno), (int)handled);
	return 0;
}
