/* vsyscall.c — the legacy vsyscall page at 0xffffffffff600000, which old
 * static x86-64 binaries still call for gettimeofday, time and getcpu.
 * Linux emulates it (vsyscall=xonly, the default): a call there faults,
 * the kernel performs the system call and returns to the caller. So do
 * we, when the interpreter reports the fetch fault. */
#include "translator/runtime/abi.h"
#include "translator/runtime/runtime.h"

static const struct {
	uint64_t offset;
	long nr;
} entries[] = {
	{0x000, ABI_NR_gettimeofday},
	{0x400, ABI_NR_time},
	{0x800, ABI_NR_getcpu},
};

bool vsyscall_emulate(struct cpu *cpu)
{
	const struct x86_fault *f = &cpu->fault;
	if (f->signo != X86_SIGSEGV || f->addr != cpu->rip || PAGE_DOWN(cpu->rip) != VSYSCALL_ADDR)
		return false;
	for (size_t i = 0; i < sizeof entries / sizeof *entries; i++) {
		if (cpu->rip != VSYSCALL_ADDR + entries[i].offset)
			continue;
		uint64_t ret;
		if (guest_read(&ret, cpu->gpr[X86_RSP], 8))
			return false;
		const uint64_t a[6] = {cpu->gpr[X86_RDI], cpu->gpr[X86_RSI], cpu->gpr[X86_RDX]};
		cpu->gpr[X86_RAX] = (uint64_t)abi_syscall(entries[i].nr, a);
		cpu->gpr[X86_RSP] += 8;
		cpu->rip = ret;
		return true;
	}
	return false;
}
