/* interp_test — checks of the interpreter and semantics that a native
 * differential run cannot make: our own CPU identity (CPUID), time and
 * entropy, XGETBV, the UMIP dummy values, interrupts, syscalls, #UD/#GP
 * for unimplemented and privileged ops, the block cache across munmap and
 * mmap of code, and concurrency (threads running
 * guest code, locked operations, invalidation under running threads).
 * Plain C with no test framework, so that the aarch64 build runs it under
 * qemu-aarch64 too. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "translator/x86/sem_system.h"

static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__,       \
				__func__, #cond);                                                  \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* Guest code lives in its own RWX mapping; each test writes its bytes. */
static uint8_t *code_page;

static uint64_t stack_area[1024];

/* Guest faults are host faults: hand them to the interpreter. */
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	x86_host_fault(sig, si, uc);
	signal(sig, SIG_DFL);
}

static void code_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	code_page = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (code_page == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
}

/* Puts `len` bytes of code at offset `off` of the code mapping, followed
 * by UD2, and prepares cpu to run it. */
static uint64_t load(struct cpu *cpu, unsigned off, const char *hex)
{
	uint8_t *p = code_page + off;
	size_t n = 0;
	x86_invalidate((uint64_t)(uintptr_t)code_page, 0x10000);
	for (const char *h = hex; *h;) {
		if (*h == ' ') {
			h++;
			continue;
		}
		p[n++] = (uint8_t)strtoul((char[]){h[0], h[1], 0}, NULL, 16);
		h += 2;
	}
	p[n] = 0x0f;
	p[n + 1] = 0x0b;
	x86_cpu_init(cpu);
	cpu->rip = (uint64_t)(uintptr_t)p;
	cpu->gpr[X86_RSP] = (uint64_t)(uintptr_t)(stack_area + 1000);
	return cpu->rip + n; /* where the UD2 is */
}

/* Runs until a fault (answering syscalls with -ENOSYS); returns it. */
static int run_to_fault(struct cpu *cpu)
{
	int rc;
	while ((rc = x86_run(cpu)) != X86_EXIT_FAULT)
		if (rc == X86_EXIT_SYSCALL)
			cpu->gpr[X86_RAX] = (uint64_t)-38;
	return cpu->fault.signo;
}

static void test_cpuid(void)
{
	uint32_t r[4];
	char vendor[13] = {0}, brand[49] = {0};
	const char *flags = x86_cpuinfo_flags();

	x86_cpuid(0, 0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	CHECK(!strcmp(vendor, "GenuineIntel")); /* why: cpuid.c */
	CHECK(r[0] >= 7);
	for (uint32_t i = 0; i < 3; i++)
		x86_cpuid(0x80000002 + i, 0, (uint32_t *)(brand + 16 * i));
	CHECK(!strcmp(brand, "xlatefs x86-64 translator"));

	x86_cpuid(1, 0, r);
	/* Advertised: FPU TSC CX8 CMOV MMX FXSR SSE SSE2; SSE3 PCLMUL SSSE3
	 * CX16 SSE4.1 SSE4.2 MOVBE POPCNT AES RDRAND. */
	CHECK((r[3] & 0x07808111u) == 0x07808111u);
	CHECK((r[2] & 0x42d82203u) == 0x42d82203u);
	/* Not advertised yet: FMA, XSAVE, OSXSAVE, AVX, F16C. */
	CHECK((r[2] & (1u << 12 | 1u << 26 | 1u << 27 | 1u << 28 | 1u << 29)) == 0);
	CHECK(((r[1] >> 16) & 0xff) >= 1);
	x86_cpuid(7, 0, r);
	CHECK((r[1] & (1u << 3 | 1u << 8 | 1u << 18 | 1u << 19)) ==
	      (1u << 3 | 1u << 8 | 1u << 18 | 1u << 19));
	CHECK((r[1] & (1u << 5)) == 0); /* no AVX2 */
	/* FDP_EXCPTN_ONLY and "FCS/FDS deprecated": what the x87 semantics do */
	CHECK((r[1] & (1u << 6 | 1u << 13)) == (1u << 6 | 1u << 13));
	x86_cpuid(7, 1, r);
	CHECK(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0);
	x86_cpuid(0x80000001, 0, r);
	CHECK((r[2] & 0x21) == 0x21);		    /* LAHF_LM, ABM */
	CHECK((r[3] & 0x28100800u) == 0x28100800u); /* SYSCALL NX RDTSCP LM */
	x86_cpuid(0xd, 0, r);
	CHECK(r[0] == X86_XCR0 && r[1] == 576);
	x86_cpuid(0x40000000, 0, r);
	CHECK(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0);

	/* The cpuinfo flags name exactly the advertised features. */
	CHECK(strstr(flags, "sse4_2") && strstr(flags, "bmi2") && strstr(flags, "rdrand") &&
	      strstr(flags, "lahf_lm") && strstr(flags, "pclmulqdq") && strstr(flags, "cx16"));
	CHECK(!strstr(flags, "avx") && !strstr(flags, "xsave") && !strstr(flags, "fma"));

	/* FDP as leaf 7 EBX bit 6 says: a load with no exception leaves it,
	 * an unmasked one (IE: an SNaN float64) records the operand address. */
	{
		struct cpu cpu;
		uint64_t end = load(&cpu, 0, "dd 04 24");
		stack_area[1000] = 0x3ff0000000000000ull;
		CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.rip == end && cpu.fdp == 0);
		end = load(&cpu, 0, "dd 04 24");
		cpu.fcw = 0x37e;
		stack_area[1000] = 0x7ff0000000000001ull;
		CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.rip == end &&
		      cpu.fdp == (uint64_t)(uintptr_t)&stack_area[1000] &&
		      (cpu.fsw & 0x81) == 0x81);
	}

	/* The instruction returns the same. */
	{
		struct cpu cpu;
		uint32_t want[4];
		uint64_t end = load(&cpu, 0, "0f a2");
		cpu.gpr[X86_RAX] = 0xffffffff00000001ull;
		cpu.gpr[X86_RCX] = 0x1234;
		CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.rip == end);
		x86_cpuid(1, 0x1234, want);
		CHECK(cpu.gpr[X86_RAX] == want[0] && cpu.gpr[X86_RBX] == want[1] &&
		      cpu.gpr[X86_RCX] == want[2] && cpu.gpr[X86_RDX] == want[3]);
	}
}

static void test_time_and_entropy(void)
{
	struct cpu cpu;
	uint64_t t0, t1, end;
	struct timespec ms = {0, 1000000};

	/* RDTSC; RDTSCP: rising, at X86_TSC_HZ at least (a lower bound only). */
	end = load(&cpu, 0, "0f 31 48 c1 e2 20 48 09 c2 49 89 d0");
	CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.rip == end);
	t0 = cpu.gpr[X86_R8];
	nanosleep(&ms, NULL);
	end = load(&cpu, 0, "0f 01 f9 48 c1 e2 20 48 09 c2 49 89 d0");
	CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.rip == end);
	t1 = cpu.gpr[X86_R8];
	CHECK(t1 > t0 && t1 - t0 >= X86_TSC_HZ / 1000);
	CHECK(cpu.gpr[X86_RCX] == x86_tsc_aux());

	/* RDRAND rax; RDSEED rbx: CF = 1, other flags cleared, values differ. */
	end = load(&cpu, 0, "48 0f c7 f0 9c 41 59 48 0f c7 fb");
	x86_set_rflags(&cpu, 0x8d5);
	CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.rip == end);
	CHECK((cpu.gpr[X86_R9] & 0x8d5) == 1);
	CHECK(cpu.cf == 1 && cpu.gpr[X86_RAX] != cpu.gpr[X86_RBX]);

	/* RDPID rax */
	end = load(&cpu, 0, "f3 0f c7 f8");
	CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.gpr[X86_RAX] == x86_tsc_aux());
}

static void test_xgetbv_and_umip(void)
{
	struct cpu cpu;
	uint8_t m[16];
	uint64_t end;

	end = load(&cpu, 0, "0f 01 d0");
	cpu.gpr[X86_RCX] = 0;
	CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.rip == end);
	CHECK(cpu.gpr[X86_RAX] == X86_XCR0 && cpu.gpr[X86_RDX] == 0);
	load(&cpu, 0, "0f 01 d0");
	cpu.gpr[X86_RCX] = 1;
	cpu.xmm[3].u64[1] = 1; /* SSE state in use, x87 initial */
	CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.gpr[X86_RAX] == 2);
	load(&cpu, 0, "0f 01 d0");
	cpu.gpr[X86_RCX] = 2;
	CHECK(run_to_fault(&cpu) == X86_SIGSEGV && cpu.fault.trapno == 13);

	/* sgdt [rbx]; smsw ecx; str rdx (48 0f 00 ca); sldt esi */
	end = load(&cpu, 0, "0f 01 03 0f 01 e1 48 0f 00 ca 0f 00 c6");
	memset(m, 0xcc, sizeof m);
	cpu.gpr[X86_RBX] = (uint64_t)(uintptr_t)m;
	cpu.gpr[X86_RCX] = cpu.gpr[X86_RDX] = cpu.gpr[X86_RSI] = 0x1111111111111111ull;
	CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.rip == end);
	CHECK(m[0] == 0 && m[1] == 0 && !memcmp(m + 2, "\x00\x00\xfe\xff\xff\xff\xff\xff", 8));
	CHECK(cpu.gpr[X86_RCX] == 0x1111111180050033ull);
	CHECK(cpu.gpr[X86_RDX] == 0x1111111100000040ull);
	CHECK(cpu.gpr[X86_RSI] == 0x1111111100000000ull);
}

static void test_traps(void)
{
	struct cpu cpu;
	uint64_t end;

	/* SYSCALL: exit with RCX = next RIP, R11 = RFLAGS, RIP after it. */
	end = load(&cpu, 0, "0f 05");
	x86_set_rflags(&cpu, 0x8c5);
	CHECK(x86_run(&cpu) == X86_EXIT_SYSCALL);
	CHECK(cpu.rip == end && cpu.gpr[X86_RCX] == end && cpu.gpr[X86_R11] == (0x8c5 | 0x202));

	/* INT 0x80: no IA32 emulation, #GP with the IDT error code. */
	load(&cpu, 0, "cd 80");
	CHECK(run_to_fault(&cpu) == X86_SIGSEGV && cpu.fault.code == X86_SI_KERNEL &&
	      cpu.fault.trapno == 13 && cpu.fault.err == 0x402 &&
	      cpu.rip == (uint64_t)(uintptr_t)code_page);

	/* XTEST (decoded, not executed): #UD. HLT: #GP. An invalid opcode
	 * (PUSH ES in 64-bit mode): #UD at it. */
	load(&cpu, 0, "0f 01 d6");
	CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.fault.code == X86_ILL_ILLOPN &&
	      cpu.rip == (uint64_t)(uintptr_t)code_page);
	load(&cpu, 0, "90 f4");
	CHECK(run_to_fault(&cpu) == X86_SIGSEGV && cpu.fault.trapno == 13 &&
	      cpu.rip == (uint64_t)(uintptr_t)code_page + 1);
	load(&cpu, 0, "90 90 06");
	CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.rip == (uint64_t)(uintptr_t)code_page + 2);

	/* Jumping to an unmapped page: an instruction fetch fault there. */
	load(&cpu, 0, "ff e0");
	cpu.gpr[X86_RAX] = 0x1000;
	CHECK(run_to_fault(&cpu) == X86_SIGSEGV && cpu.rip == 0x1000 && cpu.fault.addr == 0x1000 &&
	      cpu.fault.trapno == 14 && cpu.fault.err == 0x14);
}

/* An interrupt request stops x86_run at the next block boundary; running
 * again goes on where it stopped. */
static void test_interrupt(void)
{
	struct cpu cpu;
	/* loop: inc rax; dec ecx; jnz loop */
	uint64_t end = load(&cpu, 0, "48 ff c0 ff c9 75 f9");
	cpu.gpr[X86_RCX] = 1000;
	x86_set_interrupt(&cpu, 1);
	CHECK(x86_run(&cpu) == X86_EXIT_INTERRUPT && cpu.gpr[X86_RAX] == 0);
	x86_set_interrupt(&cpu, 0);
	CHECK(run_to_fault(&cpu) == X86_SIGILL && cpu.rip == end && cpu.gpr[X86_RAX] == 1000);
}

/* The host fault path declines faults outside guest execution. */
static void test_host_fault_not_guest(void)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_code = 1;
	x86_host_fault(11, &si, NULL); /* returns: no guest code is running */
	CHECK(1);
}

/* ---- the block cache: code unmapped and mapped again ---- */

/* Runs from `rip` to the UD2 that ends the code there; returns EAX. */
static uint64_t run_at(uint64_t rip)
{
	struct cpu cpu;
	x86_cpu_init(&cpu);
	cpu.rip = rip;
	cpu.gpr[X86_RSP] = (uint64_t)(uintptr_t)(stack_area + 1000);
	CHECK(run_to_fault(&cpu) == X86_SIGILL);
	return cpu.gpr[X86_RAX];
}

static uint8_t *map_code(void *at, size_t len, int flags)
{
	uint8_t *p = mmap(at, len, PROT_READ | PROT_WRITE | PROT_EXEC,
			  MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/* What the runtime does on munmap: the pages go, then x86_invalidate;
 * code mapped there later must be decoded afresh, also when only the
 * second page of a block whose first instruction straddles two pages is
 * replaced. */
static void test_unmap_remap(void)
{
	static const uint8_t first[] = {0xb8, 0x05, 0, 0, 0, 0x0f, 0x0b};  /* mov eax, 5; ud2 */
	static const uint8_t second[] = {0xb8, 0x07, 0, 0, 0, 0x0f, 0x0b}; /* mov eax, 7; ud2 */
	static const uint8_t tail_a[] = {0x00, 0x00, 0x00, 0x0f, 0x0b};
	static const uint8_t tail_b[] = {0x03, 0x00, 0x00, 0x0f, 0x0b};
	uint8_t *m = map_code(NULL, 0x2000, 0);
	uint64_t base = (uint64_t)(uintptr_t)m;

	/* mov eax, imm32 from 0xffe: opcode and the imm's low byte on the
	 * first page, the rest of it (and the UD2) on the second. */
	m[0xffe] = 0xb8;
	m[0xfff] = 0x01;
	memcpy(m + 0x1000, tail_a, sizeof tail_a);
	memcpy(m, first, sizeof first);
	CHECK(run_at(base) == 5);
	CHECK(run_at(base + 0xffe) == 1);

	/* The cache is real: a write nobody reports leaves the old decode. */
	m[0x1000] = 0x22;
	CHECK(run_at(base + 0xffe) == 1);

	/* The second page replaced: the straddling block must go. */
	munmap(m + 0x1000, 0x1000);
	x86_invalidate(base + 0x1000, 0x1000);
	CHECK(map_code(m + 0x1000, 0x1000, MAP_FIXED) == m + 0x1000);
	memcpy(m + 0x1000, tail_b, sizeof tail_b);
	CHECK(run_at(base + 0xffe) == 0x301);
	CHECK(run_at(base) == 5); /* the first page's other block stays valid */

	/* Both pages replaced, other code at the same address. */
	munmap(m, 0x2000);
	x86_invalidate(base, 0x2000);
	CHECK(map_code(m, 0x1000, MAP_FIXED) == m);
	memcpy(m, second, sizeof second);
	CHECK(run_at(base) == 7);
	munmap(m, 0x1000);
	x86_invalidate(base, 0x1000);
}

/* ---- threads ---- */

#define NTHREADS 4
#define ITERS	 20000

static uint8_t shared_mem[64] __attribute__((aligned(64)));
static volatile int stop_invalidating;

struct worker {
	pthread_t tid;
	unsigned off; /* its own code */
	int ok;
};

/* loop: mov eax, 1; lock xadd [rbx], eax (aligned); lock add [rsi], edx
 * (misaligned: the split-lock path); retry: mov rax, [rdi]; mov rdx,
 * [rdi+8]; lea rbx, [rax+1]; lea rcx, [rdx+2]; lock cmpxchg16b [rdi];
 * jnz retry; mov rbx, r10; mov edx, 1; dec r11d; jnz loop */
static const char *const worker_code =
	"b8 01 00 00 00 f0 0f c1 03 f0 01 16 48 8b 07 48 8b 57 08 48 8d 58 01 48 8d 4a 02 "
	"f0 48 0f c7 0f 75 ea 4c 89 d3 ba 01 00 00 00 41 ff cb 75 d1";

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct cpu cpu;
	x86_cpu_init(&cpu);
	cpu.rip = (uint64_t)(uintptr_t)code_page + w->off;
	cpu.gpr[X86_RBX] = (uint64_t)(uintptr_t)shared_mem;
	cpu.gpr[X86_R10] = cpu.gpr[X86_RBX];
	cpu.gpr[X86_RSI] = (uint64_t)(uintptr_t)shared_mem + 17;
	cpu.gpr[X86_RDI] = (uint64_t)(uintptr_t)shared_mem + 32;
	cpu.gpr[X86_RDX] = 1;
	cpu.gpr[X86_R11] = ITERS;
	w->ok = run_to_fault(&cpu) == X86_SIGILL && cpu.gpr[X86_R11] == 0;
	return NULL;
}

static void *invalidator_main(void *arg)
{
	while (!stop_invalidating)
		x86_invalidate((uint64_t)(uintptr_t)code_page, 0x10000);
	return NULL;
}

static void test_threads(void)
{
	struct worker w[NTHREADS];
	pthread_t inv;
	uint32_t xadd, split;
	uint64_t lo, hi;
	size_t n;
	uint8_t *p;

	/* One copy of the code per thread, in different pages. */
	for (int t = 0; t < NTHREADS; t++) {
		p = code_page + 0x1000 * (unsigned)(t + 1);
		n = 0;
		for (const char *h = worker_code; *h;) {
			if (*h == ' ') {
				h++;
				continue;
			}
			p[n++] = (uint8_t)strtoul((char[]){h[0], h[1], 0}, NULL, 16);
			h += 2;
		}
		p[n] = 0x0f;
		p[n + 1] = 0x0b;
		w[t].off = 0x1000 * (unsigned)(t + 1);
	}
	x86_invalidate((uint64_t)(uintptr_t)code_page, 0x10000);
	memset(shared_mem, 0, sizeof shared_mem);
	stop_invalidating = 0;
	pthread_create(&inv, NULL, invalidator_main, NULL);
	for (int t = 0; t < NTHREADS; t++)
		pthread_create(&w[t].tid, NULL, worker_main, &w[t]);
	for (int t = 0; t < NTHREADS; t++) {
		pthread_join(w[t].tid, NULL);
		CHECK(w[t].ok);
	}
	stop_invalidating = 1;
	pthread_join(inv, NULL);
	memcpy(&xadd, shared_mem, 4);
	memcpy(&split, shared_mem + 17, 4);
	memcpy(&lo, shared_mem + 32, 8);
	memcpy(&hi, shared_mem + 40, 8);
	CHECK(xadd == NTHREADS * ITERS);
	CHECK(split == NTHREADS * ITERS);
	CHECK(lo == NTHREADS * ITERS && hi == 2ull * NTHREADS * ITERS);
}

int main(void)
{
	code_init();
	test_cpuid();
	test_time_and_entropy();
	test_xgetbv_and_umip();
	test_traps();
	test_interrupt();
	test_host_fault_not_guest();
	test_unmap_remap();
	test_threads();
	if (failures) {
		fprintf(stderr, "interp_test: %d checks failed\n", failures);
		return 1;
	}
	printf("interp_test: all checks passed\n");
	return 0;
}
