/* interp_run.c — runs snippets in the interpreter, in this process, on
 * any host. Code pages are write-protected when the interpreter first
 * decodes them (x86_hooks.code_page) and a guest write to one invalidates
 * it, as the runtime does: self-modifying snippets must match native. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tests/x86/layout.h"
#include "translator/x86/x86.h"

#define CODE_PAGES (SNIP_CODE_SIZE / 0x1000)
static volatile sig_atomic_t protected_pages; /* bit i: code page i is read-only */

static void code_page(uint64_t page)
{
	if (page < SNIP_CODE_ADDR || page >= SNIP_CODE_ADDR + SNIP_CODE_SIZE)
		return;
	mprotect((void *)(uintptr_t)page, 0x1000, PROT_READ | PROT_EXEC);
	protected_pages |= 1 << ((page - SNIP_CODE_ADDR) / 0x1000);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	uint64_t a = (uint64_t)(uintptr_t)si->si_addr;
	if (sig == SIGSEGV && a >= SNIP_CODE_ADDR && a < SNIP_CODE_ADDR + SNIP_CODE_SIZE) {
		unsigned i = (unsigned)((a - SNIP_CODE_ADDR) / 0x1000);
		if (protected_pages & (1 << i)) {
			uint64_t page = SNIP_CODE_ADDR + i * 0x1000ull;
			x86_invalidate(page, 0x1000);
			mprotect((void *)(uintptr_t)page, 0x1000,
				 PROT_READ | PROT_WRITE | PROT_EXEC);
			protected_pages &= ~(1 << i);
			return;
		}
	}
	x86_host_fault(sig, si, uc);
	/* Not the guest's: a bug in the translator. Die of it. */
	signal(sig, SIG_DFL);
}

void snip_interp_setup(void)
{
	struct sigaction sa;
	if (snip_layout_map() != 0) {
		perror("snip_interp_setup: mmap");
		exit(2);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	x86_hooks.code_page = code_page;
}

void snip_interp_load(const struct snip *s, struct cpu *cpu)
{
	x86_invalidate(SNIP_CODE_ADDR, SNIP_CODE_SIZE);
	mprotect((void *)(uintptr_t)SNIP_CODE_ADDR, SNIP_CODE_SIZE,
		 PROT_READ | PROT_WRITE | PROT_EXEC);
	protected_pages = 0;
	snip_layout_load(s);

	x86_cpu_init(cpu);
	memcpy(cpu->gpr, s->init.gpr, sizeof cpu->gpr);
	cpu->rip = s->init.rip;
	x86_set_rflags(cpu, s->init.rflags);
	cpu->fs_base = s->init.fs_base;
	cpu->gs_base = s->init.gs_base;
	x86_fxrstor(cpu, s->init.fx);
}

void snip_interp_run(const struct snip *s, struct snip_state *out)
{
	struct cpu cpu;

	snip_interp_load(s, &cpu);
	for (;;) {
		int rc = x86_run(&cpu);
		if (rc == X86_EXIT_FAULT)
			break;
		if (rc == X86_EXIT_SYSCALL)
			cpu.gpr[X86_RAX] = (uint64_t)-ENOSYS; /* the only syscall snippets make */
	}

	memset(out, 0, sizeof *out);
	memcpy(out->gpr, cpu.gpr, sizeof out->gpr);
	out->rip = cpu.rip;
	out->rflags = x86_get_rflags(&cpu);
	out->fs_base = cpu.fs_base;
	out->gs_base = cpu.gs_base;
	x86_fxsave(&cpu, out->fx);
	out->fault.signo = cpu.fault.signo;
	out->fault.code = cpu.fault.code;
	out->fault.addr = cpu.fault.addr;
	out->fault.trapno = cpu.fault.trapno;
	out->fault.err = cpu.fault.err;
	memcpy(out->mem, (const void *)(uintptr_t)SNIP_MEM_ADDR, SNIP_MEM_SIZE);
	snip_state_normalize(out);
}
