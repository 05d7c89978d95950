/* fault.c — guest faults: raised by semantics (x86_raise) or caught by the
 * runtime's SIGSEGV/SIGBUS handler while guest code runs (x86_host_fault).
 * Both record what Linux would put in the guest's siginfo and sigcontext
 * and unwind x86_run with siglongjmp to the sigsetjmp it left in cpu->jmp. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>

#include "translator/x86/interp_priv.h"
#include "translator/x86/sem.h"

__thread struct x86_guest_tls x86_guest;

/* Page-fault error code bits, as in the kernel's sigcontext.err. */
enum { PF_PROT = 1, PF_WRITE = 2, PF_USER = 4, PF_INSTR = 16 };

_Noreturn void x86_raise_err(struct cpu *cpu, int signo, int code, uint64_t addr, int trapno,
			     uint64_t err)
{
	cpu->fault.signo = signo;
	cpu->fault.code = code;
	cpu->fault.addr = addr;
	cpu->fault.trapno = (uint64_t)trapno;
	cpu->fault.err = err;
	x86_split_release();
	siglongjmp(*(sigjmp_buf *)cpu->jmp, 1);
}

_Noreturn void x86_raise(struct cpu *cpu, int signo, int code, uint64_t addr, int trapno)
{
	x86_raise_err(cpu, signo, code, addr, trapno, 0);
}

#if defined(__aarch64__)
/* The ESR record the arm64 kernel appends to the signal frame. */
#define ESR_RECORD_MAGIC 0x45535201u
struct a64_ctx_head {
	uint32_t magic, size;
};

static uint64_t host_esr(const ucontext_t *uc)
{
	const uint8_t *p = (const uint8_t *)uc->uc_mcontext.__reserved;
	const uint8_t *end = p + sizeof uc->uc_mcontext.__reserved;
	while (p + sizeof(struct a64_ctx_head) <= end) {
		const struct a64_ctx_head *h = (const void *)p;
		if (h->magic == 0 || h->size < sizeof *h)
			break;
		if (h->magic == ESR_RECORD_MAGIC && h->size >= 16)
			return *(const uint64_t *)(p + 8);
		p += h->size;
	}
	return 0;
}

/* Write and protection bits from the data abort syndrome: WnR is bit 6;
 * fault status 0b0001xx is a translation fault (page not present), the
 * access-flag and permission faults mean the page is there. */
static unsigned host_pf_bits(const ucontext_t *uc)
{
	uint64_t esr = host_esr(uc);
	unsigned ec = (esr >> 26) & 0x3f, dfsc = esr & 0x3f, bits = 0;
	if (ec != 0x24 && ec != 0x25)
		return 0;
	if (esr & (1u << 6))
		bits |= PF_WRITE;
	if ((dfsc & 0x3c) == 0x08 || (dfsc & 0x3c) == 0x0c)
		bits |= PF_PROT;
	return bits;
}
#elif defined(__x86_64__)
static unsigned host_pf_bits(const ucontext_t *uc)
{
	return (unsigned)uc->uc_mcontext.gregs[REG_ERR] & (PF_PROT | PF_WRITE);
}
#else
#error "unsupported host"
#endif

/* Ops whose memory operand 0 is read, not written. Every other op with a
 * memory operand 0 writes it, and x86 reports a fault on such a
 * read-modify-write access as a write even where the translator's read
 * faulted first. */
static bool reads_only_dest(unsigned op)
{
	static const uint16_t ops[] = {
		X86_OP_CMP,	 X86_OP_TEST,	   X86_OP_BT,	      X86_OP_PUSH,
		X86_OP_JMP,	 X86_OP_CALL,	   X86_OP_LDMXCSR,    X86_OP_FXRSTOR,
		X86_OP_XRSTOR,	 X86_OP_CLFLUSH,   X86_OP_CLFLUSHOPT, X86_OP_CLWB,
		X86_OP_PREFETCH, X86_OP_PREFETCHW, X86_OP_NOP,	      X86_OP_FLD,
		X86_OP_FILD,	 X86_OP_FBLD,	   X86_OP_FADD,	      X86_OP_FIADD,
		X86_OP_FSUB,	 X86_OP_FISUB,	   X86_OP_FSUBR,      X86_OP_FISUBR,
		X86_OP_FMUL,	 X86_OP_FIMUL,	   X86_OP_FDIV,	      X86_OP_FIDIV,
		X86_OP_FDIVR,	 X86_OP_FIDIVR,	   X86_OP_FCOM,	      X86_OP_FCOMP,
		X86_OP_FICOM,	 X86_OP_FICOMP,	   X86_OP_FLDCW,      X86_OP_FLDENV,
		X86_OP_FRSTOR,	 X86_OP_VERR,	   X86_OP_VERW,
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (ops[i] == op)
			return true;
	return false;
}

/* Whether x86 reports a fault of this instruction as a write even where
 * the translator's access that faulted was a read: read-modify-write
 * destinations, XCHG with memory and the ENTER stack probe (host atomics
 * read before they write). */
static bool reports_write(const struct x86_insn *in)
{
	if (in->op == X86_OP_ENTER)
		return true;
	if (in->op == X86_OP_XCHG)
		return in->opnd[0].kind == X86_OPND_MEM || in->opnd[1].kind == X86_OPND_MEM;
	return in->nopnd > 0 && in->opnd[0].kind == X86_OPND_MEM && in->opnd[0].size &&
	       !reads_only_dest(in->op);
}

/* 48-bit virtual addresses: bits 63-47 must all be equal. */
static int canonical(uint64_t a)
{
	uint64_t top = a >> 47;
	return top == 0 || top == 0x1ffff;
}

static bool range_canonical(uint64_t a, unsigned size)
{
	return canonical(a) && canonical(a + (size ? size - 1 : 0));
}

/* Checks the addresses the instruction uses against the canonical range:
 * returns 0 when all are canonical, else the vector x86 raises: 12 (#SS)
 * for stack-segment accesses (RSP or RBP based, PUSH, POP...), 13 (#GP)
 * for the others. The host cannot tell us: on aarch64 such an address is
 * just unmapped (or, with top-byte-ignore, another address). Registers
 * still hold their values from before the instruction. */
static int insn_noncanonical(const struct cpu *cpu, const struct x86_insn *in)
{
	uint64_t seg = in->seg == X86_SEG_FS   ? cpu->fs_base
		       : in->seg == X86_SEG_GS ? cpu->gs_base
					       : 0;
	uint64_t mask = in->addrsize == 4 ? 0xffffffffull : ~0ull;
	unsigned n = in->opsize;

	for (unsigned i = 0; i < in->nopnd; i++)
		if (in->opnd[i].kind == X86_OPND_MEM &&
		    !range_canonical(sem_ea(cpu, in), in->opnd[i].size))
			return in->seg == X86_SEG_NONE &&
					       (in->mem_base == X86_RSP || in->mem_base == X86_RBP)
				       ? 12
				       : 13;
	switch (in->op) {
	case X86_OP_MOVS:
	case X86_OP_CMPS:
	case X86_OP_LODS:
	case X86_OP_STOS:
	case X86_OP_SCAS: {
		bool si = in->op == X86_OP_MOVS || in->op == X86_OP_CMPS || in->op == X86_OP_LODS;
		bool di = in->op != X86_OP_LODS;
		if (si && !range_canonical((cpu->gpr[X86_RSI] & mask) + seg, n))
			return 13;
		return di && !range_canonical(cpu->gpr[X86_RDI] & mask, n) ? 13 : 0;
	}
	case X86_OP_XLAT:
		return canonical(((cpu->gpr[X86_RBX] + (cpu->gpr[X86_RAX] & 0xff)) & mask) + seg)
			       ? 0
			       : 13;
	case X86_OP_LEAVE: return range_canonical(cpu->gpr[X86_RBP], 8) ? 0 : 12;
	case X86_OP_PUSH:
	case X86_OP_POP:
	case X86_OP_CALL:
	case X86_OP_RET:
	case X86_OP_PUSHF:
	case X86_OP_POPF:
	case X86_OP_ENTER: return range_canonical(cpu->gpr[X86_RSP] - 64, 128) ? 0 : 12;
	default: return 0;
	}
}

#if defined(__SANITIZE_ADDRESS__)
static bool kernel_half(uint64_t a)
{
	return (a >> 47) == 0x1ffff;
}

/* Under AddressSanitizer every guest access the translator makes is
 * preceded by a shadow-memory check; for a kernel-half guest address the
 * shadow address is not canonical and the check faults with #GP before
 * the access could page-fault. Finds the kernel-half address the guest
 * used, and whether it was written, to report the fault x86 would. */
static bool asan_kernel_access(const struct cpu *cpu, int phase, const struct x86_insn *in,
			       uint64_t *addr, bool *write)
{
	if (phase == X86_PHASE_FETCH) {
		*addr = cpu->rip;
		*write = false;
		return kernel_half(cpu->rip);
	}
	if (!in)
		return false;
	for (unsigned i = 0; i < in->nopnd; i++)
		if (in->opnd[i].kind == X86_OPND_MEM && kernel_half(sem_ea(cpu, in))) {
			*addr = sem_ea(cpu, in);
			*write = reports_write(in);
			return true;
		}
	if (in->op == X86_OP_LODS || in->op == X86_OP_MOVS || in->op == X86_OP_CMPS) {
		*addr = cpu->gpr[X86_RSI];
		*write = false;
		if (kernel_half(*addr))
			return true;
	}
	*addr = cpu->gpr[X86_RDI];
	*write = in->op == X86_OP_MOVS || in->op == X86_OP_STOS;
	return (in->op == X86_OP_MOVS || in->op == X86_OP_STOS || in->op == X86_OP_SCAS ||
		in->op == X86_OP_CMPS) &&
	       kernel_half(*addr);
}
#endif

void x86_host_fault(int signo, void *siginfo, void *ucontext)
{
	struct cpu *cpu = x86_guest.cpu;
	const siginfo_t *si = siginfo;
	const ucontext_t *uc = ucontext;
	int phase = x86_guest.phase;
	uint64_t addr = (uintptr_t)si->si_addr;
	unsigned err;

	struct x86_insn in;
	bool decoded;
	int vec;

	if (!cpu || phase == X86_PHASE_HOST || (signo != SIGSEGV && signo != SIGBUS))
		return;
	x86_guest.phase = X86_PHASE_HOST;
	/* Leave with the signal mask the guest code ran with, as sigreturn
	 * would have restored it. */
	pthread_sigmask(SIG_SETMASK, &uc->uc_sigmask, NULL);
	decoded = phase == X86_PHASE_EXEC &&
		  x86_decode((const uint8_t *)(uintptr_t)cpu->rip, 15, &in) > 0;
	vec = decoded ? insn_noncanonical(cpu, &in) : 0;
	if (vec == 12) /* #SS: Linux sends SIGBUS */
		x86_raise_err(cpu, X86_SIGBUS, X86_SI_KERNEL, 0, 12, 0);
#if defined(__SANITIZE_ADDRESS__)
	{
		bool w;
		if (!vec && si->si_code == SI_KERNEL &&
		    asan_kernel_access(cpu, phase, decoded ? &in : NULL, &addr, &w))
			x86_raise_err(cpu, X86_SIGSEGV, X86_SEGV_MAPERR, addr, 14,
				      PF_USER | PF_PROT | (w ? PF_WRITE : 0) |
					      (phase == X86_PHASE_FETCH ? PF_INSTR : 0));
	}
#endif
	if (vec || si->si_code == SI_KERNEL || !canonical(addr))
		x86_raise_err(cpu, X86_SIGSEGV, X86_SI_KERNEL, 0, 13, 0);
	err = PF_USER | host_pf_bits(uc);
	if (phase == X86_PHASE_FETCH) {
		/* The translator read the code as data; the guest fetched it. */
		err = (err & PF_PROT) | PF_USER | PF_INSTR;
		if (addr < cpu->rip)
			addr = cpu->rip;
	} else if (decoded && reports_write(&in)) {
		err |= PF_WRITE;
	}
	/* Linux reports kernel-half addresses as protection faults. */
	if (addr >> 47)
		err |= PF_PROT;
	x86_raise_err(cpu, signo == SIGBUS ? X86_SIGBUS : X86_SIGSEGV, si->si_code, addr, 14, err);
}
