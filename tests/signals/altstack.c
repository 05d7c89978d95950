/* altstack.c — a stack overflow (deep recursion) caught by a SIGSEGV
 * handler running on the alternate stack, which sees SS_ONSTACK and
 * leaves with siglongjmp; then SS_AUTODISARM and sigaltstack's errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define ALT_SIZE (64 * 1024)
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31) /* <linux/signal.h>, not in glibc's headers */
#endif
static char *alt;
static sigjmp_buf jb;
static volatile unsigned long depth;

static int on_alt(void)
{
	char here;
	return &here > alt && &here < alt + ALT_SIZE;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	stack_t cur;
	sigaltstack(NULL, &cur);
	printf("overflow caught: signal %d code %d on alt stack %d ss_flags %#x deep %d\n", sig,
	       si->si_code, on_alt(), cur.ss_flags, depth > 1000);
	/* Changing the alt stack while on it is refused. */
	stack_t ss = {.ss_sp = alt, .ss_size = ALT_SIZE};
	errno = 0;
	int r = sigaltstack(&ss, NULL);
	printf("sigaltstack while on it: %d %s\n", r, strerror(errno));
	siglongjmp(jb, 1);
}

static unsigned long recurse(unsigned long n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	depth = n;
	/* The bound is far beyond any stack: it only keeps the compiler
	 * from calling this an infinite recursion. */
	return n < (1ul << 40) ? recurse(n + 1) + pad[0] : 0;
}

static void on_usr1(int sig)
{
	stack_t cur;
	sigaltstack(NULL, &cur);
	printf("usr1: on alt stack %d ss_flags %#x ss_size %zu\n", on_alt(), cur.ss_flags,
	       cur.ss_size);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct rlimit rl = {8 << 20, 8 << 20};
	setrlimit(RLIMIT_STACK, &rl);
	alt = malloc(ALT_SIZE);
	stack_t ss = {.ss_sp = alt, .ss_size = ALT_SIZE}, old;
	sigaltstack(&ss, &old);
	printf("old: flags %#x size %zu\n", old.ss_flags, old.ss_size);
	sigaltstack(NULL, &old);
	printf("now: flags %#x size %zu same sp %d\n", old.ss_flags, old.ss_size, old.ss_sp == alt);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	if (!sigsetjmp(jb, 1))
		recurse(0);
	puts("back on the main stack");

	/* SS_AUTODISARM: disarmed while the handler runs, rearmed by sigreturn. */
	ss.ss_flags = SS_AUTODISARM;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	sigaltstack(NULL, &old);
	printf("after: flags %#x size %zu\n", old.ss_flags, old.ss_size);

	ss.ss_flags = 0;
	ss.ss_size = 1024;
	int r = sigaltstack(&ss, NULL);
	printf("too small: %d %s\n", r, strerror(errno));
	ss.ss_flags = 7;
	ss.ss_size = ALT_SIZE;
	r = sigaltstack(&ss, NULL);
	printf("bad flags: %d %s\n", r, strerror(errno));
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	sigaltstack(NULL, &old);
	printf("disabled: flags %#x size %zu sp %p\n", old.ss_flags, old.ss_size, old.ss_sp);
	raise(SIGUSR1);
	return 0;
}
