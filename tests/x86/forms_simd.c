/* forms_simd.c — differential-test forms of the MMX, SSE-SSE4.2, AES-NI and
 * PCLMULQDQ semantics (sem_simd_int.h, sem_sse.h): every legacy, MMX and
 * VEX-128 form of their ops that this CPU runs. Set "simd".
 *
 * Floating-point forms take random MXCSR settings (rounding, DAZ, FTZ,
 * sticky flags; the VEX rows random exception masks too, so that unmasked
 * exceptions fault). MMX forms start from a random x87 state (TOP, some
 * registers empty, now and then an unmasked exception pending) so that the
 * switch to MMX mode and #MF show. Not here: MOVNTSS and
 * MOVNTSD (AMD SSE4a; #UD on Intel).
 */
#include "config.h"

#include <string.h>

#include "tests/x86/forms.h"
#include "translator/x86/x86.h"

/* ---- setup hooks ---- */

/* Where operand i's bytes live in the initial state: memory, an XMM
 * register, or an MMX register (physical register n is ST((n - TOP) & 7)). */
static uint8_t *opnd_bytes(struct snip *s, struct x86_case *c, int i)
{
	if (c->opnd[i].xmm < 0)
		return s->init.mem + (c->ea - SNIP_MEM_ADDR);
	if (c->opnd[i].size == 8) {
		unsigned top = s->init.fx[3] >> 3 & 7;
		return s->init.fx + 32 + 16 * ((unsigned)(c->opnd[i].xmm - (int)top) & 7);
	}
	return s->init.fx + 160 + 16 * c->opnd[i].xmm;
}

/* Shifts by a register or memory count (the last operand): counts around
 * each element width, and now and then garbage in the high bits. */
static void shift_count(struct snip *s, struct x86_case *c)
{
	static const uint64_t counts[] = {0, 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255};
	uint64_t n = counts[c->index % (sizeof counts / sizeof counts[0])];
	if (c->index % 5 == 4)
		n |= x86_case_rand(c) << 32;
	memcpy(opnd_bytes(s, c, c->nopnd - 1), &n, 8);
}

/* PCMPxSTRx: strings over a small alphabet with zeros in them (implicit
 * lengths), the needle often copied into the haystack, and EAX/EDX lengths
 * around 0-17 (sometimes negative or huge). */
static void string_setup(struct snip *s, struct x86_case *c)
{
	static const uint8_t alpha[] = {0, 'a', 'b', 'c', 0x7f, 0x80, 0xff, 'z', 1, 'a', 'b'};
	static const int64_t lens[] = {-1, -8, -17, 100, 0x7fffffff, -0x80000000ll, 0x100000004ll};
	uint8_t str[2][16];
	unsigned mode = (unsigned)(x86_case_rand(c) % 4);
	for (unsigned k = 0; k < 2; k++)
		for (unsigned i = 0; i < 16; i++)
			str[k][i] = mode == 0	? (uint8_t)x86_case_rand(c)
				    : mode == 1 ? alpha[1 + x86_case_rand(c) % (sizeof alpha - 1)]
						: alpha[x86_case_rand(c) % sizeof alpha];
	if (c->index % 3 == 0) { /* one PRNG call per statement: same order on every host */
		unsigned at = (unsigned)(x86_case_rand(c) % 8);
		memcpy(&str[1][at], str[0], 4 + x86_case_rand(c) % 4);
	}
	memcpy(opnd_bytes(s, c, 0), str[0], 16);
	memcpy(opnd_bytes(s, c, 1), str[1], 16);
	for (int r = X86_RAX; r <= X86_RDX; r += X86_RDX - X86_RAX) {
		uint64_t rr = x86_case_rand(c);
		int64_t len = rr % 4 ? (int64_t)(rr >> 8) % 18 : lens[(rr >> 8) % 7];
		s->init.gpr[r] = (uint64_t)len ^ (rr % 3 ? 0 : 0xffffffff00000000ull);
	}
}

/* PTEST: also the cases where the AND, or the ANDN, is zero. */
static void ptest_setup(struct snip *s, struct x86_case *c)
{
	uint8_t *a = opnd_bytes(s, c, 0), *b = opnd_bytes(s, c, 1);
	for (unsigned i = 0; i < 16; i++) {
		switch (c->index % 4) {
		case 1: b[i] &= (uint8_t)~a[i]; break; /* a AND b = 0 */
		case 2: b[i] &= a[i]; break;	       /* NOT a AND b = 0 */
		case 3: b[i] = 0; break;	       /* both */
		default: break;
		}
	}
}

/* MASKMOVQ/MASKMOVDQU store to [RDI]: point it into the data page. */
static void maskmov_setup(struct snip *s, struct x86_case *c)
{
	s->init.gpr[X86_RDI] = SNIP_MEM_ADDR + 0x700 + x86_case_rand(c) % 0x100;
}

/* ---- the table ---- */

// clang-format off
/* A form with value classes (VC_...) per operand; the same with a case
 * count N; with a setup hook; a raw snippet (the generator has no is4
 * operand, so the VEX variable blends are spelled out). */
#define FV(ENC, SYN, FL, ...) {.enc = ENC, .syntax = SYN, .flags = FL, .vclass = {__VA_ARGS__}}
#define FN(ENC, SYN, FL, N, ...) \
	{.enc = ENC, .syntax = SYN, .flags = FL, .cases = N, .vclass = {__VA_ARGS__}}
#define FS(ENC, SYN, FL, N, SETUP, ...) \
	{.enc = ENC, .syntax = SYN, .flags = FL, .cases = N, .setup = SETUP, .vclass = {__VA_ARGS__}}
#define FR(SYN, RAW) {.syntax = SYN, .raw = RAW}

#define MXCSR FORM_MXCSR
#define MMX   (FORM_X87 | FORM_MMX)
#define UNMASK FORM_MXCSR_UNMASK

/* Packed and scalar single/double arithmetic at 0F opc. */
#define FP4(NAME, OPC) \
	FV("NP 0F " OPC " /r", NAME "PS xmm1, xmm2/m128", MXCSR, VC_F32, VC_F32), \
	FV("66 0F " OPC " /r", NAME "PD xmm1, xmm2/m128", MXCSR, VC_F64, VC_F64), \
	FV("F3 0F " OPC " /r", NAME "SS xmm1, xmm2/m32", MXCSR, VC_F32, VC_F32), \
	FV("F2 0F " OPC " /r", NAME "SD xmm1, xmm2/m64", MXCSR, VC_F64, VC_F64), \
	FV("VEX.128.0F.WIG " OPC " /r", "V" NAME "PS xmm1, xmm2, xmm3/m128", UNMASK, 0, VC_F32, VC_F32), \
	FV("VEX.128.66.0F.WIG " OPC " /r", "V" NAME "PD xmm1, xmm2, xmm3/m128", UNMASK, 0, VC_F64, VC_F64), \
	FV("VEX.LIG.F3.0F.WIG " OPC " /r", "V" NAME "SS xmm1, xmm2, xmm3/m32", UNMASK, 0, VC_F32, VC_F32), \
	FV("VEX.LIG.F2.0F.WIG " OPC " /r", "V" NAME "SD xmm1, xmm2, xmm3/m64", UNMASK, 0, VC_F64, VC_F64)

/* A two-source packed op at 0F opc, legacy and VEX (P: NP, 66, F2). */
#define PS2(P, OPC, NAME, FL, VC) \
	FV(P " 0F " OPC " /r", NAME " xmm1, xmm2/m128", FL, VC, VC), \
	FV("VEX.128." P ".0F.WIG " OPC " /r", "V" NAME " xmm1, xmm2, xmm3/m128", FL, 0, VC, VC)
#define X2(OPC, NAME, VC) PS2("66", OPC, NAME, 0, VC)

/* MMX and SSE forms of an integer op (map 0F or 0F 38), and its VEX form. */
#define MX(MAP, VMAP, OPC, NAME, VC, SETUP) \
	FS("NP " MAP " " OPC " /r", NAME " mm, mm/m64", MMX, 0, SETUP, VC, VC), \
	FS("66 " MAP " " OPC " /r", NAME " xmm1, xmm2/m128", 0, 0, SETUP, VC, VC), \
	FS("VEX.128.66." VMAP ".WIG " OPC " /r", "V" NAME " xmm1, xmm2, xmm3/m128", 0, 0, SETUP, 0, VC, VC)
#define M1(OPC, NAME, VC) MX("0F", "0F", OPC, NAME, VC, NULL)
#define M2(OPC, NAME, VC) MX("0F 38", "0F38", OPC, NAME, VC, NULL)
/* Shift by a register or memory count. */
#define SHR(OPC, NAME, VC) MX("0F", "0F", OPC, NAME, VC, shift_count)

/* SSE-only integer op (66 0F 38 opc) and its VEX form. */
#define S38(OPC, NAME, VC) \
	FV("66 0F 38 " OPC " /r", NAME " xmm1, xmm2/m128", 0, VC, VC), \
	FV("VEX.128.66.0F38.WIG " OPC " /r", "V" NAME " xmm1, xmm2, xmm3/m128", 0, 0, VC, VC)

/* Shift by an immediate: group 0F 71-73 /n. */
#define SHI(OPC, N, NAME) \
	FV("NP 0F " OPC " /" N " ib", NAME " mm, imm8", MMX, VC_RANDOM, VC_COUNT), \
	FV("66 0F " OPC " /" N " ib", NAME " xmm1, imm8", 0, VC_RANDOM, VC_COUNT), \
	FV("VEX.128.66.0F.WIG " OPC " /" N " ib", "V" NAME " xmm1, xmm2, imm8", 0, 0, VC_RANDOM, VC_COUNT)

/* PMOVSX/PMOVZX from a memory operand of size M. */
#define PMOVX(OPC, NAME, M) \
	FV("66 0F 38 " OPC " /r", NAME " xmm1, xmm2/m" M, 0), \
	FV("VEX.128.66.0F38.WIG " OPC " /r", "V" NAME " xmm1, xmm2/m" M, 0)

/* PCMPxSTRx: legacy, REX.W (64-bit lengths), VEX, and misaligned memory. */
#define STR(OPC, NAME) \
	FS("66 0F 3A " OPC " /r ib", NAME " xmm1, xmm2/m128, imm8", 0, 400, string_setup), \
	FS("66 REX.W 0F 3A " OPC " /r ib", NAME " xmm1, xmm2/m128, imm8", FORM_NO_MEM, 200, string_setup), \
	FS("VEX.128.66.0F3A.WIG " OPC " /r ib", "V" NAME " xmm1, xmm2/m128, imm8", 0, 200, string_setup), \
	FS("66 0F 3A " OPC " /r ib", NAME " xmm1, xmm2/m128, imm8", FORM_MISALIGN | FORM_NO_REG, 100, string_setup)

/* CVTSI2SS/SD from r/m32 and r/m64, legacy and VEX. */
#define CVTSI(P, NAME) \
	FV(P " 0F 2A /r", NAME " xmm1, r/m32", MXCSR, 0, VC_INT), \
	FV(P " REX.W 0F 2A /r", NAME " xmm1, r/m64", MXCSR, 0, VC_INT), \
	FV("VEX.LIG." P ".0F.W0 2A /r", "V" NAME " xmm1, xmm2, r/m32", UNMASK, 0, 0, VC_INT), \
	FV("VEX.LIG." P ".0F.W1 2A /r", "V" NAME " xmm1, xmm2, r/m64", UNMASK, 0, 0, VC_INT)

/* CVT(T)SS2SI/SD2SI to r32 and r64, legacy and VEX. */
#define CVTSX(P, OPC, NAME, M, VC) \
	FV(P " 0F " OPC " /r", NAME " r32, xmm1/" M, MXCSR, 0, VC), \
	FV(P " REX.W 0F " OPC " /r", NAME " r64, xmm1/" M, MXCSR, 0, VC), \
	FV("VEX.LIG." P ".0F.W0 " OPC " /r", "V" NAME " r32, xmm1/" M, UNMASK, 0, VC), \
	FV("VEX.LIG." P ".0F.W1 " OPC " /r", "V" NAME " r64, xmm1/" M, UNMASK, 0, VC)

/* One-source conversions and unary packed ops, legacy and VEX. */
#define CVT(P, OPC, NAME, SRC, VC) \
	FN(P " 0F " OPC " /r", NAME " xmm1, xmm2/" SRC, MXCSR, 25 + 200, 0, VC), \
	FN("VEX.128." P ".0F.WIG " OPC " /r", "V" NAME " xmm1, xmm2/" SRC, UNMASK, 25 + 100, 0, VC)

/* Scalar unary ops: (dst, src1 for the upper elements, src2) in VEX. */
#define SCALAR1(P, OPC, NAME, M, VC) \
	FN(P " 0F " OPC " /r", NAME " xmm1, xmm2/" M, MXCSR, 26 + 200, 0, VC), \
	FN("VEX.LIG." P ".0F.WIG " OPC " /r", "V" NAME " xmm1, xmm2, xmm3/" M, UNMASK, 26 + 100, 0, 0, VC)

static const struct x86_form forms[] = {
	/* ---- SSE/SSE2 floating point ---- */
	FP4("ADD", "58"),
	FP4("MUL", "59"),
	FP4("SUB", "5C"),
	FP4("MIN", "5D"),
	FP4("DIV", "5E"),
	FP4("MAX", "5F"),
	CVT("NP", "51", "SQRTPS", "m128", VC_F32),
	CVT("66", "51", "SQRTPD", "m128", VC_F64),
	SCALAR1("F3", "51", "SQRTSS", "m32", VC_F32),
	SCALAR1("F2", "51", "SQRTSD", "m64", VC_F64),
	CVT("NP", "52", "RSQRTPS", "m128", VC_F32),
	CVT("NP", "53", "RCPPS", "m128", VC_F32),
	SCALAR1("F3", "52", "RSQRTSS", "m32", VC_F32),
	SCALAR1("F3", "53", "RCPSS", "m32", VC_F32),
	PS2("NP", "54", "ANDPS", 0, VC_F32),
	PS2("66", "54", "ANDPD", 0, VC_F64),
	PS2("NP", "55", "ANDNPS", 0, VC_F32),
	PS2("66", "55", "ANDNPD", 0, VC_F64),
	PS2("NP", "56", "ORPS", 0, VC_F32),
	PS2("66", "56", "ORPD", 0, VC_F64),
	PS2("NP", "57", "XORPS", 0, VC_F32),
	PS2("66", "57", "XORPD", 0, VC_F64),
	PS2("NP", "14", "UNPCKLPS", 0, VC_F32),
	PS2("66", "14", "UNPCKLPD", 0, VC_F64),
	PS2("NP", "15", "UNPCKHPS", 0, VC_F32),
	PS2("66", "15", "UNPCKHPD", 0, VC_F64),
	FV("NP 0F C2 /r ib", "CMPPS xmm1, xmm2/m128, imm8", MXCSR, VC_F32, VC_F32, VC_RANDOM),
	FV("66 0F C2 /r ib", "CMPPD xmm1, xmm2/m128, imm8", MXCSR, VC_F64, VC_F64, VC_RANDOM),
	FV("F3 0F C2 /r ib", "CMPSS xmm1, xmm2/m32, imm8", MXCSR, VC_F32, VC_F32, VC_RANDOM),
	FV("F2 0F C2 /r ib", "CMPSD xmm1, xmm2/m64, imm8", MXCSR, VC_F64, VC_F64, VC_RANDOM),
	FV("VEX.128.0F.WIG C2 /r ib", "VCMPPS xmm1, xmm2, xmm3/m128, imm8", UNMASK, 0, VC_F32,
	   VC_F32, VC_RANDOM),
	FV("VEX.128.66.0F.WIG C2 /r ib", "VCMPPD xmm1, xmm2, xmm3/m128, imm8", UNMASK, 0, VC_F64,
	   VC_F64, VC_RANDOM),
	FV("VEX.LIG.F3.0F.WIG C2 /r ib", "VCMPSS xmm1, xmm2, xmm3/m32, imm8", UNMASK, 0, VC_F32,
	   VC_F32, VC_RANDOM),
	FV("VEX.LIG.F2.0F.WIG C2 /r ib", "VCMPSD xmm1, xmm2, xmm3/m64, imm8", UNMASK, 0, VC_F64,
	   VC_F64, VC_RANDOM),
	FV("NP 0F 2F /r", "COMISS xmm1, xmm2/m32", MXCSR, VC_F32, VC_F32),
	FV("66 0F 2F /r", "COMISD xmm1, xmm2/m64", MXCSR, VC_F64, VC_F64),
	FV("NP 0F 2E /r", "UCOMISS xmm1, xmm2/m32", MXCSR, VC_F32, VC_F32),
	FV("66 0F 2E /r", "UCOMISD xmm1, xmm2/m64", MXCSR, VC_F64, VC_F64),
	FV("VEX.LIG.0F.WIG 2F /r", "VCOMISS xmm1, xmm2/m32", UNMASK, VC_F32, VC_F32),
	FV("VEX.LIG.66.0F.WIG 2F /r", "VCOMISD xmm1, xmm2/m64", UNMASK, VC_F64, VC_F64),
	FV("VEX.LIG.0F.WIG 2E /r", "VUCOMISS xmm1, xmm2/m32", UNMASK, VC_F32, VC_F32),
	FV("VEX.LIG.66.0F.WIG 2E /r", "VUCOMISD xmm1, xmm2/m64", UNMASK, VC_F64, VC_F64),
	FV("NP 0F C6 /r ib", "SHUFPS xmm1, xmm2/m128, imm8", 0, 0, 0, VC_RANDOM),
	FV("66 0F C6 /r ib", "SHUFPD xmm1, xmm2/m128, imm8", 0, 0, 0, VC_RANDOM),
	FV("VEX.128.0F.WIG C6 /r ib", "VSHUFPS xmm1, xmm2, xmm3/m128, imm8", 0),
	FV("VEX.128.66.0F.WIG C6 /r ib", "VSHUFPD xmm1, xmm2, xmm3/m128, imm8", 0),

	/* ---- moves ---- */
	FV("NP 0F 10 /r", "MOVUPS xmm1, xmm2/m128", 0),
	FV("NP 0F 11 /r", "MOVUPS xmm2/m128, xmm1", 0),
	FV("66 0F 10 /r", "MOVUPD xmm1, xmm2/m128", 0),
	FV("66 0F 11 /r", "MOVUPD xmm2/m128, xmm1", 0),
	FV("NP 0F 10 /r", "MOVUPS xmm1, xmm2/m128", FORM_MISALIGN | FORM_NO_REG),
	FV("66 0F 11 /r", "MOVUPD xmm2/m128, xmm1", FORM_MISALIGN | FORM_NO_REG),
	FV("VEX.128.0F.WIG 10 /r", "VMOVUPS xmm1, xmm2/m128", 0),
	FV("VEX.128.0F.WIG 11 /r", "VMOVUPS xmm2/m128, xmm1", 0),
	FV("VEX.128.66.0F.WIG 10 /r", "VMOVUPD xmm1, xmm2/m128", FORM_MISALIGN),
	FV("VEX.128.66.0F.WIG 11 /r", "VMOVUPD xmm2/m128, xmm1", 0),
	FV("NP 0F 28 /r", "MOVAPS xmm1, xmm2/m128", 0),
	FV("NP 0F 29 /r", "MOVAPS xmm2/m128, xmm1", 0),
	FV("66 0F 28 /r", "MOVAPD xmm1, xmm2/m128", 0),
	FV("66 0F 29 /r", "MOVAPD xmm2/m128, xmm1", 0),
	FN("NP 0F 28 /r", "MOVAPS xmm1, xmm2/m128", FORM_MISALIGN | FORM_NO_REG, 16),
	FN("66 0F 29 /r", "MOVAPD xmm2/m128, xmm1", FORM_MISALIGN | FORM_NO_REG, 16),
	FV("VEX.128.0F.WIG 28 /r", "VMOVAPS xmm1, xmm2/m128", 0),
	FV("VEX.128.0F.WIG 29 /r", "VMOVAPS xmm2/m128, xmm1", 0),
	FN("VEX.128.66.0F.WIG 28 /r", "VMOVAPD xmm1, xmm2/m128", FORM_MISALIGN | FORM_NO_REG, 16),
	FV("VEX.128.66.0F.WIG 29 /r", "VMOVAPD xmm2/m128, xmm1", 0),
	FV("F3 0F 10 /r", "MOVSS xmm1, xmm2", 0),
	FV("F3 0F 10 /r", "MOVSS xmm1, m32", 0),
	FV("F3 0F 11 /r", "MOVSS xmm2/m32, xmm1", 0),
	FV("VEX.LIG.F3.0F.WIG 10 /r", "VMOVSS xmm1, xmm2, xmm3", 0),
	FV("VEX.LIG.F3.0F.WIG 10 /r", "VMOVSS xmm1, m32", 0),
	FV("VEX.LIG.F3.0F.WIG 11 /r", "VMOVSS xmm1, xmm2, xmm3", 0),
	FV("VEX.LIG.F3.0F.WIG 11 /r", "VMOVSS m32, xmm1", 0),
	FV("F2 0F 10 /r", "MOVSD xmm1, xmm2", 0),
	FV("F2 0F 10 /r", "MOVSD xmm1, m64", 0),
	FV("F2 0F 11 /r", "MOVSD xmm1/m64, xmm2", 0),
	FV("VEX.LIG.F2.0F.WIG 10 /r", "VMOVSD xmm1, xmm2, xmm3", 0),
	FV("VEX.LIG.F2.0F.WIG 10 /r", "VMOVSD xmm1, m64", 0),
	FV("VEX.LIG.F2.0F.WIG 11 /r", "VMOVSD xmm1, xmm2, xmm3", 0),
	FV("VEX.LIG.F2.0F.WIG 11 /r", "VMOVSD m64, xmm1", 0),
	FV("NP 0F 12 /r", "MOVLPS xmm1, m64", 0),
	FV("NP 0F 13 /r", "MOVLPS m64, xmm1", 0),
	FV("NP 0F 12 /r", "MOVHLPS xmm1, xmm2", 0),
	FV("66 0F 12 /r", "MOVLPD xmm1, m64", 0),
	FV("66 0F 13 /r", "MOVLPD m64, xmm1", 0),
	FV("NP 0F 16 /r", "MOVHPS xmm1, m64", 0),
	FV("NP 0F 17 /r", "MOVHPS m64, xmm1", 0),
	FV("NP 0F 16 /r", "MOVLHPS xmm1, xmm2", 0),
	FV("66 0F 16 /r", "MOVHPD xmm1, m64", 0),
	FV("66 0F 17 /r", "MOVHPD m64, xmm1", 0),
	FV("VEX.128.0F.WIG 12 /r", "VMOVLPS xmm2, xmm1, m64", 0),
	FV("VEX.128.0F.WIG 13 /r", "VMOVLPS m64, xmm1", 0),
	FV("VEX.128.0F.WIG 12 /r", "VMOVHLPS xmm1, xmm2, xmm3", 0),
	FV("VEX.128.66.0F.WIG 12 /r", "VMOVLPD xmm2, xmm1, m64", 0),
	FV("VEX.128.66.0F.WIG 13 /r", "VMOVLPD m64, xmm1", 0),
	FV("VEX.128.0F.WIG 16 /r", "VMOVHPS xmm2, xmm1, m64", 0),
	FV("VEX.128.0F.WIG 17 /r", "VMOVHPS m64, xmm1", 0),
	FV("VEX.128.0F.WIG 16 /r", "VMOVLHPS xmm1, xmm2, xmm3", 0),
	FV("VEX.128.66.0F.WIG 16 /r", "VMOVHPD xmm2, xmm1, m64", 0),
	FV("VEX.128.66.0F.WIG 17 /r", "VMOVHPD m64, xmm1", 0),
	FV("F3 0F 12 /r", "MOVSLDUP xmm1, xmm2/m128", 0),
	FV("F3 0F 16 /r", "MOVSHDUP xmm1, xmm2/m128", 0),
	FV("F2 0F 12 /r", "MOVDDUP xmm1, xmm2/m64", 0),
	FV("VEX.128.F3.0F.WIG 12 /r", "VMOVSLDUP xmm1, xmm2/m128", 0),
	FV("VEX.128.F3.0F.WIG 16 /r", "VMOVSHDUP xmm1, xmm2/m128", 0),
	FV("VEX.128.F2.0F.WIG 12 /r", "VMOVDDUP xmm1, xmm2/m64", 0),
	FV("NP 0F 50 /r", "MOVMSKPS reg, xmm", 0),
	FV("66 0F 50 /r", "MOVMSKPD reg, xmm", 0),
	FV("VEX.128.0F.WIG 50 /r", "VMOVMSKPS reg, xmm2", 0),
	FV("VEX.128.66.0F.WIG 50 /r", "VMOVMSKPD reg, xmm2", 0),
	FV("NP 0F 2B /r", "MOVNTPS m128, xmm1", 0),
	FV("66 0F 2B /r", "MOVNTPD m128, xmm1", 0),
	FV("VEX.128.0F.WIG 2B /r", "VMOVNTPS m128, xmm1", 0),
	FN("VEX.128.66.0F.WIG 2B /r", "VMOVNTPD m128, xmm1", FORM_MISALIGN, 16),

	/* ---- conversions ---- */
	FV("NP 0F 2A /r", "CVTPI2PS xmm, mm/m64", MXCSR | MMX, 0, VC_I32),
	FV("66 0F 2A /r", "CVTPI2PD xmm, mm/m64", MXCSR | MMX, 0, VC_I32),
	FN("NP 0F 2D /r", "CVTPS2PI mm, xmm/m64", MXCSR | MMX, 25 + 100, 0, VC_F32),
	FN("NP 0F 2C /r", "CVTTPS2PI mm, xmm/m64", MXCSR | MMX, 25 + 100, 0, VC_F32),
	FN("66 0F 2D /r", "CVTPD2PI mm, xmm/m128", MXCSR | MMX, 26 + 100, 0, VC_F64),
	FN("66 0F 2C /r", "CVTTPD2PI mm, xmm/m128", MXCSR | MMX, 26 + 100, 0, VC_F64),
	CVTSI("F3", "CVTSI2SS"),
	CVTSI("F2", "CVTSI2SD"),
	CVTSX("F3", "2D", "CVTSS2SI", "m32", VC_F32),
	CVTSX("F3", "2C", "CVTTSS2SI", "m32", VC_F32),
	CVTSX("F2", "2D", "CVTSD2SI", "m64", VC_F64),
	CVTSX("F2", "2C", "CVTTSD2SI", "m64", VC_F64),
	CVT("NP", "5A", "CVTPS2PD", "m64", VC_F32),
	CVT("66", "5A", "CVTPD2PS", "m128", VC_F64),
	SCALAR1("F3", "5A", "CVTSS2SD", "m32", VC_F32),
	SCALAR1("F2", "5A", "CVTSD2SS", "m64", VC_F64),
	CVT("NP", "5B", "CVTDQ2PS", "m128", VC_I32),
	CVT("66", "5B", "CVTPS2DQ", "m128", VC_F32),
	CVT("F3", "5B", "CVTTPS2DQ", "m128", VC_F32),
	CVT("F3", "E6", "CVTDQ2PD", "m64", VC_I32),
	CVT("F2", "E6", "CVTPD2DQ", "m128", VC_F64),
	CVT("66", "E6", "CVTTPD2DQ", "m128", VC_F64),

	/* ---- SSE3, SSE4.1 floating point ---- */
	PS2("F2", "D0", "ADDSUBPS", MXCSR, VC_F32),
	PS2("66", "D0", "ADDSUBPD", MXCSR, VC_F64),
	PS2("F2", "7C", "HADDPS", MXCSR, VC_F32),
	PS2("66", "7C", "HADDPD", MXCSR, VC_F64),
	PS2("F2", "7D", "HSUBPS", MXCSR, VC_F32),
	PS2("66", "7D", "HSUBPD", MXCSR, VC_F64),
	FN("66 0F 3A 08 /r ib", "ROUNDPS xmm1, xmm2/m128, imm8", MXCSR, 25 * 16 + 48, 0, VC_F32,
	   VC_SMALL),
	FN("66 0F 3A 09 /r ib", "ROUNDPD xmm1, xmm2/m128, imm8", MXCSR, 26 * 16 + 48, 0, VC_F64,
	   VC_SMALL),
	FV("VEX.128.66.0F3A.WIG 08 /r ib", "VROUNDPS xmm1, xmm2/m128, imm8", UNMASK, 0, VC_F32,
	   VC_SMALL),
	FV("VEX.128.66.0F3A.WIG 09 /r ib", "VROUNDPD xmm1, xmm2/m128, imm8", UNMASK, 0, VC_F64,
	   VC_SMALL),
	FN("66 0F 3A 0A /r ib", "ROUNDSS xmm1, xmm2/m32, imm8", MXCSR, 25 * 16 + 48, 0, VC_F32,
	   VC_SMALL),
	FN("66 0F 3A 0B /r ib", "ROUNDSD xmm1, xmm2/m64, imm8", MXCSR, 26 * 16 + 48, 0, VC_F64,
	   VC_SMALL),
	FV("VEX.LIG.66.0F3A.WIG 0A /r ib", "VROUNDSS xmm1, xmm2, xmm3/m32, imm8", UNMASK, 0, 0,
	   VC_F32, VC_SMALL),
	FV("VEX.LIG.66.0F3A.WIG 0B /r ib", "VROUNDSD xmm1, xmm2, xmm3/m64, imm8", UNMASK, 0, 0,
	   VC_F64, VC_SMALL),
	FV("66 0F 3A 0C /r ib", "BLENDPS xmm1, xmm2/m128, imm8", 0, 0, 0, VC_SMALL),
	FV("66 0F 3A 0D /r ib", "BLENDPD xmm1, xmm2/m128, imm8", 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F3A.WIG 0C /r ib", "VBLENDPS xmm1, xmm2, xmm3/m128, imm8", 0),
	FV("VEX.128.66.0F3A.WIG 0D /r ib", "VBLENDPD xmm1, xmm2, xmm3/m128, imm8", 0),
	FV("66 0F 38 14 /r", "BLENDVPS xmm1, xmm2/m128, <XMM0>", 0),
	FV("66 0F 38 15 /r", "BLENDVPD xmm1, xmm2/m128, <XMM0>", 0),
	/* VEX is4 forms (the generator has no is4 operand): fixed registers */
	FR("VBLENDVPS xmm1, xmm2, xmm3, xmm4", "c4 e3 69 4a cb 40"),
	FR("VBLENDVPD xmm9, xmm12, [rsp-0x100], xmm15", "c4 63 19 4b 8c 24 00 ff ff ff f0"),
	FV("66 0F 3A 40 /r ib", "DPPS xmm1, xmm2/m128, imm8", MXCSR, VC_F32, VC_F32, VC_RANDOM),
	FV("66 0F 3A 41 /r ib", "DPPD xmm1, xmm2/m128, imm8", MXCSR, VC_F64, VC_F64, VC_RANDOM),
	FV("VEX.128.66.0F3A.WIG 40 /r ib", "VDPPS xmm1, xmm2, xmm3/m128, imm8", UNMASK, 0, VC_F32,
	   VC_F32, VC_RANDOM),
	FV("VEX.128.66.0F3A.WIG 41 /r ib", "VDPPD xmm1, xmm2, xmm3/m128, imm8", UNMASK, 0, VC_F64,
	   VC_F64, VC_RANDOM),
	FV("66 0F 3A 17 /r ib", "EXTRACTPS reg/m32, xmm1, imm8", 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F3A.WIG 17 /r ib", "VEXTRACTPS reg/m32, xmm1, imm8", 0, 0, 0, VC_SMALL),
	FV("66 0F 3A 21 /r ib", "INSERTPS xmm1, xmm2/m32, imm8", 0, 0, 0, VC_RANDOM),
	FV("VEX.128.66.0F3A.WIG 21 /r ib", "VINSERTPS xmm1, xmm2, xmm3/m32, imm8", 0),

	/* ---- integer moves ---- */
	FV("NP 0F 6E /r", "MOVD mm, r/m32", MMX),
	FV("NP REX.W + 0F 6E /r", "MOVQ mm, r/m64", MMX),
	FV("NP 0F 7E /r", "MOVD r/m32, mm", MMX),
	FV("NP REX.W + 0F 7E /r", "MOVQ r/m64, mm", MMX),
	FV("66 0F 6E /r", "MOVD xmm, r/m32", 0),
	FV("66 REX.W 0F 6E /r", "MOVQ xmm, r/m64", 0),
	FV("66 0F 7E /r", "MOVD r/m32, xmm", 0),
	FV("66 REX.W 0F 7E /r", "MOVQ r/m64, xmm", 0),
	FV("VEX.128.66.0F.W0 6E /r", "VMOVD xmm1, r32/m32", 0),
	FV("VEX.128.66.0F.W1 6E /r", "VMOVQ xmm1, r64/m64", 0),
	FV("VEX.128.66.0F.W0 7E /r", "VMOVD r32/m32, xmm1", 0),
	FV("VEX.128.66.0F.W1 7E /r", "VMOVQ r64/m64, xmm1", 0),
	FV("NP 0F 6F /r", "MOVQ mm, mm/m64", MMX),
	FV("NP 0F 7F /r", "MOVQ mm/m64, mm", MMX),
	FV("F3 0F 7E /r", "MOVQ xmm1, xmm2/m64", 0),
	FV("66 0F D6 /r", "MOVQ xmm2/m64, xmm1", 0),
	FV("VEX.128.F3.0F.WIG 7E /r", "VMOVQ xmm1, xmm2/m64", 0),
	FV("VEX.128.66.0F.WIG D6 /r", "VMOVQ xmm1/m64, xmm2", 0),
	FV("F3 0F D6 /r", "MOVQ2DQ xmm, mm", MMX),
	FV("F2 0F D6 /r", "MOVDQ2Q mm, xmm", MMX),
	FV("66 0F 6F /r", "MOVDQA xmm1, xmm2/m128", 0),
	FV("66 0F 7F /r", "MOVDQA xmm2/m128, xmm1", 0),
	FV("F3 0F 6F /r", "MOVDQU xmm1, xmm2/m128", 0),
	FV("F3 0F 7F /r", "MOVDQU xmm2/m128, xmm1", 0),
	FN("66 0F 6F /r", "MOVDQA xmm1, xmm2/m128", FORM_MISALIGN | FORM_NO_REG, 16),
	FV("F3 0F 7F /r", "MOVDQU xmm2/m128, xmm1", FORM_MISALIGN | FORM_NO_REG),
	FV("VEX.128.66.0F.WIG 6F /r", "VMOVDQA xmm1, xmm2/m128", 0),
	FV("VEX.128.66.0F.WIG 7F /r", "VMOVDQA xmm2/m128, xmm1", 0),
	FV("VEX.128.F3.0F.WIG 6F /r", "VMOVDQU xmm1, xmm2/m128", FORM_MISALIGN),
	FV("VEX.128.F3.0F.WIG 7F /r", "VMOVDQU xmm2/m128, xmm1", 0),
	FV("F2 0F F0 /r", "LDDQU xmm1, m128", 0),
	FV("F2 0F F0 /r", "LDDQU xmm1, m128", FORM_MISALIGN),
	FV("VEX.128.F2.0F.WIG F0 /r", "VLDDQU xmm1, m128", FORM_MISALIGN),
	FV("NP 0F E7 /r", "MOVNTQ m64, mm", MMX),
	FV("66 0F E7 /r", "MOVNTDQ m128, xmm1", 0),
	FV("VEX.128.66.0F.WIG E7 /r", "VMOVNTDQ m128, xmm1", 0),
	FV("66 0F 38 2A /r", "MOVNTDQA xmm1, m128", 0),
	FN("66 0F 38 2A /r", "MOVNTDQA xmm1, m128", FORM_MISALIGN, 16),
	FV("VEX.128.66.0F38.WIG 2A /r", "VMOVNTDQA xmm1, m128", 0),
	FS("NP 0F F7 /r", "MASKMOVQ mm1, mm2", MMX, 0, maskmov_setup, VC_RANDOM, VC_I8),
	FS("66 0F F7 /r", "MASKMOVDQU xmm1, xmm2", 0, 0, maskmov_setup, VC_RANDOM, VC_I8),
	FS("VEX.128.66.0F.WIG F7 /r", "VMASKMOVDQU xmm1, xmm2", 0, 0, maskmov_setup, VC_RANDOM,
	   VC_I8),
	FN("NP 0F 77", "EMMS", MMX, 64),

	/* ---- integer arithmetic, MMX and SSE ---- */
	M1("FC", "PADDB", VC_I8),
	M1("FD", "PADDW", VC_I16),
	M1("FE", "PADDD", VC_I32),
	M1("D4", "PADDQ", VC_I64),
	M1("EC", "PADDSB", VC_I8),
	M1("ED", "PADDSW", VC_I16),
	M1("DC", "PADDUSB", VC_I8),
	M1("DD", "PADDUSW", VC_I16),
	M1("F8", "PSUBB", VC_I8),
	M1("F9", "PSUBW", VC_I16),
	M1("FA", "PSUBD", VC_I32),
	M1("FB", "PSUBQ", VC_I64),
	M1("E8", "PSUBSB", VC_I8),
	M1("E9", "PSUBSW", VC_I16),
	M1("D8", "PSUBUSB", VC_I8),
	M1("D9", "PSUBUSW", VC_I16),
	M1("D5", "PMULLW", VC_I16),
	M1("E5", "PMULHW", VC_I16),
	M1("E4", "PMULHUW", VC_I16),
	M1("F4", "PMULUDQ", VC_I32),
	M1("F5", "PMADDWD", VC_I16),
	M1("EE", "PMAXSW", VC_I16),
	M1("DE", "PMAXUB", VC_I8),
	M1("EA", "PMINSW", VC_I16),
	M1("DA", "PMINUB", VC_I8),
	M1("E0", "PAVGB", VC_I8),
	M1("E3", "PAVGW", VC_I16),
	M1("F6", "PSADBW", VC_I8),
	M1("74", "PCMPEQB", VC_I8),
	M1("75", "PCMPEQW", VC_I16),
	M1("76", "PCMPEQD", VC_I32),
	M1("64", "PCMPGTB", VC_I8),
	M1("65", "PCMPGTW", VC_I16),
	M1("66", "PCMPGTD", VC_I32),
	M1("DB", "PAND", VC_I64),
	M1("DF", "PANDN", VC_I64),
	M1("EB", "POR", VC_I64),
	M1("EF", "PXOR", VC_I64),
	M1("63", "PACKSSWB", VC_I16),
	M1("6B", "PACKSSDW", VC_I32),
	M1("67", "PACKUSWB", VC_I16),
	M1("68", "PUNPCKHBW", VC_I8),
	M1("69", "PUNPCKHWD", VC_I16),
	M1("6A", "PUNPCKHDQ", VC_I32),
	/* PUNPCKL* read 4 bytes of an MMX memory operand */
	FV("NP 0F 60 /r", "PUNPCKLBW mm, mm/m32", MMX),
	FV("NP 0F 61 /r", "PUNPCKLWD mm, mm/m32", MMX),
	FV("NP 0F 62 /r", "PUNPCKLDQ mm, mm/m32", MMX),
	X2("60", "PUNPCKLBW", VC_I8),
	X2("61", "PUNPCKLWD", VC_I16),
	X2("62", "PUNPCKLDQ", VC_I32),
	X2("6C", "PUNPCKLQDQ", VC_I64),
	X2("6D", "PUNPCKHQDQ", VC_I64),
	SHR("D1", "PSRLW", VC_I16),
	SHR("D2", "PSRLD", VC_I32),
	SHR("D3", "PSRLQ", VC_I64),
	SHR("E1", "PSRAW", VC_I16),
	SHR("E2", "PSRAD", VC_I32),
	SHR("F1", "PSLLW", VC_I16),
	SHR("F2", "PSLLD", VC_I32),
	SHR("F3", "PSLLQ", VC_I64),
	SHI("71", "2", "PSRLW"),
	SHI("71", "4", "PSRAW"),
	SHI("71", "6", "PSLLW"),
	SHI("72", "2", "PSRLD"),
	SHI("72", "4", "PSRAD"),
	SHI("72", "6", "PSLLD"),
	SHI("73", "2", "PSRLQ"),
	SHI("73", "6", "PSLLQ"),
	FV("66 0F 73 /3 ib", "PSRLDQ xmm1, imm8", 0, VC_RANDOM, VC_COUNT),
	FV("66 0F 73 /7 ib", "PSLLDQ xmm1, imm8", 0, VC_RANDOM, VC_COUNT),
	FV("VEX.128.66.0F.WIG 73 /3 ib", "VPSRLDQ xmm1, xmm2, imm8", 0, 0, VC_RANDOM, VC_COUNT),
	FV("VEX.128.66.0F.WIG 73 /7 ib", "VPSLLDQ xmm1, xmm2, imm8", 0, 0, VC_RANDOM, VC_COUNT),
	FV("NP 0F 70 /r ib", "PSHUFW mm1, mm2/m64, imm8", MMX, 0, 0, VC_RANDOM),
	FV("66 0F 70 /r ib", "PSHUFD xmm1, xmm2/m128, imm8", 0, 0, 0, VC_RANDOM),
	FV("F3 0F 70 /r ib", "PSHUFHW xmm1, xmm2/m128, imm8", 0, 0, 0, VC_RANDOM),
	FV("F2 0F 70 /r ib", "PSHUFLW xmm1, xmm2/m128, imm8", 0, 0, 0, VC_RANDOM),
	FV("VEX.128.66.0F.WIG 70 /r ib", "VPSHUFD xmm1, xmm2/m128, imm8", 0),
	FV("VEX.128.F3.0F.WIG 70 /r ib", "VPSHUFHW xmm1, xmm2/m128, imm8", 0),
	FV("VEX.128.F2.0F.WIG 70 /r ib", "VPSHUFLW xmm1, xmm2/m128, imm8", 0),
	FV("NP 0F C4 /r ib", "PINSRW mm, r32/m16, imm8", MMX, 0, 0, VC_SMALL),
	FV("66 0F C4 /r ib", "PINSRW xmm, r32/m16, imm8", 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F.W0 C4 /r ib", "VPINSRW xmm1, xmm2, r32/m16, imm8", 0, 0, 0, 0, VC_SMALL),
	FV("NP 0F C5 /r ib", "PEXTRW reg, mm, imm8", MMX, 0, 0, VC_SMALL),
	FV("66 0F C5 /r ib", "PEXTRW reg, xmm, imm8", 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F.W0 C5 /r ib", "VPEXTRW reg, xmm1, imm8", 0, 0, 0, VC_SMALL),
	FV("NP 0F D7 /r", "PMOVMSKB reg, mm", MMX, 0, VC_I8),
	FV("66 0F D7 /r", "PMOVMSKB reg, xmm", 0, 0, VC_I8),
	FV("VEX.128.66.0F.WIG D7 /r", "VPMOVMSKB reg, xmm1", 0, 0, VC_I8),

	/* ---- SSSE3 ---- */
	M2("00", "PSHUFB", VC_I8),
	M2("01", "PHADDW", VC_I16),
	M2("02", "PHADDD", VC_I32),
	M2("03", "PHADDSW", VC_I16),
	M2("04", "PMADDUBSW", VC_I8),
	M2("05", "PHSUBW", VC_I16),
	M2("06", "PHSUBD", VC_I32),
	M2("07", "PHSUBSW", VC_I16),
	M2("08", "PSIGNB", VC_I8),
	M2("09", "PSIGNW", VC_I16),
	M2("0A", "PSIGND", VC_I32),
	M2("0B", "PMULHRSW", VC_I16),
	FV("NP 0F 38 1C /r", "PABSB mm1, mm2/m64", MMX, 0, VC_I8),
	FV("NP 0F 38 1D /r", "PABSW mm1, mm2/m64", MMX, 0, VC_I16),
	FV("NP 0F 38 1E /r", "PABSD mm1, mm2/m64", MMX, 0, VC_I32),
	FV("66 0F 38 1C /r", "PABSB xmm1, xmm2/m128", 0, 0, VC_I8),
	FV("66 0F 38 1D /r", "PABSW xmm1, xmm2/m128", 0, 0, VC_I16),
	FV("66 0F 38 1E /r", "PABSD xmm1, xmm2/m128", 0, 0, VC_I32),
	FV("VEX.128.66.0F38.WIG 1C /r", "VPABSB xmm1, xmm2/m128", 0, 0, VC_I8),
	FV("VEX.128.66.0F38.WIG 1D /r", "VPABSW xmm1, xmm2/m128", 0, 0, VC_I16),
	FV("VEX.128.66.0F38.WIG 1E /r", "VPABSD xmm1, xmm2/m128", 0, 0, VC_I32),
	FV("NP 0F 3A 0F /r ib", "PALIGNR mm1, mm2/m64, imm8", MMX, 0, 0, VC_COUNT),
	FV("66 0F 3A 0F /r ib", "PALIGNR xmm1, xmm2/m128, imm8", 0, 0, 0, VC_COUNT),
	FV("VEX.128.66.0F3A.WIG 0F /r ib", "VPALIGNR xmm1, xmm2, xmm3/m128, imm8", 0, 0, 0, 0,
	   VC_COUNT),

	/* ---- SSE4.1, SSE4.2 integer ---- */
	S38("28", "PMULDQ", VC_I32),
	S38("29", "PCMPEQQ", VC_I64),
	S38("2B", "PACKUSDW", VC_I32),
	S38("37", "PCMPGTQ", VC_I64),
	S38("38", "PMINSB", VC_I8),
	S38("39", "PMINSD", VC_I32),
	S38("3A", "PMINUW", VC_I16),
	S38("3B", "PMINUD", VC_I32),
	S38("3C", "PMAXSB", VC_I8),
	S38("3D", "PMAXSD", VC_I32),
	S38("3E", "PMAXUW", VC_I16),
	S38("3F", "PMAXUD", VC_I32),
	S38("40", "PMULLD", VC_I32),
	FV("66 0F 38 41 /r", "PHMINPOSUW xmm1, xmm2/m128", 0, 0, VC_I16),
	FV("VEX.128.66.0F38.WIG 41 /r", "VPHMINPOSUW xmm1, xmm2/m128", 0, 0, VC_I16),
	PMOVX("20", "PMOVSXBW", "64"),
	PMOVX("21", "PMOVSXBD", "32"),
	PMOVX("22", "PMOVSXBQ", "16"),
	PMOVX("23", "PMOVSXWD", "64"),
	PMOVX("24", "PMOVSXWQ", "32"),
	PMOVX("25", "PMOVSXDQ", "64"),
	PMOVX("30", "PMOVZXBW", "64"),
	PMOVX("31", "PMOVZXBD", "32"),
	PMOVX("32", "PMOVZXBQ", "16"),
	PMOVX("33", "PMOVZXWD", "64"),
	PMOVX("34", "PMOVZXWQ", "32"),
	PMOVX("35", "PMOVZXDQ", "64"),
	FS("66 0F 38 17 /r", "PTEST xmm1, xmm2/m128", 0, 0, ptest_setup),
	FS("VEX.128.66.0F38.WIG 17 /r", "VPTEST xmm1, xmm2/m128", 0, 0, ptest_setup),
	FV("66 0F 3A 0E /r ib", "PBLENDW xmm1, xmm2/m128, imm8", 0, 0, 0, VC_RANDOM),
	FV("VEX.128.66.0F3A.WIG 0E /r ib", "VPBLENDW xmm1, xmm2, xmm3/m128, imm8", 0),
	FV("66 0F 38 10 /r", "PBLENDVB xmm1, xmm2/m128, <XMM0>", 0),
	FR("VPBLENDVB xmm1, xmm2, xmm3, xmm4", "c4 e3 69 4c cb 40"),
	FV("66 0F 3A 42 /r ib", "MPSADBW xmm1, xmm2/m128, imm8", 0, VC_I8, VC_I8, VC_RANDOM),
	FV("VEX.128.66.0F3A.WIG 42 /r ib", "VMPSADBW xmm1, xmm2, xmm3/m128, imm8", 0),
	FV("66 0F 3A 20 /r ib", "PINSRB xmm1, r32/m8, imm8", 0, 0, 0, VC_SMALL),
	FV("66 0F 3A 22 /r ib", "PINSRD xmm1, r/m32, imm8", 0, 0, 0, VC_SMALL),
	FV("66 REX.W 0F 3A 22 /r ib", "PINSRQ xmm1, r/m64, imm8", 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F3A.W0 20 /r ib", "VPINSRB xmm1, xmm2, r32/m8, imm8", 0, 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F3A.W0 22 /r ib", "VPINSRD xmm1, xmm2, r/m32, imm8", 0, 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F3A.W1 22 /r ib", "VPINSRQ xmm1, xmm2, r/m64, imm8", 0, 0, 0, 0, VC_SMALL),
	FV("66 0F 3A 14 /r ib", "PEXTRB reg/m8, xmm2, imm8", 0, 0, 0, VC_SMALL),
	FV("66 0F 3A 15 /r ib", "PEXTRW reg/m16, xmm, imm8", 0, 0, 0, VC_SMALL),
	FV("66 0F 3A 16 /r ib", "PEXTRD r/m32, xmm2, imm8", 0, 0, 0, VC_SMALL),
	FV("66 REX.W 0F 3A 16 /r ib", "PEXTRQ r/m64, xmm2, imm8", 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F3A.W0 14 /r ib", "VPEXTRB reg/m8, xmm2, imm8", 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F3A.W0 15 /r ib", "VPEXTRW reg/m16, xmm2, imm8", 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F3A.W0 16 /r ib", "VPEXTRD r32/m32, xmm2, imm8", 0, 0, 0, VC_SMALL),
	FV("VEX.128.66.0F3A.W1 16 /r ib", "VPEXTRQ r64/m64, xmm2, imm8", 0, 0, 0, VC_SMALL),
	STR("60", "PCMPESTRM"),
	STR("61", "PCMPESTRI"),
	STR("62", "PCMPISTRM"),
	STR("63", "PCMPISTRI"),

	/* ---- AES-NI, PCLMULQDQ ---- */
	FV("66 0F 38 DC /r", "AESENC xmm1, xmm2/m128", 0),
	FV("66 0F 38 DD /r", "AESENCLAST xmm1, xmm2/m128", 0),
	FV("66 0F 38 DE /r", "AESDEC xmm1, xmm2/m128", 0),
	FV("66 0F 38 DF /r", "AESDECLAST xmm1, xmm2/m128", 0),
	FV("66 0F 38 DB /r", "AESIMC xmm1, xmm2/m128", 0),
	FV("VEX.128.66.0F38.WIG DC /r", "VAESENC xmm1, xmm2, xmm3/m128", 0),
	FV("VEX.128.66.0F38.WIG DD /r", "VAESENCLAST xmm1, xmm2, xmm3/m128", 0),
	FV("VEX.128.66.0F38.WIG DE /r", "VAESDEC xmm1, xmm2, xmm3/m128", 0),
	FV("VEX.128.66.0F38.WIG DF /r", "VAESDECLAST xmm1, xmm2, xmm3/m128", 0),
	FV("VEX.128.66.0F38.WIG DB /r", "VAESIMC xmm1, xmm2/m128", 0),
	FV("66 0F 3A DF /r ib", "AESKEYGENASSIST xmm1, xmm2/m128, imm8", 0, 0, 0, VC_RANDOM),
	FV("VEX.128.66.0F3A.WIG DF /r ib", "VAESKEYGENASSIST xmm1, xmm2/m128, imm8", 0),
	FV("66 0F 3A 44 /r ib", "PCLMULQDQ xmm1, xmm2/m128, imm8", 0, 0, 0, VC_RANDOM),
	FV("VEX.128.66.0F3A.WIG 44 /r ib", "VPCLMULQDQ xmm1, xmm2, xmm3/m128, imm8", 0),

	/* ---- alignment: legacy 16-byte operands fault, VEX ones do not ---- */
	FN("NP 0F 58 /r", "ADDPS xmm1, xmm2/m128", FORM_MISALIGN | FORM_NO_REG, 16),
	FV("VEX.128.0F.WIG 58 /r", "VADDPS xmm1, xmm2, xmm3/m128", FORM_MISALIGN | FORM_NO_REG),
	FV("F3 0F 58 /r", "ADDSS xmm1, xmm2/m32", FORM_MISALIGN | FORM_NO_REG),
	FN("66 0F DB /r", "PAND xmm1, xmm2/m128", FORM_MISALIGN | FORM_NO_REG, 16),
	FV("NP 0F DB /r", "PAND mm, mm/m64", FORM_MISALIGN | FORM_NO_REG),
	FN("66 0F 38 00 /r", "PSHUFB xmm1, xmm2/m128", FORM_MISALIGN | FORM_NO_REG, 16),
	FN("66 0F 5A /r", "CVTPD2PS xmm1, xmm2/m128", FORM_MISALIGN | FORM_NO_REG, 16),
	FV("NP 0F 5A /r", "CVTPS2PD xmm1, xmm2/m64", FORM_MISALIGN | FORM_NO_REG),
	FV("66 0F 38 30 /r", "PMOVZXBW xmm1, xmm2/m64", FORM_MISALIGN | FORM_NO_REG),
};
// clang-format on

X86_FORM_SET(simd_set, "simd", forms)
