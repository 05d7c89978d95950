/* segv.c — SIGSEGV delivered to an SA_SIGINFO handler: si_addr, si_code,
 * and the kernel's trapno/err/cr2 and faulting RIP in the ucontext; the
 * handler leaves with siglongjmp. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf jb;
static volatile long want_rip;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	mcontext_t *m = &uc->uc_mcontext;
	printf("signal %d code %d errno %d addr-offset %#lx trapno %lld err %lld cr2-matches %d\n",
	       sig, si->si_code, si->si_errno, (unsigned long)si->si_addr & 0xfff,
	       (long long)m->gregs[REG_TRAPNO], (long long)m->gregs[REG_ERR],
	       (unsigned long)m->gregs[REG_CR2] == (unsigned long)si->si_addr);
	printf("  rip at the faulting instruction: %d\n", m->gregs[REG_RIP] == want_rip);
	siglongjmp(jb, 1);
}

/* A load from addr at a known instruction. */
static int load(volatile int *addr)
{
	int v;
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
			 "mov %%rax, %1\n"
			 "1:\tmovl (%2), %0"
			 : "=r"(v), "=m"(want_rip)
			 : "r"(addr)
			 : "rax", "memory");
	return v;
}

static void store(volatile int *addr)
{
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
			 "mov %%rax, %0\n"
			 "1:\tmovl $7, (%1)"
			 : "=m"(want_rip)
			 : "r"(addr)
			 : "rax", "memory");
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	setvbuf(stdout, NULL, _IONBF, 0);

	char *ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(none + 4096, 4096);

	puts("write to a read-only page");
	if (!sigsetjmp(jb, 1))
		store((volatile int *)(ro + 0x123));
	puts("read of a PROT_NONE page");
	if (!sigsetjmp(jb, 1))
		load((volatile int *)(none + 0x44));
	puts("read of an unmapped page");
	if (!sigsetjmp(jb, 1))
		load((volatile int *)(none + 4096 + 0x88));
	puts("write to an unmapped page");
	if (!sigsetjmp(jb, 1))
		store((volatile int *)(none + 4096 + 0x8));
	puts("read of a kernel address");
	if (!sigsetjmp(jb, 1))
		load((volatile int *)0xffffffffff700000ul);

	/* The mask the handler ran with is restored by siglongjmp(, 1). */
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("SIGSEGV blocked after siglongjmp: %d\n", sigismember(&cur, SIGSEGV));
	return 0;
}
