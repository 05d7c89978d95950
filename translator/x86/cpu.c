/* cpu.c — guest CPU state: reset, RFLAGS and x87 status word views, and
 * the FXSAVE image used by FXSAVE/FXRSTOR, XSAVE and signal frames. */
#include "config.h"

#include <string.h>

#include "translator/x86/f80.h"
#include "translator/x86/sem_system.h"

/* RFLAGS bits. IF (bit 9) always reads as 1 in user mode, bit 1 is fixed. */
enum {
	RF_CF = 1 << 0,
	RF_FIXED = 1 << 1,
	RF_PF = 1 << 2,
	RF_AF = 1 << 4,
	RF_ZF = 1 << 6,
	RF_SF = 1 << 7,
	RF_IF = 1 << 9,
	RF_DF = 1 << 10,
	RF_OF = 1 << 11,
	RF_AC = 1 << 18,
	RF_ID = 1 << 21,
};

/* Default MXCSR_MASK the FXSAVE image reports (all bits but reserved ones;
 * DAZ supported), as Intel cores since the Pentium 4 do. */
#define MXCSR_MASK 0xffffu

void x86_cpu_init(struct cpu *cpu)
{
	memset(cpu, 0, sizeof *cpu);
	cpu->fcw = 0x37f;
	cpu->ftw = 0xffff;
	cpu->mxcsr = 0x1f80;
}

uint64_t x86_get_rflags(const struct cpu *cpu)
{
	return RF_FIXED | RF_IF | (uint64_t)cpu->cf | (uint64_t)cpu->pf << 2 |
	       (uint64_t)cpu->af << 4 | (uint64_t)cpu->zf << 6 | (uint64_t)cpu->sf << 7 |
	       (uint64_t)cpu->df << 10 | (uint64_t)cpu->of << 11 | (uint64_t)cpu->ac << 18 |
	       (uint64_t)cpu->id << 21;
}

/* TF, NT and RF are not modelled (single-stepping and task nesting have no
 * meaning for a user-mode translator); IF and IOPL cannot change in user
 * mode. */
void x86_set_rflags(struct cpu *cpu, uint64_t rflags)
{
	cpu->cf = !!(rflags & RF_CF);
	cpu->pf = !!(rflags & RF_PF);
	cpu->af = !!(rflags & RF_AF);
	cpu->zf = !!(rflags & RF_ZF);
	cpu->sf = !!(rflags & RF_SF);
	cpu->df = !!(rflags & RF_DF);
	cpu->of = !!(rflags & RF_OF);
	cpu->ac = !!(rflags & RF_AC);
	cpu->id = !!(rflags & RF_ID);
}

uint16_t x86_get_fsw(const struct cpu *cpu)
{
	return (uint16_t)((cpu->fsw & ~0x3800u) | (cpu->ftop & 7u) << 11);
}

void x86_set_fsw(struct cpu *cpu, uint16_t fsw)
{
	cpu->fsw = fsw & ~0x3800u;
	cpu->ftop = (fsw >> 11) & 7;
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* The 64-bit (REX.W) FXSAVE layout. Bytes 416-511 are reserved or free
 * for software and are not written. */
void x86_fxsave(const struct cpu *cpu, void *area512)
{
	uint8_t *a = area512;
	uint8_t abridged = 0;

	for (unsigned i = 0; i < 8; i++)
		if (((cpu->ftw >> (2 * i)) & 3) != 3)
			abridged |= 1u << i;
	put16(a + 0, cpu->fcw);
	put16(a + 2, x86_get_fsw(cpu));
	a[4] = abridged;
	a[5] = 0;
	put16(a + 6, cpu->fop);
	put64(a + 8, cpu->fip);
	put64(a + 16, cpu->fdp);
	put32(a + 24, cpu->mxcsr);
	put32(a + 28, MXCSR_MASK);
	for (unsigned i = 0; i < 8; i++) {
		const struct x86_f80 *f = &cpu->fpr[(cpu->ftop + i) & 7];
		uint8_t *st = a + 32 + 16 * i;
		memset(st, 0, 16);
		put64(st, f->mant);
		put16(st + 8, f->sexp);
	}
	memcpy(a + 160, cpu->xmm, 16 * 16);
}

void x86_fxrstor(struct cpu *cpu, const void *area512)
{
	const uint8_t *a = area512;

	cpu->fcw = get16(a + 0);
	x86_set_fsw(cpu, get16(a + 2));
	/* ES and B follow the exception flags the control word unmasks. */
	if (cpu->fsw & ~cpu->fcw & 0x3f)
		cpu->fsw |= 0x8080;
	else
		cpu->fsw &= (uint16_t)~0x8080u;
	cpu->fop = get16(a + 6) & 0x7ff;
	/* Instruction and data pointers are linear addresses: made canonical
	 * for our 48-bit address space (CPUs with 57-bit addressing extend
	 * from bit 56 instead; nothing canonical tells them apart). */
	cpu->fip = (uint64_t)((int64_t)(get64(a + 8) << 16) >> 16);
	cpu->fdp = (uint64_t)((int64_t)(get64(a + 16) << 16) >> 16);
	cpu->mxcsr = get32(a + 24);
	for (unsigned i = 0; i < 8; i++) {
		struct x86_f80 *f = &cpu->fpr[(cpu->ftop + i) & 7];
		f->mant = get64(a + 32 + 16 * i);
		f->sexp = get16(a + 32 + 16 * i + 8);
	}
	cpu->ftw = 0;
	for (unsigned i = 0; i < 8; i++) {
		unsigned tag = (a[4] >> i) & 1 ? f80_tag(cpu->fpr[i]) : 3;
		cpu->ftw |= (uint16_t)(tag << (2 * i));
	}
	memcpy(cpu->xmm, a + 160, 16 * 16);
}

/* ---- XSAVE family (components 0 = x87 and 1 = SSE; see X86_XCR0) ---- */

#define XSAVE_HDR 512

static bool x87_is_init(const struct cpu *cpu)
{
	if (cpu->fcw != 0x37f || cpu->fsw || cpu->ftop || cpu->ftw != 0xffff || cpu->fop ||
	    cpu->fip || cpu->fdp)
		return false;
	for (unsigned i = 0; i < 8; i++)
		if (cpu->fpr[i].mant || cpu->fpr[i].sexp)
			return false;
	return true;
}

static bool sse_is_init(const struct cpu *cpu)
{
	for (unsigned i = 0; i < 16; i++)
		if (cpu->xmm[i].u64[0] || cpu->xmm[i].u64[1])
			return false;
	return true;
}

/* XINUSE: we call a component in use when it is not in its initial
 * configuration (hardware may keep the bit set longer; software cannot
 * tell the difference except through XSTATE_BV). */
uint64_t x86_xinuse(const struct cpu *cpu)
{
	return (x87_is_init(cpu) ? 0 : 1) | (sse_is_init(cpu) ? 0 : 2);
}

int x86_xsave(const struct cpu *cpu, uint64_t addr, uint64_t rfbm, enum x86_xsave_kind kind,
	      bool rex_w)
{
	uint8_t *a = (uint8_t *)(uintptr_t)addr, img[512];
	uint64_t inuse = x86_xinuse(cpu) & rfbm, bv;

	if (addr & 63)
		return -1;
	rfbm &= X86_XCR0;
	x86_fxsave(cpu, img);
	if (!rex_w) {
		memset(img + 12, 0, 4);
		memset(img + 20, 0, 4);
	}
	bv = get64(a + XSAVE_HDR);
	if ((rfbm & 1) && (kind == X86_XSAVE || (inuse & 1))) {
		memcpy(a, img, 24);
		memcpy(a + 32, img + 32, 128);
	}
	if (rfbm & 2) {
		memcpy(a + 24, img + 24, 8);
		if (kind == X86_XSAVE || (inuse & 2))
			memcpy(a + 160, img + 160, 256);
	}
	if (kind == X86_XSAVEC) {
		put64(a + XSAVE_HDR, inuse);
		put64(a + XSAVE_HDR + 8, 1ull << 63 | rfbm);
	} else {
		put64(a + XSAVE_HDR, (bv & ~rfbm) | inuse);
	}
	return 0;
}

int x86_xrstor(struct cpu *cpu, uint64_t addr, uint64_t rfbm, bool rex_w)
{
	const uint8_t *a = (const uint8_t *)(uintptr_t)addr;
	uint64_t bv, comp;
	uint32_t mxcsr;
	uint8_t img[512];
	bool compact;

	if (addr & 63)
		return -1;
	rfbm &= X86_XCR0;
	bv = get64(a + XSAVE_HDR);
	comp = get64(a + XSAVE_HDR + 8);
	compact = comp >> 63;
	if (compact) {
		if ((comp & ~(1ull << 63)) & ~X86_XCR0 || (bv & ~comp))
			return -1;
		for (unsigned i = 16; i < 64; i++)
			if (a[XSAVE_HDR + i])
				return -1;
	} else {
		if (bv & ~X86_XCR0)
			return -1;
		for (unsigned i = 8; i < 24; i++)
			if (a[XSAVE_HDR + i])
				return -1;
	}
	mxcsr = get32(a + 24);
	if ((rfbm & 2) && (!compact || (bv & 2)) && (mxcsr & ~MXCSR_MASK))
		return -1;

	x86_fxsave(cpu, img);
	if (rfbm & 1) {
		if (bv & 1) {
			memcpy(img, a, 24);
			memcpy(img + 32, a + 32, 128);
			if (!rex_w) {
				memset(img + 12, 0, 4);
				memset(img + 20, 0, 4);
			}
		} else {
			memset(img, 0, 24);
			memset(img + 32, 0, 128);
			put16(img, 0x37f);
		}
	}
	if (rfbm & 2) {
		if (!compact || (bv & 2))
			put32(img + 24, mxcsr);
		else
			put32(img + 24, 0x1f80);
		if (bv & 2)
			memcpy(img + 160, a + 160, 256);
		else
			memset(img + 160, 0, 256);
	}
	x86_fxrstor(cpu, img);
	return 0;
}
