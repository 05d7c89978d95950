/* death.c — children that die of a signal without a handler, as their
 * parent sees it: faults (SIGSEGV, SIGFPE, SIGILL, SIGTRAP, SIGBUS),
 * abort(), sent signals, a fault whose signal is blocked or ignored (the
 * kernel forces it), SA_RESETHAND, and a handler returning into a fault
 * that has by then been reset to the default. Core-dump bits aside. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void segv(void)
{
	__asm__ volatile("movl $1, 16" ::: "memory");
}

static void fpe(void)
{
	__asm__ volatile("xor %%ecx, %%ecx\n\tmov $1, %%eax\n\tcltd\n\tidiv %%ecx" ::
				 : "eax", "ecx", "edx");
}

static void ill(void)
{
	__asm__ volatile("ud2");
}

static void trap(void)
{
	__asm__ volatile("int3");
}

static volatile char *beyond_eof; /* a shared mapping of an empty file */

static void bus(void)
{
	printf("%d\n", beyond_eof[100]);
}

static void term(void)
{
	kill(getpid(), SIGTERM);
	pause();
}

static void usr1(void)
{
	raise(SIGUSR1);
}

static void blocked_segv(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	sigprocmask(SIG_BLOCK, &s, NULL);
	segv();
}

static void ignored_fpe(void)
{
	signal(SIGFPE, SIG_IGN);
	fpe();
}

static volatile sig_atomic_t seen;
static void note(int sig)
{
	seen++;
	if (write(1, "handled once\n", 13) != 13)
		_exit(3);
}

static void resethand(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = note;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	raise(SIGUSR2);
}

static void return_into_fault(void)
{
	/* The handler returns to the faulting load, which faults again: with
	 * SA_RESETHAND the second fault kills. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = note;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	segv();
}

static void exit_normally(void)
{
	exit(7);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{"segv", segv},
	{"fpe", fpe},
	{"ill", ill},
	{"trap", trap},
	{"bus", bus},
	{"abort", abort},
	{"term", term},
	{"usr1", usr1},
	{"blocked_segv", blocked_segv},
	{"ignored_fpe", ignored_fpe},
	{"resethand", resethand},
	{"return_into_fault", return_into_fault},
	{"exit", exit_normally},
};

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	FILE *f = tmpfile();
	beyond_eof = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fileno(f), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			cases[i].fn();
			_exit(0);
		}
		int st;
		waitpid(pid, &st, 0);
		if (WIFSIGNALED(st))
			printf("%s: killed by signal %d\n", cases[i].name, WTERMSIG(st));
		else
			printf("%s: exit %d\n", cases[i].name, WEXITSTATUS(st));
	}
	return 0;
}
