/* harness.h — differential testing of instruction semantics.
 *
 * A snippet is machine code plus an initial machine state (GPRs, RFLAGS,
 * FS/GS base, an FXSAVE image holding x87/MXCSR/XMM, one page of memory).
 * It runs natively (x86-64 hosts, in a child process) and in the
 * interpreter, from the same fixed addresses, and the final states are
 * compared. Every snippet ends at a UD2 the harness appends: reaching it is
 * a SIGILL at code + len, which both runners report like any other fault.
 * See tests/x86/README.md.
 */
#ifndef XLATE_TESTS_X86_HARNESS_H
#define XLATE_TESTS_X86_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fixed guest layout, the same natively and in the interpreter. */
#define SNIP_CODE_ADDR	0x10000000ull /* code, RWX, two pages, then a guard page */
#define SNIP_CODE_SIZE	0x2000u
#define SNIP_CODE_MAX	256u	      /* longest snippet */
#define SNIP_MEM_ADDR	0x20000000ull /* data page, read-write, compared */
#define SNIP_MEM_SIZE	0x1000u
#define SNIP_GUARD_ADDR 0x20001000ull /* no access */
#define SNIP_RO_ADDR	0x20002000ull /* read-only page, fixed pattern */

/* RFLAGS bits compared: CF PF AF ZF SF DF OF AC ID. */
#define SNIP_RFLAGS_MASK 0x240cd5ull
#define SNIP_FX_COMPARED 416u /* FXSAVE bytes 416-511 are reserved/free */

struct snip_fault {
	int32_t signo, code;
	uint64_t addr, trapno, err;
};

struct snip_state {
	uint64_t gpr[16];
	uint64_t rip; /* initial state: where the code is loaded and starts (in the code pages) */
	uint64_t rflags;
	uint64_t fs_base, gs_base;
	uint8_t fx[512] __attribute__((aligned(64)));
	struct snip_fault fault; /* how the run stopped (initial state: unused) */
	uint8_t mem[SNIP_MEM_SIZE];
};

struct snip {
	struct snip_state init;
	uint8_t code[SNIP_CODE_MAX];
	unsigned len;
};

/* ---- runners ---- */

/* The interpreter, in this process (any host). */
void snip_interp_setup(void);
void snip_interp_run(const struct snip *s, struct snip_state *out);
/* The first half of snip_interp_run: the snippet's code and memory in
 * place, *cpu in its initial state (for tests that run it their own way). */
struct cpu;
void snip_interp_load(const struct snip *s, struct cpu *cpu);

/* Native execution (x86-64 hosts only): runs n snippets in a child
 * process. Returns 0, or -1 when the child died (then *done tells how many
 * finished). */
int snip_native_run(const struct snip *s, struct snip_state *out, size_t n, size_t *done);

/* ---- states ---- */

/* Fills fields both runners leave to the harness: masks RFLAGS and clears
 * the FXSAVE bytes that are not compared. */
void snip_state_normalize(struct snip_state *st);

/* What to ignore when comparing. */
struct snip_mask {
	uint64_t rflags; /* RFLAGS bits to ignore (undefined flags on non-Intel hosts) */
	bool x87_ptrs;	 /* ignore FOP, FIP, FDP */
};

/* Returns true when equal; else prints the differences (with the
 * snippet's disassembly) to stderr under `title`. */
bool snip_compare(const struct snip *s, const struct snip_state *expect,
		  const struct snip_state *got, const struct snip_mask *mask, const char *title);

/* Prints a state (for show commands). */
void snip_print_state(const struct snip_state *st);

/* ---- the host ---- */

bool snip_host_is_intel(void);

#endif
