/* faultprog.c — the guest state a fault shows, for the image tests
 * (tests/aot/fault-state.sh): static, no libc, small (its whole image
 * compiles in seconds).
 *
 * Each test is a guest function in assembly that sets every register to a
 * known value, updates general registers (implicit ones too), flags,
 * vector and x87 registers, stores to memory, updates more state after the
 * store, and then faults: a load from an unmapped page, UD2, INT3, a
 * divide by zero, a store to an unmapped page in a callee, a load in the
 * twentieth round of a loop that stores every round. Translated code keeps
 * guest state in host registers and writes it back only where it must
 * (translator/aot/xlimage.h, "Faults"); whatever it leaves stale shows
 * here. The handler prints the signal, the general registers, the flags,
 * the RIP as an offset into the test, XMM0-2 and MXCSR, the x87 control,
 * status and tag words and ST0, and the memory the test stored to; then
 * it resumes at the test's exit (through sigreturn). Its argument picks
 * the tests (default: all), so that a code map of some leaves the others
 * out of a partial image.
 *
 * Built for x86-64 hosts only (it is the guest). */
#define _GNU_SOURCE
#include <sys/ucontext.h>

#include "tests/aot/guestlib.h"

/* Faults on unmapped memory use the first pages (below mmap_min_addr):
 * never mapped, natively or under xlate, with or without sanitizers.
 * The state tests store to and the handler prints: */
uint64_t buf[6];
uint64_t entry_rsp; /* the test's rsp after its prologue */
const uint32_t mxcsr_init = 0x1f80;

/* Every test: save the callee-saved registers, reset x87 and MXCSR,
 * give every register a known value (XMM0-2 too), run the body; a fault
 * resumes at NAME_resume, which returns. */
__asm__(".macro TEST name\n"
	"	.globl \\name, \\name\\()_resume\n"
	"	.type \\name, @function\n"
	"\\name:\n"
	"	push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"	mov %rsp, entry_rsp(%rip)\n"
	"	fninit\n"
	"	ldmxcsr mxcsr_init(%rip)\n"
	"	mov $0x0101010101010101, %rax\n"
	"	lea (%rax,%rax), %rbx\n lea (%rax,%rax,2), %rcx\n lea (%rax,%rax,4), %rdx\n"
	"	lea (%rax,%rax,8), %rsi\n lea 1(%rax), %rdi\n lea 2(%rax), %rbp\n"
	"	lea 3(%rax), %r8\n lea 4(%rax), %r9\n lea 5(%rax), %r10\n lea 6(%rax), %r11\n"
	"	lea 7(%rax), %r12\n lea 8(%rax), %r13\n lea 9(%rax), %r14\n lea 10(%rax), %r15\n"
	"	movq %rax, %xmm0\n movq %rbx, %xmm1\n movq %rcx, %xmm2\n"
	"	add $0, %eax\n" /* flags known too */
	".endm\n"
	".macro END name\n"
	"\\name\\()_resume:\n"
	"	fninit\n"
	"	mov entry_rsp(%rip), %rsp\n"
	"	pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
	"	ret\n"
	"	.size \\name, .-\\name\n"
	".endm\n");

/* A load from an unmapped page after integer, SSE and x87 work. */
__asm__("TEST t_load\n"
	"	mov $0x0123456789abcdef, %rax\n"
	"	movq %rax, %xmm0\n"
	"	paddq %xmm0, %xmm0\n"
	"	pshufd $0x1b, %xmm0, %xmm1\n"
	"	cqo\n"
	"	mov $-5, %rcx\n"
	"	imul %rcx\n"
	"	mov %rax, buf(%rip)\n"
	"	mov %rdx, buf+8(%rip)\n"
	"	add %rcx, %rbx\n"
	"	lea 7(%rbx,%rcx,2), %rsi\n"
	"	xchg %rsi, %rdi\n"
	"	fldpi\n fld1\n faddp\n"
	"	movq %rdi, %xmm2\n"
	"	cmc\n"
	"	mov 0x1008, %r8\n"
	"END t_load\n");

/* UD2 after string instructions, shifts, LAHF and SETcc. */
__asm__("TEST t_ud2\n"
	"	lea buf(%rip), %rdi\n"
	"	mov $0x1122334455667788, %rax\n"
	"	mov $3, %ecx\n"
	"	cld\n"
	"	rep stosq\n"
	"	bswap %rax\n"
	"	rol $13, %rax\n"
	"	shld $7, %rax, %rdx\n"
	"	bsf %rdx, %r9\n"
	"	sub $0x80, %al\n"
	"	lahf\n"
	"	setc %r10b\n"
	"	mov %rax, buf+24(%rip)\n"
	"	cvtsi2sd %rdx, %xmm1\n"
	"	sqrtsd %xmm1, %xmm1\n"
	"	neg %r11\n"
	"	ud2\n"
	"END t_ud2\n");

/* INT3 after read-modify-write ALU operations on memory. */
__asm__("TEST t_int3\n"
	"	lea buf(%rip), %rsi\n"
	"	mov %rbx, (%rsi)\n"
	"	mov $77, %eax\n"
	"	xadd %rax, (%rsi)\n"
	"	mov (%rsi), %rax\n"
	"	lock cmpxchg %rcx, 8(%rsi)\n"
	"	adc %rdx, 16(%rsi)\n"
	"	sbb $9, %r12\n"
	"	mul %r13\n"
	"	xorps %xmm0, %xmm0\n"
	"	movd %eax, %xmm0\n"
	"	fildl buf(%rip)\n"
	"	fsqrt\n"
	"	stc\n"
	"	int3\n"
	"END t_int3\n");

/* A divide by zero: its operands come from a store just before. */
__asm__("TEST t_div\n"
	"	mov $1000, %eax\n"
	"	xor %edx, %edx\n"
	"	mov $7, %ecx\n"
	"	div %rcx\n"
	"	mov %rax, buf(%rip)\n"
	"	mov %rdx, buf+8(%rip)\n"
	"	movq %rax, %xmm2\n"
	"	punpcklqdq %xmm2, %xmm2\n"
	"	imul $3, %rdx, %r14\n"
	"	sub %rcx, %rcx\n"
	"	div %rcx\n"
	"END t_div\n");

/* A store to an unmapped page, in a callee, after state the caller set.
 * (Not a read-only page: under qemu-user, whose aarch64 signal frames
 * carry no ESR record, xlate-aarch64 cannot tell a protection fault from
 * a missing page, and reports the page fault error code without PF_PROT.) */
__asm__(".globl t_callee\n"
	".type t_callee, @function\n"
	"t_callee:\n"
	"	lea 0x40(%rdi), %rdx\n"
	"	inc %r15\n"
	"	mov %rdx, buf+32(%rip)\n"
	"	paddd %xmm1, %xmm0\n"
	"	dec %rdi\n"
	"	mov %rdi, 0x1010\n"
	"	ret\n"
	".size t_callee, .-t_callee\n"
	"TEST t_store\n"
	"	mov $0xfeed, %edi\n"
	"	mov %rdi, buf+40(%rip)\n"
	"	shl $4, %rdi\n"
	"	fldln2\n"
	"	call t_callee\n"
	"END t_store\n");

/* A loop that stores every round and loads from unmapped memory in round
 * 20: the loop's back edge and its stores, then the fault. */
__asm__("TEST t_loop\n"
	"	xor %ecx, %ecx\n"
	"	mov $0x3000, %r8\n"
	"1:	mov %rcx, %rax\n"
	"	imul %rax, %rax\n"
	"	mov %ecx, %edx\n"
	"	and $3, %edx\n"
	"	mov %rax, buf(,%rdx,8)\n"
	"	add %rax, %r9\n"
	"	pxor %xmm1, %xmm0\n"
	"	inc %ecx\n"
	"	cmp $20, %ecx\n"
	"	jne 2f\n"
	"	mov (%r8), %r10\n"
	"2:	cmp $30, %ecx\n"
	"	jb 1b\n"
	"END t_loop\n");

void t_load(void), t_ud2(void), t_int3(void), t_div(void), t_store(void), t_loop(void);
extern char t_load_resume[], t_ud2_resume[], t_int3_resume[], t_div_resume[], t_store_resume[],
	t_loop_resume[];

static const struct test {
	char letter;
	const char *name;
	void (*fn)(void);
	char *resume;
} tests[] = {
	{'a', "load", t_load, t_load_resume},	 {'b', "ud2", t_ud2, t_ud2_resume},
	{'c', "int3", t_int3, t_int3_resume},	 {'d', "div", t_div, t_div_resume},
	{'e', "store", t_store, t_store_resume}, {'f', "loop", t_loop, t_loop_resume},
};

static const struct test *cur;

/* An address in the running test as an offset into it. */
static uint64_t rel(uint64_t a)
{
	uint64_t start = (uint64_t)(uintptr_t)cur->fn;
	return a - start < 0x1000 ? a - start : a;
}

struct ksiginfo {
	int signo, errno_, code, pad;
	uint64_t addr;
};

static void handler(int sig, struct ksiginfo *si, ucontext_t *uc)
{
	static const struct {
		const char *name;
		int reg;
	} regs[] = {
		{"rax", REG_RAX}, {"rbx", REG_RBX}, {"rcx", REG_RCX}, {"rdx", REG_RDX},
		{"rsi", REG_RSI}, {"rdi", REG_RDI}, {"rbp", REG_RBP}, {"r8", REG_R8},
		{"r9", REG_R9},	  {"r10", REG_R10}, {"r11", REG_R11}, {"r12", REG_R12},
		{"r13", REG_R13}, {"r14", REG_R14}, {"r15", REG_R15},
	};
	greg_t *g = uc->uc_mcontext.gregs;
	const struct _libc_fpstate *fp = uc->uc_mcontext.fpregs;

	putu("signal ", (uint64_t)sig);
	putx("code", (uint64_t)si->code);
	putx("addr", rel(si->addr));
	putx("trapno", (uint64_t)g[REG_TRAPNO]);
	putx("err", (uint64_t)g[REG_ERR]);
	put("\n");
	for (unsigned i = 0; i < sizeof regs / sizeof *regs; i++) {
		putx(regs[i].name, (uint64_t)g[regs[i].reg]);
		if (i % 4 == 3)
			put("\n");
	}
	put("\n");
	putx("rsp-entry", (uint64_t)g[REG_RSP] - entry_rsp);
	putx("rip", rel((uint64_t)g[REG_RIP]));
	/* CF PF AF ZF SF DF OF */
	putx("flags", (uint64_t)g[REG_EFL] & 0xcd5);
	put("\n");
	for (unsigned i = 0; i < 3; i++) {
		static const char *const names[3][2] = {
			{"xmm0.hi", "xmm0.lo"}, {"xmm1.hi", "xmm1.lo"}, {"xmm2.hi", "xmm2.lo"}};
		const uint32_t *e = fp->_xmm[i].element;
		putx(names[i][0], e[2] | (uint64_t)e[3] << 32);
		putx(names[i][1], e[0] | (uint64_t)e[1] << 32);
		put("\n");
	}
	putx("mxcsr", fp->mxcsr);
	putx("fcw", fp->cwd);
	putx("fsw", fp->swd);
	putx("ftw", fp->ftw & 0xff);
	put("\n");
	putx("st0.mant", (uint64_t)fp->_st[0].significand[0] |
				 (uint64_t)fp->_st[0].significand[1] << 16 |
				 (uint64_t)fp->_st[0].significand[2] << 32 |
				 (uint64_t)fp->_st[0].significand[3] << 48);
	putx("st0.exp", fp->_st[0].exponent);
	put("\n");
	for (unsigned i = 0; i < sizeof buf / sizeof *buf; i++)
		putx("buf", buf[i]);
	put("\n");
	g[REG_RIP] = (greg_t)(uintptr_t)cur->resume;
}

void restorer(void);
__asm__(".globl restorer\n"
	"restorer:\n"
	"	mov $15, %eax\n" /* rt_sigreturn */
	"	syscall\n");

/* The kernel's struct sigaction (x86-64). */
struct ksigaction {
	void (*handler)(int, struct ksiginfo *, ucontext_t *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

void __attribute__((used)) cmain(long *sp)
{
	static const int sigs[] = {4 /* SIGILL */, 5 /* SIGTRAP */, 8 /* SIGFPE */,
				   11 /* SIGSEGV */};
	const char *arg = sp[0] > 1 ? (const char *)sp[2] : "abcdef";
	struct ksigaction sa = {handler, 0x04000004 /* SA_RESTORER | SA_SIGINFO */, restorer, 0};

	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
		if (sys4(13, sigs[i], (long)&sa, 0, 8)) {
			put("rt_sigaction failed\n");
			sys3(231, 1, 0, 0);
		}
	for (; *arg; arg++)
		for (unsigned i = 0; i < sizeof tests / sizeof *tests; i++)
			if (tests[i].letter == *arg) {
				cur = &tests[i];
				put("== ");
				put(cur->name);
				put("\n");
				cur->fn();
			}
	sys3(231, 0, 0, 0);
}
