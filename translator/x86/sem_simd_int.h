/* sem_simd_int.h — semantics of the ops in the "sem_simd_int.h" section of
 * ops.def: MMX, SSE2-SSE4.2 integer, AES-NI and PCLMULQDQ, legacy and
 * VEX-128 forms.
 *
 * Most operations exist for MMX registers (8 bytes) and XMM registers (16
 * bytes); they are written once over simd_width(in) bytes. Every MMX form
 * (one with an MMX register operand) switches the x87 unit into MMX mode.
 */
#ifndef XLATE_X86_SEM_SIMD_INT_H
#define XLATE_X86_SEM_SIMD_INT_H

#include "translator/x86/sem.h"
#include "translator/x86/simd_aes.h"
#include "translator/x86/simd_opnd.h"
#include "translator/x86/simd_pcmpstr.h"

/* ---- saturation ---- */

SEM_INLINE int8_t simd_sat_i8(int32_t x)
{
	return (int8_t)(x > 127 ? 127 : x < -128 ? -128 : x);
}

SEM_INLINE uint8_t simd_sat_u8(int32_t x)
{
	return (uint8_t)(x > 255 ? 255 : x < 0 ? 0 : x);
}

SEM_INLINE int16_t simd_sat_i16(int32_t x)
{
	return (int16_t)(x > 32767 ? 32767 : x < -32768 ? -32768 : x);
}

SEM_INLINE uint16_t simd_sat_u16(int32_t x)
{
	return (uint16_t)(x > 65535 ? 65535 : x < 0 ? 0 : x);
}

/* ---- MMX state ---- */

/* EMMS empties the x87 tag word; on the CPUs we test on it also sets TOP
 * to 0, like the MMX instructions. Like them it first takes #MF. */
SEM_INLINE void sem_EMMS(struct cpu *cpu, const struct x86_insn *in)
{
	x87_wait(cpu);
	cpu->ftop = 0;
	cpu->ftw = 0xffff;
}

/* ---- moves ---- */

/* MOVD/MOVQ between GPRs, memory, MMX and XMM registers: `size` bytes
 * (4 or 8) zero-extended into the destination. */
SEM_INLINE void simd_movdq(struct cpu *cpu, const struct x86_insn *in, unsigned size)
{
	const struct x86_opnd *d = &in->opnd[0], *s = &in->opnd[1];
	uint64_t v;
	simd_begin(cpu, in);
	switch (s->kind) {
	case X86_OPND_MMX: v = cpu->fpr[s->reg].mant; break;
	case X86_OPND_XMM: v = cpu->xmm[s->reg].u64[0]; break;
	default: v = sem_read(cpu, in, 1); break;
	}
	v &= sem_mask(size);
	if (d->kind == X86_OPND_MMX || s->kind == X86_OPND_MMX)
		sem_mmx_enter(cpu);
	switch (d->kind) {
	case X86_OPND_MMX: sem_write_mmx(cpu, in, 0, v); break;
	case X86_OPND_XMM: {
		union x86_vec x = {{0}};
		x.u64[0] = v;
		sem_write_xmm(cpu, in, 0, x);
		break;
	}
	default: sem_write(cpu, in, 0, v); break;
	}
}

SEM_INLINE void sem_MOVD(struct cpu *cpu, const struct x86_insn *in)
{
	simd_movdq(cpu, in, 4);
}

SEM_INLINE void sem_MOVQ(struct cpu *cpu, const struct x86_insn *in)
{
	simd_movdq(cpu, in, 8);
}

/* Whole-register moves; `aligned`: the memory operand must be 16-byte
 * aligned, in the VEX form too. */
SEM_INLINE void simd_move(struct cpu *cpu, const struct x86_insn *in, bool aligned)
{
	simd_begin(cpu, in);
	if (aligned) {
		simd_check_align(cpu, in, 0, true);
		simd_check_align(cpu, in, 1, true);
	}
	sem_write_xmm(cpu, in, 0, sem_read_xmm(cpu, in, 1));
}

SEM_INLINE void sem_MOVDQA(struct cpu *cpu, const struct x86_insn *in)
{
	simd_move(cpu, in, true);
}

SEM_INLINE void sem_MOVNTDQ(struct cpu *cpu, const struct x86_insn *in)
{
	simd_move(cpu, in, true);
}

SEM_INLINE void sem_MOVNTDQA(struct cpu *cpu, const struct x86_insn *in)
{
	simd_move(cpu, in, true);
}

SEM_INLINE void sem_MOVDQU(struct cpu *cpu, const struct x86_insn *in)
{
	simd_move(cpu, in, false);
}

SEM_INLINE void sem_LDDQU(struct cpu *cpu, const struct x86_insn *in)
{
	simd_move(cpu, in, false);
}

SEM_INLINE void sem_MOVNTQ(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	uint64_t v = cpu->fpr[in->opnd[1].reg].mant;
	sem_write(cpu, in, 0, v);
	sem_mmx_enter(cpu);
}

SEM_INLINE void sem_MOVQ2DQ(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec x = {{0}};
	x.u64[0] = cpu->fpr[in->opnd[1].reg].mant;
	sem_mmx_enter(cpu);
	sem_write_xmm(cpu, in, 0, x);
}

SEM_INLINE void sem_MOVDQ2Q(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	sem_mmx_enter(cpu);
	sem_write_mmx(cpu, in, 0, cpu->xmm[in->opnd[1].reg].u64[0]);
}

/* MASKMOVQ/MASKMOVDQU: the bytes of operand 0 whose mask byte (operand 1)
 * has its top bit set go to DS:[RDI]; the others are not accessed. */
SEM_INLINE void simd_maskmov(struct cpu *cpu, const struct x86_insn *in, union x86_vec v,
			     union x86_vec m, unsigned n)
{
	uint64_t a = cpu->gpr[X86_RDI];
	if (in->addrsize == 4)
		a = (uint32_t)a;
	if (in->seg == X86_SEG_FS)
		a += cpu->fs_base;
	else if (in->seg == X86_SEG_GS)
		a += cpu->gs_base;
	for (unsigned i = 0; i < n; i++)
		if (m.u8[i] & 0x80)
			sem_store(a + i, 1, v.u8[i]);
}

SEM_INLINE void sem_MASKMOVQ(struct cpu *cpu, const struct x86_insn *in)
{
	union x86_vec v = {{0}}, m = {{0}};
	simd_begin(cpu, in);
	v.u64[0] = cpu->fpr[in->opnd[0].reg].mant;
	m.u64[0] = cpu->fpr[in->opnd[1].reg].mant;
	simd_maskmov(cpu, in, v, m, 8);
	sem_mmx_enter(cpu);
}

SEM_INLINE void sem_MASKMOVDQU(struct cpu *cpu, const struct x86_insn *in)
{
	simd_maskmov(cpu, in, cpu->xmm[in->opnd[0].reg], cpu->xmm[in->opnd[1].reg], 16);
}

/* ---- element-wise operations ---- */

/* sem_NAME applies EXPR to each element pair x (src1), y (src2) of type T
 * (union x86_vec member F). */
#define SIMD_BINARY(NAME, T, F, EXPR)                                                              \
	SEM_INLINE void sem_##NAME(struct cpu *cpu, const struct x86_insn *in)                     \
	{                                                                                          \
		simd_begin(cpu, in);                                                               \
		union x86_vec b = simd_rd_mx(cpu, in, simd_src2(in));                              \
		union x86_vec a = simd_rd_mx(cpu, in, simd_src1(in)), d = {{0}};                   \
		for (unsigned i = 0; i < simd_width(in) / sizeof(T); i++) {                        \
			T x = a.F[i], y = b.F[i];                                                  \
			d.F[i] = (T)(EXPR);                                                        \
		}                                                                                  \
		simd_wr_mx(cpu, in, d);                                                            \
	}

// clang-format off
SIMD_BINARY(PADDB, uint8_t, u8, x + y)
SIMD_BINARY(PADDW, uint16_t, u16, x + y)
SIMD_BINARY(PADDD, uint32_t, u32, x + y)
SIMD_BINARY(PADDQ, uint64_t, u64, x + y)
SIMD_BINARY(PSUBB, uint8_t, u8, x - y)
SIMD_BINARY(PSUBW, uint16_t, u16, x - y)
SIMD_BINARY(PSUBD, uint32_t, u32, x - y)
SIMD_BINARY(PSUBQ, uint64_t, u64, x - y)
SIMD_BINARY(PADDSB, int8_t, i8, simd_sat_i8(x + y))
SIMD_BINARY(PADDSW, int16_t, i16, simd_sat_i16(x + y))
SIMD_BINARY(PADDUSB, uint8_t, u8, simd_sat_u8(x + y))
SIMD_BINARY(PADDUSW, uint16_t, u16, simd_sat_u16(x + y))
SIMD_BINARY(PSUBSB, int8_t, i8, simd_sat_i8(x - y))
SIMD_BINARY(PSUBSW, int16_t, i16, simd_sat_i16(x - y))
SIMD_BINARY(PSUBUSB, uint8_t, u8, simd_sat_u8(x - y))
SIMD_BINARY(PSUBUSW, uint16_t, u16, simd_sat_u16(x - y))
SIMD_BINARY(PMULLW, uint16_t, u16, (uint32_t)x * y)
SIMD_BINARY(PMULHW, int16_t, i16, (x * y) >> 16)
SIMD_BINARY(PMULHUW, uint16_t, u16, ((uint32_t)x * y) >> 16)
SIMD_BINARY(PMULLD, uint32_t, u32, (uint64_t)x * y)
SIMD_BINARY(PMULUDQ, uint64_t, u64, (x & 0xffffffff) * (y & 0xffffffff))
SIMD_BINARY(PMULDQ, int64_t, i64, (int64_t)(int32_t)x * (int32_t)y)
/* ((x * y >> 14) + 1) >> 1: the product rounded to its high 16 bits */
SIMD_BINARY(PMULHRSW, int16_t, i16, (((x * y) >> 14) + 1) >> 1)
SIMD_BINARY(PMAXSB, int8_t, i8, x > y ? x : y)
SIMD_BINARY(PMAXSW, int16_t, i16, x > y ? x : y)
SIMD_BINARY(PMAXSD, int32_t, i32, x > y ? x : y)
SIMD_BINARY(PMAXUB, uint8_t, u8, x > y ? x : y)
SIMD_BINARY(PMAXUW, uint16_t, u16, x > y ? x : y)
SIMD_BINARY(PMAXUD, uint32_t, u32, x > y ? x : y)
SIMD_BINARY(PMINSB, int8_t, i8, x < y ? x : y)
SIMD_BINARY(PMINSW, int16_t, i16, x < y ? x : y)
SIMD_BINARY(PMINSD, int32_t, i32, x < y ? x : y)
SIMD_BINARY(PMINUB, uint8_t, u8, x < y ? x : y)
SIMD_BINARY(PMINUW, uint16_t, u16, x < y ? x : y)
SIMD_BINARY(PMINUD, uint32_t, u32, x < y ? x : y)
SIMD_BINARY(PAVGB, uint8_t, u8, (x + y + 1) >> 1)
SIMD_BINARY(PAVGW, uint16_t, u16, ((uint32_t)x + y + 1) >> 1)
SIMD_BINARY(PCMPEQB, uint8_t, u8, x == y ? 0xff : 0)
SIMD_BINARY(PCMPEQW, uint16_t, u16, x == y ? 0xffff : 0)
SIMD_BINARY(PCMPEQD, uint32_t, u32, x == y ? ~0u : 0)
SIMD_BINARY(PCMPEQQ, uint64_t, u64, x == y ? ~0ull : 0)
SIMD_BINARY(PCMPGTB, int8_t, i8, x > y ? -1 : 0)
SIMD_BINARY(PCMPGTW, int16_t, i16, x > y ? -1 : 0)
SIMD_BINARY(PCMPGTD, int32_t, i32, x > y ? -1 : 0)
SIMD_BINARY(PCMPGTQ, int64_t, i64, x > y ? -1 : 0)
SIMD_BINARY(PAND, uint64_t, u64, x & y)
SIMD_BINARY(PANDN, uint64_t, u64, ~x & y)
SIMD_BINARY(POR, uint64_t, u64, x | y)
SIMD_BINARY(PXOR, uint64_t, u64, x ^ y)
SIMD_BINARY(PSIGNB, int8_t, i8, y < 0 ? -x : y == 0 ? 0 : x)
SIMD_BINARY(PSIGNW, int16_t, i16, y < 0 ? -x : y == 0 ? 0 : x)
SIMD_BINARY(PSIGND, int32_t, i32, y < 0 ? 0 - (uint32_t)x : y == 0 ? 0 : (uint32_t)x)
// clang-format on

/* PABS: the one source is the last operand. */
#define SIMD_ABS(NAME, T, U, F)                                                                    \
	SEM_INLINE void sem_##NAME(struct cpu *cpu, const struct x86_insn *in)                     \
	{                                                                                          \
		simd_begin(cpu, in);                                                               \
		union x86_vec a = simd_rd_mx(cpu, in, simd_src2(in)), d = {{0}};                   \
		for (unsigned i = 0; i < simd_width(in) / sizeof(T); i++)                          \
			d.F[i] = (T)(a.F[i] < 0 ? 0 - (U)a.F[i] : (U)a.F[i]);                      \
		simd_wr_mx(cpu, in, d);                                                            \
	}
SIMD_ABS(PABSB, int8_t, uint8_t, i8)
SIMD_ABS(PABSW, int16_t, uint16_t, i16)
SIMD_ABS(PABSD, int32_t, uint32_t, i32)

/* ---- multiply-add, sums of differences ---- */

SEM_INLINE void sem_PMADDWD(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec b = simd_rd_mx(cpu, in, simd_src2(in));
	union x86_vec a = simd_rd_mx(cpu, in, simd_src1(in)), d = {{0}};
	for (unsigned i = 0; i < simd_width(in) / 4; i++)
		d.u32[i] = (uint32_t)((int64_t)a.i16[2 * i] * b.i16[2 * i] +
				      (int64_t)a.i16[2 * i + 1] * b.i16[2 * i + 1]);
	simd_wr_mx(cpu, in, d);
}

/* unsigned bytes of src1 times signed bytes of src2, pairs summed with
 * signed saturation */
SEM_INLINE void sem_PMADDUBSW(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec b = simd_rd_mx(cpu, in, simd_src2(in));
	union x86_vec a = simd_rd_mx(cpu, in, simd_src1(in)), d = {{0}};
	for (unsigned i = 0; i < simd_width(in) / 2; i++)
		d.i16[i] =
			simd_sat_i16(a.u8[2 * i] * b.i8[2 * i] + a.u8[2 * i + 1] * b.i8[2 * i + 1]);
	simd_wr_mx(cpu, in, d);
}

SEM_INLINE void sem_PSADBW(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec b = simd_rd_mx(cpu, in, simd_src2(in));
	union x86_vec a = simd_rd_mx(cpu, in, simd_src1(in)), d = {{0}};
	for (unsigned i = 0; i < simd_width(in); i++)
		d.u64[i / 8] += a.u8[i] > b.u8[i] ? a.u8[i] - b.u8[i] : b.u8[i] - a.u8[i];
	simd_wr_mx(cpu, in, d);
}

/* MPSADBW: sums of absolute differences of the 4-byte block of src2 at
 * imm8[1:0] * 4 with the eight 4-byte windows of src1 from imm8[2] * 4. */
SEM_INLINE void sem_MPSADBW(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec b = simd_rd(cpu, in, simd_src2(in)), a = simd_rd(cpu, in, simd_src1(in)), d;
	uint8_t imm = simd_imm8(in);
	unsigned ao = (imm >> 2 & 1) * 4, bo = (imm & 3) * 4;
	for (unsigned i = 0; i < 8; i++) {
		unsigned s = 0;
		for (unsigned j = 0; j < 4; j++) {
			int t = a.u8[ao + i + j] - b.u8[bo + j];
			s += (unsigned)(t < 0 ? -t : t);
		}
		d.u16[i] = (uint16_t)s;
	}
	sem_write_xmm(cpu, in, 0, d);
}

/* PHMINPOSUW: the smallest unsigned word and its (lowest) index. */
SEM_INLINE void sem_PHMINPOSUW(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec a = simd_rd(cpu, in, simd_src2(in)), d = {{0}};
	unsigned k = 0;
	for (unsigned i = 1; i < 8; i++)
		if (a.u16[i] < a.u16[k])
			k = i;
	d.u16[0] = a.u16[k];
	d.u16[1] = (uint16_t)k;
	sem_write_xmm(cpu, in, 0, d);
}

/* ---- horizontal add/subtract (SSSE3) ---- */

/* Result element i combines the pair 2i, 2i+1 of src1 (first half of the
 * result) or of src2 (second half). */
#define SIMD_HORIZONTAL(NAME, T, F, EXPR)                                                          \
	SEM_INLINE void sem_##NAME(struct cpu *cpu, const struct x86_insn *in)                     \
	{                                                                                          \
		simd_begin(cpu, in);                                                               \
		union x86_vec b = simd_rd_mx(cpu, in, simd_src2(in));                              \
		union x86_vec a = simd_rd_mx(cpu, in, simd_src1(in)), d = {{0}};                   \
		unsigned n = simd_width(in) / sizeof(T);                                           \
		for (unsigned i = 0; i < n; i++) {                                                 \
			const union x86_vec *s = i < n / 2 ? &a : &b;                              \
			unsigned j = 2 * (i % (n / 2));                                            \
			T x = s->F[j], y = s->F[j + 1];                                            \
			d.F[i] = (T)(EXPR);                                                        \
		}                                                                                  \
		simd_wr_mx(cpu, in, d);                                                            \
	}
SIMD_HORIZONTAL(PHADDW, uint16_t, u16, x + y)
SIMD_HORIZONTAL(PHADDD, uint32_t, u32, x + y)
SIMD_HORIZONTAL(PHADDSW, int16_t, i16, simd_sat_i16(x + y))
SIMD_HORIZONTAL(PHSUBW, uint16_t, u16, x - y)
SIMD_HORIZONTAL(PHSUBD, uint32_t, u32, x - y)
SIMD_HORIZONTAL(PHSUBSW, int16_t, i16, simd_sat_i16(x - y))

/* ---- shifts ---- */

/* Shifts by an immediate (the value is the last register operand) or by
 * the low quadword of src2 (the value is src1); counts past the element
 * width give 0, or the sign for arithmetic shifts. */
#define SIMD_SHIFT(NAME, T, F, EXPR)                                                               \
	SEM_INLINE void sem_##NAME(struct cpu *cpu, const struct x86_insn *in)                     \
	{                                                                                          \
		simd_begin(cpu, in);                                                               \
		union x86_vec a, d = {{0}};                                                        \
		uint64_t c;                                                                        \
		if (in->opnd[in->nopnd - 1].kind == X86_OPND_IMM) {                                \
			a = simd_rd_mx(cpu, in, simd_src2(in));                                    \
			c = simd_imm8(in);                                                         \
		} else {                                                                           \
			c = simd_rd_mx(cpu, in, simd_src2(in)).u64[0];                             \
			a = simd_rd_mx(cpu, in, simd_src1(in));                                    \
		}                                                                                  \
		for (unsigned i = 0; i < simd_width(in) / sizeof(T); i++) {                        \
			T x = a.F[i];                                                              \
			d.F[i] = (T)(EXPR);                                                        \
		}                                                                                  \
		simd_wr_mx(cpu, in, d);                                                            \
	}
// clang-format off
SIMD_SHIFT(PSLLW, uint16_t, u16, c > 15 ? 0 : (uint32_t)x << c)
SIMD_SHIFT(PSLLD, uint32_t, u32, c > 31 ? 0 : x << c)
SIMD_SHIFT(PSLLQ, uint64_t, u64, c > 63 ? 0 : x << c)
SIMD_SHIFT(PSRLW, uint16_t, u16, c > 15 ? 0 : x >> c)
SIMD_SHIFT(PSRLD, uint32_t, u32, c > 31 ? 0 : x >> c)
SIMD_SHIFT(PSRLQ, uint64_t, u64, c > 63 ? 0 : x >> c)
SIMD_SHIFT(PSRAW, int16_t, i16, x >> (c > 15 ? 15 : c))
SIMD_SHIFT(PSRAD, int32_t, i32, x >> (c > 31 ? 31 : c))
// clang-format on

/* PSLLDQ/PSRLDQ: whole-register byte shifts by imm8 (16 and more: zero). */
SEM_INLINE void simd_byte_shift(struct cpu *cpu, const struct x86_insn *in, bool left)
{
	simd_begin(cpu, in);
	union x86_vec a = sem_read_xmm(cpu, in, simd_src2(in)), d = {{0}};
	unsigned c = simd_imm8(in);
	for (unsigned i = 0; i < 16; i++) {
		unsigned j = left ? i - c : i + c; /* wraps past 15 when out of range */
		d.u8[i] = j < 16 ? a.u8[j] : 0;
	}
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sem_PSLLDQ(struct cpu *cpu, const struct x86_insn *in)
{
	simd_byte_shift(cpu, in, true);
}

SEM_INLINE void sem_PSRLDQ(struct cpu *cpu, const struct x86_insn *in)
{
	simd_byte_shift(cpu, in, false);
}

/* ---- unpack, pack ---- */

/* PUNPCKL/H: interleave the elements of the low (high) halves of src1
 * and src2. */
#define SIMD_UNPACK(NAME, T, F, HIGH)                                                              \
	SEM_INLINE void sem_##NAME(struct cpu *cpu, const struct x86_insn *in)                     \
	{                                                                                          \
		simd_begin(cpu, in);                                                               \
		union x86_vec b = simd_rd_mx(cpu, in, simd_src2(in));                              \
		union x86_vec a = simd_rd_mx(cpu, in, simd_src1(in)), d = {{0}};                   \
		unsigned n = simd_width(in) / sizeof(T), base = HIGH ? n / 2 : 0;                  \
		for (unsigned i = 0; i < n / 2; i++) {                                             \
			d.F[2 * i] = a.F[base + i];                                                \
			d.F[2 * i + 1] = b.F[base + i];                                            \
		}                                                                                  \
		simd_wr_mx(cpu, in, d);                                                            \
	}
SIMD_UNPACK(PUNPCKLBW, uint8_t, u8, 0)
SIMD_UNPACK(PUNPCKLWD, uint16_t, u16, 0)
SIMD_UNPACK(PUNPCKLDQ, uint32_t, u32, 0)
SIMD_UNPACK(PUNPCKLQDQ, uint64_t, u64, 0)
SIMD_UNPACK(PUNPCKHBW, uint8_t, u8, 1)
SIMD_UNPACK(PUNPCKHWD, uint16_t, u16, 1)
SIMD_UNPACK(PUNPCKHDQ, uint32_t, u32, 1)
SIMD_UNPACK(PUNPCKHQDQ, uint64_t, u64, 1)

/* PACK*: the elements of src1 then those of src2, narrowed to half width
 * with saturation. */
#define SIMD_PACK(NAME, TS, FS, FD, SAT)                                                           \
	SEM_INLINE void sem_##NAME(struct cpu *cpu, const struct x86_insn *in)                     \
	{                                                                                          \
		simd_begin(cpu, in);                                                               \
		union x86_vec b = simd_rd_mx(cpu, in, simd_src2(in));                              \
		union x86_vec a = simd_rd_mx(cpu, in, simd_src1(in)), d = {{0}};                   \
		unsigned n = simd_width(in) / sizeof(TS);                                          \
		for (unsigned i = 0; i < n; i++) {                                                 \
			d.FD[i] = SAT(a.FS[i]);                                                    \
			d.FD[n + i] = SAT(b.FS[i]);                                                \
		}                                                                                  \
		simd_wr_mx(cpu, in, d);                                                            \
	}
SIMD_PACK(PACKSSWB, int16_t, i16, i8, simd_sat_i8)
SIMD_PACK(PACKSSDW, int32_t, i32, i16, simd_sat_i16)
SIMD_PACK(PACKUSWB, int16_t, i16, u8, simd_sat_u8)
SIMD_PACK(PACKUSDW, int32_t, i32, u16, simd_sat_u16)

/* ---- shuffles, alignment, blends ---- */

SEM_INLINE void sem_PSHUFW(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec a = simd_rd_mx(cpu, in, simd_src2(in)), d = {{0}};
	uint8_t imm = simd_imm8(in);
	for (unsigned i = 0; i < 4; i++)
		d.u16[i] = a.u16[imm >> (2 * i) & 3];
	simd_wr_mx(cpu, in, d);
}

SEM_INLINE void sem_PSHUFD(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec a = simd_rd(cpu, in, simd_src2(in)), d;
	uint8_t imm = simd_imm8(in);
	for (unsigned i = 0; i < 4; i++)
		d.u32[i] = a.u32[imm >> (2 * i) & 3];
	sem_write_xmm(cpu, in, 0, d);
}

/* PSHUFLW/PSHUFHW: shuffle the words of one half, copy the other. */
SEM_INLINE void simd_pshufxw(struct cpu *cpu, const struct x86_insn *in, unsigned half)
{
	simd_begin(cpu, in);
	union x86_vec a = simd_rd(cpu, in, simd_src2(in)), d = a;
	uint8_t imm = simd_imm8(in);
	for (unsigned i = 0; i < 4; i++)
		d.u16[4 * half + i] = a.u16[4 * half + (imm >> (2 * i) & 3)];
	sem_write_xmm(cpu, in, 0, d);
}

SEM_INLINE void sem_PSHUFLW(struct cpu *cpu, const struct x86_insn *in)
{
	simd_pshufxw(cpu, in, 0);
}

SEM_INLINE void sem_PSHUFHW(struct cpu *cpu, const struct x86_insn *in)
{
	simd_pshufxw(cpu, in, 1);
}

/* PSHUFB: byte i is src1's byte at the index in src2's byte i, or 0 when
 * that byte's top bit is set. */
SEM_INLINE void sem_PSHUFB(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec b = simd_rd_mx(cpu, in, simd_src2(in));
	union x86_vec a = simd_rd_mx(cpu, in, simd_src1(in)), d = {{0}};
	unsigned n = simd_width(in);
	for (unsigned i = 0; i < n; i++)
		d.u8[i] = b.u8[i] & 0x80 ? 0 : a.u8[b.u8[i] & (n - 1)];
	simd_wr_mx(cpu, in, d);
}

/* PALIGNR: src1:src2 (src1 high) shifted right by imm8 bytes. */
SEM_INLINE void sem_PALIGNR(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec b = simd_rd_mx(cpu, in, simd_src2(in));
	union x86_vec a = simd_rd_mx(cpu, in, simd_src1(in)), d = {{0}};
	unsigned n = simd_width(in), c = simd_imm8(in);
	for (unsigned i = 0; i < n; i++) {
		unsigned j = i + c;
		d.u8[i] = j < n ? b.u8[j] : j < 2 * n ? a.u8[j - n] : 0;
	}
	simd_wr_mx(cpu, in, d);
}

SEM_INLINE void sem_PBLENDW(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec b = simd_rd(cpu, in, simd_src2(in)), a = simd_rd(cpu, in, simd_src1(in));
	uint8_t imm = simd_imm8(in);
	for (unsigned i = 0; i < 8; i++)
		if (imm >> i & 1)
			a.u16[i] = b.u16[i];
	sem_write_xmm(cpu, in, 0, a);
}

SEM_INLINE void sem_PBLENDVB(struct cpu *cpu, const struct x86_insn *in)
{
	union x86_vec a, b, m;
	simd_blendv_sources(cpu, in, &a, &b, &m);
	for (unsigned i = 0; i < 16; i++)
		if (m.u8[i] & 0x80)
			a.u8[i] = b.u8[i];
	sem_write_xmm(cpu, in, 0, a);
}

/* ---- element insert/extract, masks, extension ---- */

SEM_INLINE void sem_PMOVMSKB(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec a = sem_read_xmm(cpu, in, 1);
	uint64_t m = 0;
	for (unsigned i = 0; i < (simd_is_mmx(in, 1) ? 8u : 16u); i++)
		m |= (uint64_t)(a.u8[i] >> 7) << i;
	if (simd_is_mmx(in, 1))
		sem_mmx_enter(cpu);
	simd_wr_gpr(cpu, in, 0, m);
}

/* PINSRB/W/D/Q: a GPR or memory value into element imm8 of src1. */
SEM_INLINE void simd_pinsr(struct cpu *cpu, const struct x86_insn *in, unsigned size)
{
	unsigned s = simd_src2(in);
	simd_begin(cpu, in);
	uint64_t v = sem_read(cpu, in, s) & sem_mask(size);
	union x86_vec a = simd_rd_mx(cpu, in, simd_src1(in));
	unsigned i = simd_imm8(in) & (simd_width(in) / size - 1);
	memcpy(&a.u8[i * size], &v, size);
	simd_wr_mx(cpu, in, a);
}

SEM_INLINE void sem_PINSRB(struct cpu *cpu, const struct x86_insn *in)
{
	simd_pinsr(cpu, in, 1);
}

SEM_INLINE void sem_PINSRW(struct cpu *cpu, const struct x86_insn *in)
{
	simd_pinsr(cpu, in, 2);
}

SEM_INLINE void sem_PINSRD(struct cpu *cpu, const struct x86_insn *in)
{
	simd_pinsr(cpu, in, 4);
}

SEM_INLINE void sem_PINSRQ(struct cpu *cpu, const struct x86_insn *in)
{
	simd_pinsr(cpu, in, 8);
}

/* PEXTRB/W/D/Q: element imm8 of an MMX/XMM register to a GPR
 * (zero-extended) or to memory. */
SEM_INLINE void simd_pextr(struct cpu *cpu, const struct x86_insn *in, unsigned size)
{
	const struct x86_opnd *s = &in->opnd[1];
	union x86_vec a = {{0}};
	simd_begin(cpu, in);
	if (s->kind == X86_OPND_MMX)
		a.u64[0] = cpu->fpr[s->reg].mant;
	else
		a = cpu->xmm[s->reg];
	unsigned width = s->kind == X86_OPND_MMX ? 8 : 16;
	uint64_t v = 0;
	memcpy(&v, &a.u8[(simd_imm8(in) & (width / size - 1)) * size], size);
	simd_wr_gpr(cpu, in, 0, v);
	if (s->kind == X86_OPND_MMX)
		sem_mmx_enter(cpu);
}

SEM_INLINE void sem_PEXTRB(struct cpu *cpu, const struct x86_insn *in)
{
	simd_pextr(cpu, in, 1);
}

SEM_INLINE void sem_PEXTRW(struct cpu *cpu, const struct x86_insn *in)
{
	simd_pextr(cpu, in, 2);
}

SEM_INLINE void sem_PEXTRD(struct cpu *cpu, const struct x86_insn *in)
{
	simd_pextr(cpu, in, 4);
}

SEM_INLINE void sem_PEXTRQ(struct cpu *cpu, const struct x86_insn *in)
{
	simd_pextr(cpu, in, 8);
}

/* PMOVSX/PMOVZX: the low elements of the source widened (the memory form
 * reads just those). */
#define SIMD_PMOVX(NAME, TS, FS, FD)                                                               \
	SEM_INLINE void sem_##NAME(struct cpu *cpu, const struct x86_insn *in)                     \
	{                                                                                          \
		simd_begin(cpu, in);                                                               \
		union x86_vec a = sem_read_xmm(cpu, in, 1), d;                                     \
		for (unsigned i = 0; i < 16 / sizeof(d.FD[0]); i++)                                \
			d.FD[i] = (TS)a.FS[i];                                                     \
		sem_write_xmm(cpu, in, 0, d);                                                      \
	}
SIMD_PMOVX(PMOVSXBW, int8_t, i8, i16)
SIMD_PMOVX(PMOVSXBD, int8_t, i8, i32)
SIMD_PMOVX(PMOVSXBQ, int8_t, i8, i64)
SIMD_PMOVX(PMOVSXWD, int16_t, i16, i32)
SIMD_PMOVX(PMOVSXWQ, int16_t, i16, i64)
SIMD_PMOVX(PMOVSXDQ, int32_t, i32, i64)
SIMD_PMOVX(PMOVZXBW, uint8_t, u8, u16)
SIMD_PMOVX(PMOVZXBD, uint8_t, u8, u32)
SIMD_PMOVX(PMOVZXBQ, uint8_t, u8, u64)
SIMD_PMOVX(PMOVZXWD, uint16_t, u16, u32)
SIMD_PMOVX(PMOVZXWQ, uint16_t, u16, u64)
SIMD_PMOVX(PMOVZXDQ, uint32_t, u32, u64)

/* PTEST: ZF = (a AND b) == 0, CF = (NOT a AND b) == 0; the other arithmetic
 * flags are cleared. */
SEM_INLINE void sem_PTEST(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec b = simd_rd(cpu, in, 1), a = cpu->xmm[in->opnd[0].reg];
	cpu->zf = ((a.u64[0] & b.u64[0]) | (a.u64[1] & b.u64[1])) == 0;
	cpu->cf = ((~a.u64[0] & b.u64[0]) | (~a.u64[1] & b.u64[1])) == 0;
	cpu->of = cpu->sf = cpu->af = cpu->pf = 0;
}

/* ---- SSE4.2 string compares ---- */

/* Runs the compare of operand 0 with operand 1 and sets the flags. */
SEM_INLINE struct simd_strcmp simd_strcmp(struct cpu *cpu, const struct x86_insn *in, bool implicit)
{
	union x86_vec b = simd_rd_u(cpu, in, 1), a = cpu->xmm[in->opnd[0].reg];
	int64_t la = 0, lb = 0;
	if (!implicit) {
		bool w = in->prefix & X86_PFX_VEX_W;
		la = w ? (int64_t)cpu->gpr[X86_RAX] : (int32_t)cpu->gpr[X86_RAX];
		lb = w ? (int64_t)cpu->gpr[X86_RDX] : (int32_t)cpu->gpr[X86_RDX];
	}
	struct simd_strcmp r = simd_pcmpstr(a, b, la, lb, implicit, simd_imm8(in));
	cpu->cf = r.cf;
	cpu->zf = r.zf;
	cpu->sf = r.sf;
	cpu->of = r.of;
	cpu->af = cpu->pf = 0;
	return r;
}

/* ...I: ECX = index of the lowest (imm8 bit 6: highest) result bit, or the
 * element count when there is none. */
SEM_INLINE void simd_strcmp_index(struct cpu *cpu, const struct x86_insn *in, bool implicit)
{
	simd_begin(cpu, in);
	struct simd_strcmp r = simd_strcmp(cpu, in, implicit);
	unsigned n = simd_imm8(in) & 1 ? 8 : 16;
	unsigned idx = !r.res		      ? n
		       : simd_imm8(in) & 0x40 ? 31u - (unsigned)__builtin_clz(r.res)
					      : (unsigned)__builtin_ctz(r.res);
	sem_set_gpr(cpu, X86_RCX, 4, idx);
}

/* ...M: XMM0 = the result bits (imm8 bit 6: expanded to element masks). */
SEM_INLINE void simd_strcmp_mask(struct cpu *cpu, const struct x86_insn *in, bool implicit)
{
	simd_begin(cpu, in);
	struct simd_strcmp r = simd_strcmp(cpu, in, implicit);
	union x86_vec m = {{0}};
	if (!(simd_imm8(in) & 0x40))
		m.u16[0] = r.res;
	else if (simd_imm8(in) & 1)
		for (unsigned i = 0; i < 8; i++)
			m.u16[i] = r.res >> i & 1 ? 0xffff : 0;
	else
		for (unsigned i = 0; i < 16; i++)
			m.u8[i] = r.res >> i & 1 ? 0xff : 0;
	cpu->xmm[0] = m;
	if (in->prefix & X86_PFX_VEX)
		memset(&cpu->ymmh[0], 0, sizeof cpu->ymmh[0]);
}

SEM_INLINE void sem_PCMPESTRI(struct cpu *cpu, const struct x86_insn *in)
{
	simd_strcmp_index(cpu, in, false);
}

SEM_INLINE void sem_PCMPISTRI(struct cpu *cpu, const struct x86_insn *in)
{
	simd_strcmp_index(cpu, in, true);
}

SEM_INLINE void sem_PCMPESTRM(struct cpu *cpu, const struct x86_insn *in)
{
	simd_strcmp_mask(cpu, in, false);
}

SEM_INLINE void sem_PCMPISTRM(struct cpu *cpu, const struct x86_insn *in)
{
	simd_strcmp_mask(cpu, in, true);
}

/* ---- AES-NI, PCLMULQDQ ---- */

SEM_INLINE void simd_aes(struct cpu *cpu, const struct x86_insn *in, enum simd_aes_op op)
{
	simd_begin(cpu, in);
	union x86_vec k = simd_rd(cpu, in, simd_src2(in)), s = simd_rd(cpu, in, simd_src1(in));
	sem_write_xmm(cpu, in, 0, simd_aes_round(s, k, op));
}

SEM_INLINE void sem_AESENC(struct cpu *cpu, const struct x86_insn *in)
{
	simd_aes(cpu, in, SIMD_AESENC);
}

SEM_INLINE void sem_AESENCLAST(struct cpu *cpu, const struct x86_insn *in)
{
	simd_aes(cpu, in, SIMD_AESENCLAST);
}

SEM_INLINE void sem_AESDEC(struct cpu *cpu, const struct x86_insn *in)
{
	simd_aes(cpu, in, SIMD_AESDEC);
}

SEM_INLINE void sem_AESDECLAST(struct cpu *cpu, const struct x86_insn *in)
{
	simd_aes(cpu, in, SIMD_AESDECLAST);
}

SEM_INLINE void sem_AESIMC(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	sem_write_xmm(cpu, in, 0, simd_aes_imc(simd_rd(cpu, in, simd_src2(in))));
}

SEM_INLINE void sem_AESKEYGENASSIST(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	sem_write_xmm(cpu, in, 0, simd_aes_keygen(simd_rd(cpu, in, simd_src2(in)), simd_imm8(in)));
}

/* PCLMULQDQ: imm8 bit 0 picks src1's quadword, bit 4 src2's. */
SEM_INLINE void sem_PCLMULQDQ(struct cpu *cpu, const struct x86_insn *in)
{
	simd_begin(cpu, in);
	union x86_vec b = simd_rd(cpu, in, simd_src2(in)), a = simd_rd(cpu, in, simd_src1(in));
	uint8_t imm = simd_imm8(in);
	sem_write_xmm(cpu, in, 0, simd_clmul(a.u64[imm & 1], b.u64[imm >> 4 & 1]));
}

/* The ops this header implements, for the interpreter's table. */
// clang-format off
#define SEM_SIMD_INT_OPS(X)                                                                        \
	X(EMMS) X(MOVD) X(MOVQ) X(MOVDQA) X(MOVDQU) X(MOVQ2DQ) X(MOVDQ2Q) X(LDDQU) X(MOVNTQ)      \
	X(MOVNTDQ) X(MOVNTDQA) X(MASKMOVQ) X(MASKMOVDQU)                                           \
	X(PADDB) X(PADDW) X(PADDD) X(PADDQ) X(PADDSB) X(PADDSW) X(PADDUSB) X(PADDUSW)              \
	X(PSUBB) X(PSUBW) X(PSUBD) X(PSUBQ) X(PSUBSB) X(PSUBSW) X(PSUBUSB) X(PSUBUSW)              \
	X(PMULLW) X(PMULHW) X(PMULHUW) X(PMULUDQ) X(PMADDWD) X(PMULLD) X(PMULDQ) X(PMULHRSW)       \
	X(PMADDUBSW) X(PMAXSB) X(PMAXSW) X(PMAXSD) X(PMAXUB) X(PMAXUW) X(PMAXUD)                   \
	X(PMINSB) X(PMINSW) X(PMINSD) X(PMINUB) X(PMINUW) X(PMINUD)                                \
	X(PAVGB) X(PAVGW) X(PSADBW) X(MPSADBW) X(PHMINPOSUW)                                       \
	X(PCMPEQB) X(PCMPEQW) X(PCMPEQD) X(PCMPEQQ) X(PCMPGTB) X(PCMPGTW) X(PCMPGTD) X(PCMPGTQ)    \
	X(PAND) X(PANDN) X(POR) X(PXOR)                                                            \
	X(PSLLW) X(PSLLD) X(PSLLQ) X(PSRLW) X(PSRLD) X(PSRLQ) X(PSRAW) X(PSRAD) X(PSLLDQ)        \
	X(PSRLDQ) X(PUNPCKLBW) X(PUNPCKLWD) X(PUNPCKLDQ) X(PUNPCKLQDQ) X(PUNPCKHBW)               \
	X(PUNPCKHWD) X(PUNPCKHDQ) X(PUNPCKHQDQ) X(PACKSSWB) X(PACKSSDW) X(PACKUSWB) X(PACKUSDW)    \
	X(PSHUFD) X(PSHUFHW) X(PSHUFLW) X(PSHUFW) X(PSHUFB) X(PALIGNR)                             \
	X(PHADDW) X(PHADDD) X(PHADDSW) X(PHSUBW) X(PHSUBD) X(PHSUBSW)                              \
	X(PSIGNB) X(PSIGNW) X(PSIGND) X(PABSB) X(PABSW) X(PABSD)                                   \
	X(PMOVMSKB) X(PINSRB) X(PINSRW) X(PINSRD) X(PINSRQ) X(PEXTRB) X(PEXTRW) X(PEXTRD)          \
	X(PEXTRQ) X(PMOVSXBW) X(PMOVSXBD) X(PMOVSXBQ) X(PMOVSXWD) X(PMOVSXWQ) X(PMOVSXDQ)         \
	X(PMOVZXBW) X(PMOVZXBD) X(PMOVZXBQ) X(PMOVZXWD) X(PMOVZXWQ) X(PMOVZXDQ)                   \
	X(PTEST) X(PBLENDW) X(PBLENDVB)                                                            \
	X(PCMPESTRI) X(PCMPESTRM) X(PCMPISTRI) X(PCMPISTRM)                                        \
	X(AESENC) X(AESENCLAST) X(AESDEC) X(AESDECLAST) X(AESIMC) X(AESKEYGENASSIST) X(PCLMULQDQ)
// clang-format on

#endif
