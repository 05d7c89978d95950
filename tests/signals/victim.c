/* victim.c — a translated process that a native one signals (run.sh
 * sends the signals): a handled SIGUSR1 while it waits in sigsuspend(), then
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
	/* SIGUSR1 blocked but inside sigsuspend: one that came between the
	 * test of got and the wait would be a lost wakeup. */
	sigset_t usr1, old;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	setvbuf(stdout, NULL, _IONBF, 0);
	puts("ready");
	while (!got)
		sigsuspend(&old);
	printf("got signal %d from my parent: %d\n", (int)got, sender == getppid());
	for (;;)
		pause();
}
