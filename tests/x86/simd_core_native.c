/* simd_core_native — the AES-NI, PCLMULQDQ and SSE4.2 string-compare cores
 * (simd_aes.c, simd_pcmpstr.c) against the x86-64 CPU running the test:
 * every imm8 of PCMPESTRI/M and PCMPISTRI/M over edge and random strings
 * and lengths (the result bits and all six flags), AES rounds and key
 * assistance, and the four PCLMULQDQ selections, on random data.
 *
 * x86-64 hosts only. SIMD_CORE_LONG=1 runs 20x more random cases.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translator/x86/simd_aes.h"
#include "translator/x86/simd_pcmpstr.h"

typedef long long v2di __attribute__((vector_size(16)));

static v2di to_v(union x86_vec x)
{
	v2di v;
	memcpy(&v, &x, 16);
	return v;
}

static union x86_vec from_v(v2di v)
{
	union x86_vec x;
	memcpy(&x, &v, 16);
	return x;
}

static unsigned long cases, failures;

static void fail(const char *what, union x86_vec a, union x86_vec b, uint64_t extra)
{
	failures++;
	if (failures <= 20)
		printf("FAIL %s a %016" PRIx64 "%016" PRIx64 " b %016" PRIx64 "%016" PRIx64
		       " extra %" PRIx64 "\n",
		       what, a.u64[1], a.u64[0], b.u64[1], b.u64[0], extra);
}

/* ---- string compares: one native function per imm8 ---- */

struct native_str {
	union x86_vec m_e, m_i; /* PCMPESTRM, PCMPISTRM */
	uint64_t fl_e, fl_i;	/* RFLAGS CF PF AF ZF SF OF after ...I */
};

/* lahf gives SF ZF AF PF CF; seto the rest (no pushf: it would write the
 * red zone under the compiler's feet) */
#define STR_FN(h, l)                                                                               \
	static void str_##h##l(v2di a, v2di b, long long la, long long lb, struct native_str *r)   \
	{                                                                                          \
		v2di m;                                                                            \
		long long ax = la;                                                                 \
		uint8_t of;                                                                        \
		__asm__("pcmpestri $0x" #h #l ", %[b], %[a]\n\tlahf\n\tseto %[of]"                 \
			: "+a"(ax), [of] "=r"(of)                                                  \
			: [a] "x"(a), [b] "x"(b), "d"(lb)                                          \
			: "cc", "rcx");                                                            \
		r->fl_e = ((uint64_t)ax >> 8 & 0xd5) | (uint64_t)of << 11;                         \
		__asm__("pcmpistri $0x" #h #l ", %[b], %[a]\n\tlahf\n\tseto %[of]"                 \
			: "=a"(ax), [of] "=r"(of)                                                  \
			: [a] "x"(a), [b] "x"(b)                                                   \
			: "cc", "rcx");                                                            \
		r->fl_i = ((uint64_t)ax >> 8 & 0xd5) | (uint64_t)of << 11;                         \
		__asm__("pcmpestrm $0x" #h #l ", %[b], %[a]"                                       \
			: "=Yz"(m)                                                                 \
			: [a] "x"(a), [b] "x"(b), "a"(la), "d"(lb)                                 \
			: "cc");                                                                   \
		r->m_e = from_v(m);                                                                \
		__asm__("pcmpistrm $0x" #h #l ", %[b], %[a]"                                       \
			: "=Yz"(m)                                                                 \
			: [a] "x"(a), [b] "x"(b)                                                   \
			: "cc");                                                                   \
		r->m_i = from_v(m);                                                                \
	}
// clang-format off
#define STR16(h) STR_FN(h, 0) STR_FN(h, 1) STR_FN(h, 2) STR_FN(h, 3) STR_FN(h, 4) STR_FN(h, 5) \
		 STR_FN(h, 6) STR_FN(h, 7) STR_FN(h, 8) STR_FN(h, 9) STR_FN(h, a) STR_FN(h, b) \
		 STR_FN(h, c) STR_FN(h, d) STR_FN(h, e) STR_FN(h, f)
STR16(0) STR16(1) STR16(2) STR16(3) STR16(4) STR16(5) STR16(6) STR16(7)
#define STR16P(h) str_##h##0, str_##h##1, str_##h##2, str_##h##3, str_##h##4, str_##h##5, \
		  str_##h##6, str_##h##7, str_##h##8, str_##h##9, str_##h##a, str_##h##b, \
		  str_##h##c, str_##h##d, str_##h##e, str_##h##f
/* str_fns[imm] for imm8 0-0x7f (bit 7 is ignored) */
static void (*const str_fns[128])(v2di, v2di, long long, long long, struct native_str *) = {
	STR16P(0), STR16P(1), STR16P(2), STR16P(3), STR16P(4), STR16P(5), STR16P(6), STR16P(7),
};
// clang-format on

static uint64_t emu_flags(struct simd_strcmp r)
{
	return (uint64_t)r.cf | (uint64_t)r.zf << 6 | (uint64_t)r.sf << 7 | (uint64_t)r.of << 11;
}

/* IntRes2 as the native mask shows it: the bits themselves, or each
 * element's top bit when expanded (imm8 bit 6). */
static unsigned native_res(union x86_vec m, unsigned imm)
{
	if (!(imm & 0x40))
		return m.u64[1] || m.u64[0] >> 16 ? ~0u : m.u16[0];
	unsigned cnt = imm & 1 ? 8 : 16, r = 0;
	for (unsigned i = 0; i < cnt; i++)
		r |= (unsigned)(m.u8[(i + 1) * (16 / cnt) - 1] >> 7) << i;
	return r;
}

static void check_str(unsigned imm, union x86_vec a, union x86_vec b, long long la, long long lb)
{
	struct native_str n;
	str_fns[imm](to_v(a), to_v(b), la, lb, &n);
	for (int implicit = 0; implicit < 2; implicit++) {
		struct simd_strcmp r = simd_pcmpstr(a, b, la, lb, implicit, (uint8_t)imm);
		unsigned nres = native_res(implicit ? n.m_i : n.m_e, imm);
		uint64_t nfl = implicit ? n.fl_i : n.fl_e;
		cases++;
		if (nres != r.res || nfl != emu_flags(r)) {
			char what[64];
			snprintf(what, sizeof what, "pcmp%cstr imm %02x la %lld lb %lld",
				 implicit ? 'i' : 'e', imm, la, lb);
			fail(what, a, b, (uint64_t)nres << 32 | r.res);
		}
	}
}

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Strings from a small alphabet (so that matches happen), with zeros
 * sprinkled in for the implicit lengths. */
static union x86_vec rnd_str(void)
{
	static const uint8_t alpha[] = {0, 'a', 'b', 'c', 0x7f, 0x80, 0xff, 'z', 0x01, 'a', 'b'};
	union x86_vec v;
	unsigned mode = rnd() % 4;
	for (unsigned i = 0; i < 16; i++)
		v.u8[i] = mode == 0   ? (uint8_t)rnd()
			  : mode == 1 ? alpha[1 + rnd() % (sizeof alpha - 1)]
				      : alpha[rnd() % sizeof alpha];
	return v;
}

static long long rnd_len(void)
{
	static const long long edge[] = {0,
					 1,
					 7,
					 8,
					 9,
					 15,
					 16,
					 17,
					 -1,
					 -8,
					 -16,
					 -17,
					 100,
					 0x7fffffff,
					 -0x7fffffffll - 1,
					 0x100000010ll};
	return rnd() % 3 ? (long long)(rnd() % 18) : edge[rnd() % (sizeof edge / sizeof edge[0])];
}

static void test_strings(unsigned long n)
{
	for (unsigned k = 0; k < 128; k++)
		for (unsigned long i = 0; i < n; i++) {
			union x86_vec a = rnd_str(), b = rnd_str();
			if (i % 4 == 0) /* make b contain a's prefix somewhere */
				memcpy(&b.u8[rnd() % 8], &a, 4 + rnd() % 4);
			check_str(k, a, b, rnd_len(), rnd_len());
		}
}

/* ---- AES, PCLMULQDQ ---- */

#define AES_FN(name, insn)                                                                         \
	static union x86_vec name(union x86_vec s, union x86_vec k)                                \
	{                                                                                          \
		v2di x = to_v(s);                                                                  \
		__asm__(insn " %[k], %[x]" : [x] "+x"(x) : [k] "x"(to_v(k)));                      \
		return from_v(x);                                                                  \
	}
// clang-format off
AES_FN(n_aesenc, "aesenc")
AES_FN(n_aesenclast, "aesenclast")
AES_FN(n_aesdec, "aesdec")
AES_FN(n_aesdeclast, "aesdeclast")
AES_FN(n_aesimc, "aesimc")
// clang-format on

// clang-format off
#define KEYGEN(r) case r: __asm__("aeskeygenassist $" #r ", %[s], %[x]" : [x] "=x"(x) : [s] "x"(v)); break;
#define KEYGEN8(h) KEYGEN(h##0) KEYGEN(h##1) KEYGEN(h##2) KEYGEN(h##3) \
		   KEYGEN(h##4) KEYGEN(h##5) KEYGEN(h##6) KEYGEN(h##7)

static union x86_vec n_keygen(union x86_vec s, unsigned rcon)
{
	v2di v = to_v(s), x = {0, 0};
	switch (rcon) { /* the round constants AES uses, and a few more */
		KEYGEN(0) KEYGEN(1) KEYGEN(2) KEYGEN(4) KEYGEN(8) KEYGEN(16) KEYGEN(32) KEYGEN(64)
		KEYGEN(128) KEYGEN(27) KEYGEN(54) KEYGEN(255) KEYGEN(170)
	}
	return from_v(x);
}
static const unsigned rcons[] = {0, 1, 2, 4, 8, 16, 32, 64, 128, 27, 54, 255, 170};
// clang-format on

// clang-format off
#define CLMUL(i) case i: __asm__("pclmulqdq $" #i ", %[b], %[x]" : [x] "+x"(x) : [b] "x"(to_v(b))); break;

static union x86_vec n_clmul(union x86_vec a, union x86_vec b, unsigned imm)
{
	v2di x = to_v(a);
	switch (imm) {
		CLMUL(0x00) CLMUL(0x01) CLMUL(0x10) CLMUL(0x11) CLMUL(0xfe) CLMUL(0xef)
	}
	return from_v(x);
}
static const unsigned clmul_imms[] = {0x00, 0x01, 0x10, 0x11, 0xfe, 0xef};
// clang-format on

static union x86_vec rnd_vec(void)
{
	union x86_vec v;
	v.u64[0] = rnd();
	v.u64[1] = rnd();
	if (rnd() % 8 == 0)
		v.u64[rnd() % 2] = rnd() % 2 ? 0 : ~0ull;
	return v;
}

static void check_vec(const char *what, union x86_vec a, union x86_vec b, union x86_vec n,
		      union x86_vec e)
{
	cases++;
	if (memcmp(&n, &e, 16))
		fail(what, a, b, e.u64[0]);
}

static void test_aes(unsigned long n)
{
	static const struct {
		const char *name;
		union x86_vec (*native)(union x86_vec, union x86_vec);
		enum simd_aes_op op;
	} rounds[] = {{"aesenc", n_aesenc, SIMD_AESENC},
		      {"aesenclast", n_aesenclast, SIMD_AESENCLAST},
		      {"aesdec", n_aesdec, SIMD_AESDEC},
		      {"aesdeclast", n_aesdeclast, SIMD_AESDECLAST}};
	for (unsigned long i = 0; i < n; i++) {
		union x86_vec a = rnd_vec(), b = rnd_vec();
		for (unsigned r = 0; r < 4; r++)
			check_vec(rounds[r].name, a, b, rounds[r].native(a, b),
				  simd_aes_round(a, b, rounds[r].op));
		check_vec("aesimc", a, b, n_aesimc(b, b), simd_aes_imc(b));
		for (unsigned r = 0; r < sizeof rcons / sizeof rcons[0]; r++)
			check_vec("aeskeygenassist", a, b, n_keygen(a, rcons[r]),
				  simd_aes_keygen(a, (uint8_t)rcons[r]));
		for (unsigned s = 0; s < sizeof clmul_imms / sizeof clmul_imms[0]; s++) {
			unsigned imm = clmul_imms[s];
			check_vec("pclmulqdq", a, b, n_clmul(a, b, imm),
				  simd_clmul(a.u64[imm & 1], b.u64[imm >> 4 & 1]));
		}
	}
}

int main(void)
{
	unsigned long scale = getenv("SIMD_CORE_LONG") ? 20 : 1;
	test_strings(300 * scale);
	test_aes(20000 * scale);
	printf("simd_core_native: %lu cases, %lu failures\n", cases, failures);
	return failures != 0;
}
