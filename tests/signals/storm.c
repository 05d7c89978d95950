/* storm.c — signals from another process, counted: SIGUSR1 with a
 * handshake (each one acknowledged before the next, so none merge),
 * real-time signals queued while blocked and then delivered with their
 * values, and a flood without handshake that must end with the process
 * intact and a plausible count. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define HANDSHAKES 2000
#define QUEUED	   100
#define FLOOD	   20000

static volatile sig_atomic_t usr1, rt, done;
static volatile long rt_sum;
static pid_t child;

static void on_usr1(int sig)
{
	usr1++;
}

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	rt++;
	rt_sum += si->si_value.sival_int;
}

static void on_usr2(int sig)
{
	done = 1;
}

static void install(int sig, void (*fn)(int), void (*act)(int, siginfo_t *, void *))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	if (act) {
		sa.sa_sigaction = act;
		sa.sa_flags = SA_SIGINFO;
	} else {
		sa.sa_handler = fn;
	}
	sigaction(sig, &sa, NULL);
}

/* The child: sends, each time waiting for the parent's SIGUSR2. */
static void sender(pid_t parent)
{
	sigset_t usr2;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	for (int i = 0; i < HANDSHAKES; i++) {
		kill(parent, SIGUSR1);
		int sig;
		sigwait(&usr2, &sig);
	}
	for (int i = 1; i <= QUEUED; i++)
		sigqueue(parent, SIGRTMIN + 1, (union sigval){.sival_int = i});
	kill(parent, SIGUSR2);
	int sig;
	sigwait(&usr2, &sig);
	for (int i = 0; i < FLOOD; i++)
		kill(parent, SIGUSR1);
	kill(parent, SIGUSR2);
	_exit(0);
}

int main(void)
{
	/* Both blocked except inside sigsuspend: a handler that ran between
	 * the test of usr1 or done and the sigsuspend would leave the parent
	 * waiting forever (a lost wakeup, natively too). The child inherits
	 * the mask for its sigwait. */
	sigset_t handshake, rtset, old;
	sigemptyset(&handshake);
	sigaddset(&handshake, SIGUSR1);
	sigaddset(&handshake, SIGUSR2);
	sigprocmask(SIG_BLOCK, &handshake, &old);
	install(SIGUSR1, on_usr1, NULL);
	install(SIGUSR2, on_usr2, NULL);
	install(SIGRTMIN + 1, NULL, on_rt);
	sigemptyset(&rtset);
	sigaddset(&rtset, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &rtset, NULL);

	pid_t parent = getpid();
	child = fork();
	if (child == 0)
		sender(parent);
	sigset_t wait_mask = old;
	sigaddset(&wait_mask, SIGRTMIN + 1);
	for (int i = 0; i < HANDSHAKES; i++) {
		while (usr1 == i)
			sigsuspend(&wait_mask);
		kill(child, SIGUSR2);
	}
	while (!done)
		sigsuspend(&wait_mask);
	printf("handshaken SIGUSR1: %d of %d\n", (int)usr1, HANDSHAKES);
	sigset_t pend;
	sigpending(&pend);
	printf("queued real-time signal pending while blocked: %d\n",
	       sigismember(&pend, SIGRTMIN + 1));
	sigprocmask(SIG_UNBLOCK, &rtset, NULL);
	printf("queued real-time signals: %d, values sum %ld (want %d)\n", (int)rt, rt_sum,
	       QUEUED * (QUEUED + 1) / 2);

	usr1 = 0;
	done = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	kill(child, SIGUSR2);
	unsigned long spins = 0;
	while (!done)
		spins++;
	int st;
	waitpid(child, &st, 0);
	printf("flood: counted between 1 and %d: %d; child status %#x\n", FLOOD,
	       usr1 >= 1 && usr1 <= FLOOD, st);
	return 0;
}
