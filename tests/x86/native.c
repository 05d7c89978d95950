/* native.c — runs snippets natively, in a child process (x86-64 hosts).
 * The child maps the fixed guest layout, loads each snippet's state with
 * snip_native_enter and collects the final state from the signal frame of
 * the fault that ends it (see native_entry.S). */
#include "config.h"

#include <asm/prctl.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "tests/x86/harness.h"
#include "tests/x86/layout.h"

_Static_assert(offsetof(struct snip_state, gpr) == 0, "ST_GPR");
_Static_assert(offsetof(struct snip_state, rflags) == 136, "ST_RFLAGS");
_Static_assert(offsetof(struct snip_state, fs_base) == 144, "ST_FS");
_Static_assert(offsetof(struct snip_state, gs_base) == 152, "ST_GS");
_Static_assert(offsetof(struct snip_state, fx) == 192, "ST_FX");

void snip_native_enter(const struct snip_state *s) __attribute__((noreturn));
void snip_native_sig_entry(int sig, siginfo_t *si, void *uc);
void snip_native_sig_handler(int sig, siginfo_t *si, void *uc);

uint64_t snip_native_code = SNIP_CODE_ADDR;
uint64_t snip_native_final_fs, snip_native_final_gs;
uint64_t snip_native_host_fs, snip_native_host_gs;

static sigjmp_buf back;
static struct snip_state *cur;

/* Offsets in the signal frame's FP area (the XSAVE layout). */
#define FP_SW_MAGIC_OFF 464
#define XSTATE_BV_OFF	512

void snip_native_sig_handler(int sig, siginfo_t *si, void *ucv)
{
	static const int gmap[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP,
				     REG_RSI, REG_RDI, REG_R8,	REG_R9,	 REG_R10, REG_R11,
				     REG_R12, REG_R13, REG_R14, REG_R15};
	ucontext_t *uc = ucv;
	const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;
	struct snip_state *o = cur;
	uint32_t magic;

	for (int i = 0; i < 16; i++)
		o->gpr[i] = (uint64_t)uc->uc_mcontext.gregs[gmap[i]];
	o->rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	o->rflags = (uint64_t)uc->uc_mcontext.gregs[REG_EFL];
	o->fs_base = snip_native_final_fs;
	o->gs_base = snip_native_final_gs;
	memcpy(o->fx, fp, 512);
	memcpy(&magic, fp + FP_SW_MAGIC_OFF, 4);
	if (magic == 0x46505853u) { /* FP_XSTATE_MAGIC1 */
		/* Components the kernel saved as "in initial state" are not
		 * written out: put their initial values in. */
		uint64_t bv;
		memcpy(&bv, fp + XSTATE_BV_OFF, 8);
		if (!(bv & 1)) {
			memset(o->fx, 0, 24);
			memset(o->fx + 32, 0, 128);
			o->fx[0] = 0x7f;
			o->fx[1] = 0x03;
		}
		if (!(bv & 2))
			memset(o->fx + 160, 0, 256);
	}
	o->fault.signo = sig;
	o->fault.code = si->si_code;
	o->fault.addr = (uint64_t)(uintptr_t)si->si_addr;
	o->fault.trapno = (uint64_t)uc->uc_mcontext.gregs[REG_TRAPNO];
	o->fault.err = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
	memcpy(o->mem, (const void *)(uintptr_t)SNIP_MEM_ADDR, SNIP_MEM_SIZE);
	siglongjmp(back, 1);
}

static void child_setup(void)
{
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
	struct sigaction sa;
	stack_t ss;

	if (snip_layout_map() != 0)
		_exit(3);
	ss.ss_sp = malloc(1 << 16);
	ss.ss_size = 1 << 16;
	ss.ss_flags = 0;
	if (!ss.ss_sp || sigaltstack(&ss, NULL) != 0)
		_exit(3);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = snip_native_sig_entry;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	syscall(SYS_arch_prctl, ARCH_GET_FS, &snip_native_host_fs);
	syscall(SYS_arch_prctl, ARCH_GET_GS, &snip_native_host_gs);
}

int snip_native_run(const struct snip *s, struct snip_state *out, size_t n, size_t *done)
{
	size_t bytes = n * sizeof *out + sizeof(size_t);
	struct snip_state *shared;
	size_t *count;
	pid_t pid;
	int status;

	shared = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return -1;
	count = (size_t *)(shared + n);
	*count = 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		munmap(shared, bytes);
		return -1;
	}
	if (pid == 0) {
		child_setup();
		for (size_t i = 0; i < n; i++) {
			cur = &shared[i];
			memset(cur, 0, sizeof *cur);
			snip_layout_load(&s[i]);
			snip_native_code = s[i].init.rip;
			if (!sigsetjmp(back, 1))
				snip_native_enter(&s[i].init);
			snip_state_normalize(cur);
			*count = i + 1;
		}
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		;
	memcpy(out, shared, *count * sizeof *out);
	*done = *count;
	munmap(shared, bytes);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 && *done == n ? 0 : -1;
}
