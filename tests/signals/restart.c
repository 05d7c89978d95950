/* restart.c — a blocking read interrupted by a handled signal: EINTR
 * without SA_RESTART; with it, the read restarts after the handler ran
 * (the handler itself supplies the data, so the order is visible). Calls
 * the kernel never restarts (nanosleep, sigsuspend) fail with EINTR. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static volatile sig_atomic_t handled;
static volatile int fifo_writer = -1;

static void on_alarm(int sig)
{
	handled++;
	if (write(fds[1], "x", 1) != 1)
		_exit(3);
}

/* Gives the FIFO a writer: O_RDWR never blocks. */
static void on_alarm_fifo(int sig)
{
	handled++;
	fifo_writer = open("fifo", O_RDWR);
	if (fifo_writer < 0)
		_exit(4);
}

static void arm_with(void (*fn)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
	/* Long enough for the call that follows to be entered first, even
	 * translating it for the first time on a loaded machine. */
	struct itimerval it = {{0, 0}, {0, 200000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

static void arm(int flags)
{
	arm_with(on_alarm, flags);
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

	/* SIGALRM blocked until sigsuspend opens the mask: an alarm that came
	 * early would leave it waiting forever. */
	handled = 0;
	sigset_t alrm, none;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &alrm, NULL);
	arm(SA_RESTART);
	r = sigsuspend(&none);
	sigprocmask(SIG_UNBLOCK, &alrm, NULL);
	printf("SA_RESTART sigsuspend: %d %s, handled %d\n", r, strerror(errno), (int)handled);

	/* Opening a FIFO for reading waits for a writer (the runtime
	 * handles open itself: its path rules). */
	unlink("fifo");
	if (mkfifo("fifo", 0600))
		return 1;
	handled = 0;
	arm_with(on_alarm_fifo, 0);
	int fd = open("fifo", O_RDONLY);
	printf("no SA_RESTART: FIFO open %d %s, handled %d\n", fd < 0 ? -1 : 0,
	       fd < 0 ? strerror(errno) : "-", (int)handled);
	close(fifo_writer);
	handled = 0;
	arm_with(on_alarm_fifo, SA_RESTART);
	fd = open("fifo", O_RDONLY);
	printf("SA_RESTART: FIFO open %d, handled %d\n", fd < 0 ? -1 : 0, (int)handled);
	unlink("fifo");
	return 0;
}
