/* victim.c — a translated process that a native one signals (run.sh
 * sends the signals): a handled SIGUSR1 while it waits in pause(), then
 * an unhandled SIGTERM that kills it. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static volatile pid_t sender;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	got = sig;
	sender = si->si_pid;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	setvbuf(stdout, NULL, _IONBF, 0);
	puts("ready");
	while (!got)
		pause();
	printf("got signal %d from my parent: %d\n", (int)got, sender == getppid());
	for (;;)
		pause();
}
