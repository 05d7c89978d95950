/* forms.h — instruction forms for the differential test, and the cases
 * generated from them. See tests/x86/README.md for how to add forms.
 *
 * A form is one row of the SDM opcode table: the opcode column (`enc`,
 * e.g. "REX.W + 0F AF /r") and the instruction column (`syntax`, e.g.
 * "IMUL r64, r/m64"). The generator parses both, expands r/m operands into
 * a register variant and a memory variant, and makes cases: the cross
 * product of the edge values of the first two scalar operands, then random
 * ones; registers, addressing modes, flags and the rest of the machine
 * state vary from case to case (deterministically: every variant has its
 * own PRNG seeded from its name, so adding forms changes no other case).
 */
#ifndef XLATE_TESTS_X86_FORMS_H
#define XLATE_TESTS_X86_FORMS_H

#include "tests/x86/harness.h"

/* Value classes of operands. */
enum x86_vclass {
	VC_AUTO = 0, /* integers for GPR/memory/immediates, random bytes for vectors */
	VC_INT,	     /* integer edges of the operand size: 0 1 2 0xf 0x10 max min -1 ... */
	VC_COUNT,    /* shift counts: 0 1 2 3 7 8 9 15 16 17 31 32 33 63 64 65 127 128 255 */
	VC_SMALL,    /* 0 .. 15 */
	VC_RANDOM,   /* random bits */
	VC_I8,	     /* vectors: lanes of this type, from edges and random */
	VC_I16,
	VC_I32,
	VC_I64,
	VC_F32, /* scalar or lanes: zeros, ones, denormals, min/max normal, inf, NaNs, ... */
	VC_F64,
	VC_F80, /* x87 extended: the above plus pseudo-denormals, unnormals, pseudo-NaN */
};

/* Form flags. */
#define FORM_FLAGS_SWEEP     (1u << 0)	/* input flags walk all 64 CF/PF/AF/ZF/SF/OF patterns */
#define FORM_DF		     (1u << 1)	/* random DF (default 0) */
#define FORM_MXCSR	     (1u << 2)	/* random rounding, DAZ, FTZ, sticky flags; all masked */
#define FORM_MXCSR_UNMASK    (1u << 3)	/* random exception masks too */
#define FORM_X87	     (1u << 4)	/* x87 state: random TOP, rounding/precision, all valid */
#define FORM_MISALIGN	     (1u << 5)	/* the memory operand is misaligned */
#define FORM_NO_MEM	     (1u << 6)	/* skip the memory variant of r/m operands */
#define FORM_REL_SKIP	     (1u << 7)	/* relN jumps over a 2-byte filler (inc eax) */
#define FORM_NO_REG	     (1u << 8)	/* skip the register variant of r/m operands */
#define FORM_ADDR32	     (1u << 9)	/* memory operand with a 67 (32-bit address) prefix */
#define FORM_IGNORE_X87_PTRS (1u << 10) /* do not compare FOP, FIP, FDP */
#define FORM_CARRY	     (1u << 11) /* every edge case with CF = OF = 0 and with 1 */
#define FORM_MMX	     (1u << 12) /* FORM_X87, some registers empty, sometimes #MF pending */

/* What a setup hook sees of a generated case. */
struct x86_case {
	unsigned index; /* case number within its variant */
	uint64_t rng;	/* PRNG state: use x86_case_rand() */
	bool mem;	/* memory variant */
	uint64_t ea;	/* address of the memory operand (if any) */
	int nopnd;
	struct {
		int gpr;	/* GPR number holding it (X86_AH+k: high byte), else -1 */
		int xmm;	/* XMM/MMX/ST number, else -1 */
		uint64_t value; /* its scalar value (low 64 bits for vectors) */
		unsigned size;	/* bytes */
	} opnd[4];
};

uint64_t x86_case_rand(struct x86_case *c);
/* Integer edge k (0 <= k < X86_INT_EDGES) of a `size`-byte value. */
#define X86_INT_EDGES 13
uint64_t x86_int_edge(unsigned k, unsigned size);

struct x86_form {
	const char *enc;    /* opcode column; NULL for a raw snippet */
	const char *syntax; /* instruction column (for raw snippets: a name) */
	unsigned flags;	    /* FORM_* */
	uint8_t vclass[4];  /* per operand, in syntax order (enum x86_vclass) */
	uint16_t avoid;	    /* GPRs (bit n = register n) not to use for operands */
	unsigned cases;	    /* 0: the generator's default */
	const char *raw;    /* raw snippets: the code, as hex bytes "0f a2 90" */
	/* Adjusts the initial state after operand values are placed. */
	void (*setup)(struct snip *s, struct x86_case *c);
};

/* A named set of forms (one per semantics part: "int", "simd", "x87");
 * its expectations live in tests/x86/expect/<name>.xexp. */
struct x86_form_set {
	const char *name;
	const struct x86_form *forms;
	size_t n;
	struct x86_form_set *next;
};

void x86_form_set_register(struct x86_form_set *set);
struct x86_form_set *x86_form_sets(void); /* sorted by name */

#define X86_FORM_SET(var, setname, array)                                                          \
	static struct x86_form_set var = {setname, array, sizeof array / sizeof array[0], 0};      \
	__attribute__((constructor)) static void var##_register(void)                              \
	{                                                                                          \
		x86_form_set_register(&var);                                                       \
	}

/* ---- generation (gen.c) ---- */

/* One variant of a form: register or memory form of its r/m operand. */
struct x86_variant {
	const struct x86_form *form;
	char key[160];	/* unique: encoding | syntax of the variant */
	bool mem;	/* the r/m operand is memory */
	unsigned cases; /* number of cases */
};

/* Expands a form into its variants (at most 2); returns how many, or -1
 * when the form cannot be parsed (a message says why). */
int x86_form_variants(const struct x86_form *f, struct x86_variant out[2]);

/* Generates case `index` of a variant. */
void x86_case_make(const struct x86_variant *v, unsigned index, struct snip *s);

/* Flags the SDM leaves undefined after the variant's instruction (the
 * first of a raw snippet), as RFLAGS bits. */
uint64_t x86_variant_undef_flags(const struct x86_variant *v);

#endif
