/* masks.c — the masks around handlers: the signal itself blocked unless
 * SA_NODEFER, sa_mask added, the old mask in uc_sigmask and back after
 * the handler; several signals unblocked at once (their frames nest in
 * the kernel's order); sigpending, sigtimedwait and sigaction's view of
 * the flags. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static int depth, raised;

static void show_mask(const char *who)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("%s: blocked USR1 %d USR2 %d TERM %d ALRM %d\n", who, sigismember(&cur, SIGUSR1),
	       sigismember(&cur, SIGUSR2), sigismember(&cur, SIGTERM), sigismember(&cur, SIGALRM));
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	char who[64];
	snprintf(who, sizeof who, "%*shandler %d (code %d)", depth * 2, "", sig, si->si_code);
	show_mask(who);
	printf("%*s  uc_sigmask has ALRM %d\n", depth * 2, "",
	       sigismember(&uc->uc_sigmask, SIGALRM));
	if (sig == SIGUSR1 && depth == 0 && raised++ < 1) {
		depth++;
		raise(SIGUSR1); /* nests only with SA_NODEFER */
		depth--;
	}
}

static void install(int sig, int flags, int masked)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | flags;
	if (masked)
		sigaddset(&sa.sa_mask, masked);
	sigaction(sig, &sa, NULL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, NULL);

	install(SIGUSR1, 0, SIGTERM);
	raise(SIGUSR1);
	show_mask("after");
	raised = 0;
	install(SIGUSR1, SA_NODEFER, 0);
	raise(SIGUSR1);
	show_mask("after NODEFER");

	/* Three pending at once, unblocked together. */
	install(SIGUSR1, 0, 0);
	install(SIGUSR2, 0, 0);
	install(SIGTERM, 0, SIGUSR2);
	sigset_t three;
	sigemptyset(&three);
	sigaddset(&three, SIGUSR1);
	sigaddset(&three, SIGUSR2);
	sigaddset(&three, SIGTERM);
	sigprocmask(SIG_BLOCK, &three, NULL);
	kill(getpid(), SIGTERM);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	sigset_t pend;
	sigpending(&pend);
	printf("pending USR1 %d USR2 %d TERM %d ALRM %d\n", sigismember(&pend, SIGUSR1),
	       sigismember(&pend, SIGUSR2), sigismember(&pend, SIGTERM),
	       sigismember(&pend, SIGALRM));
	sigprocmask(SIG_UNBLOCK, &three, NULL);
	show_mask("after three");

	/* A blocked signal taken with sigtimedwait, with its siginfo. */
	union sigval v = {.sival_int = 77};
	sigqueue(getpid(), SIGALRM, v);
	siginfo_t si;
	struct timespec ts = {1, 0};
	int sig = sigtimedwait(&s, &si, &ts);
	printf("sigtimedwait: %d code %d value %d from me %d\n", sig, si.si_code,
	       si.si_value.sival_int, si.si_pid == getpid());
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000;
	sig = sigtimedwait(&s, &si, &ts);
	printf("sigtimedwait with none: %d %s\n", sig, strerror(errno));

	/* What sigaction reads back: SA_RESTORER from libc, unknown bits gone. */
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = SA_RESTART | 0x400;
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGUSR2, NULL, &old);
	printf("flags read back %#x, ignored %d\n", old.sa_flags & ~0x04000000,
	       old.sa_handler == SIG_IGN);
	int r = sigaction(SIGKILL, &sa, NULL);
	printf("SIGKILL handler: %d %s\n", r, strerror(errno));
	return 0;
}
