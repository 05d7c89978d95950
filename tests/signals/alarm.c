/* alarm.c — SIGALRM from setitimer reaches a loop that never enters the
 * kernel, and alarm() interrupts pause(). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	ticks++;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);

	struct itimerval it = {{0, 20000}, {0, 20000}};
	setitimer(ITIMER_REAL, &it, NULL);
	unsigned long spins = 0;
	while (ticks < 5)
		spins++; /* no system call in here */
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &off, NULL);
	printf("busy loop saw %d ticks after spinning: %d\n", (int)ticks, spins > 0);

	ticks = 0;
	alarm(1);
	int r = pause();
	printf("pause returned %d after %d alarm\n", r, (int)ticks);
	return 0;
}
