/* fake_x86.c — the interpreter's side of the runtime's interface, for
 * runtime unit tests that exercise the runtime alone: invalidations are
 * recorded, CPUID answers from a small fixed table. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/fake_x86.h"

struct x86_hooks x86_hooks;
struct fake_x86 fake_x86;

void x86_invalidate(uint64_t addr, uint64_t len)
{
	fake_x86.invalidations++;
	fake_x86.last_addr = addr;
	fake_x86.last_len = len;
}

void x86_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	memset(out, 0, 16);
	switch (leaf) {
	case 0:
		out[0] = 0xd;
		memcpy(&out[1], "Fake", 4);
		memcpy(&out[3], "Test", 4);
		memcpy(&out[2], "CPU!", 4);
		break;
	case 1:
		out[0] = 0x000306a9;	     /* family 6, model 0x3a, stepping 9 */
		out[1] = 8 << 8;	     /* CLFLUSH line: 8 quadwords */
		out[2] = 1u << 26 | 1u << 0; /* XSAVE, SSE3 */
		out[3] = 0x0789fbff;
		break;
	case 7:
		out[1] = 1; /* FSGSBASE */
		break;
	case 0xd:
		if (subleaf == 0) {
			out[0] = 7;
			out[1] = 832;
		}
		break;
	case 0x80000000: out[0] = 0x80000008; break;
	case 0x80000002: memcpy(out, "   Fake Test CPU", 16); break;
	case 0x80000008: out[0] = 48 << 8 | 40; break;
	}
}

const char *x86_cpuinfo_flags(void)
{
	return "fpu sse sse2 pni xsave";
}

void x86_host_fault(int signo, void *siginfo, void *ucontext)
{
}

/* The run loop (thread.c) links against it; no unit test runs guest code. */
int x86_run(struct cpu *cpu)
{
	abort();
}

/* fork_guest (sys_proc.c) brackets fork with these; no unit test forks. */
void x86_fork_prepare(void)
{
}

void x86_fork_parent(void)
{
}

void x86_fork_child(void)
{
}

void x86_thread_save(struct x86_thread_saved *s)
{
}

void x86_thread_restore(const struct x86_thread_saved *s)
{
}
