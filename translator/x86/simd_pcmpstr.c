/* simd_pcmpstr.c — PCMPESTRI/M and PCMPISTRI/M: SSE4.2 string compares.
 *
 * imm8: bit 0 words (else bytes), bit 1 signed, bits 2-3 aggregation
 * (equal any, ranges, equal each, equal ordered), bits 4-5 polarity.
 * Element i of a (the needle) is compared with element j of b (the
 * haystack); elements past a string's length are invalid and compare as
 * the SDM's table for each aggregation says.
 */
#include "translator/x86/simd_pcmpstr.h"

enum { EQUAL_ANY, RANGES, EQUAL_EACH, EQUAL_ORDERED };

static int64_t element(const union x86_vec *v, unsigned i, bool words, bool sign)
{
	if (words)
		return sign ? v->i16[i] : v->u16[i];
	return sign ? v->i8[i] : v->u8[i];
}

static unsigned implicit_length(const union x86_vec *v, unsigned n, bool words)
{
	unsigned i = 0;
	while (i < n && element(v, i, words, false) != 0)
		i++;
	return i;
}

/* |len| saturated to n */
static unsigned explicit_length(int64_t len, unsigned n)
{
	uint64_t mag = len < 0 ? 0 - (uint64_t)len : (uint64_t)len;
	return mag > n ? n : (unsigned)mag;
}

struct simd_strcmp simd_pcmpstr(union x86_vec a, union x86_vec b, int64_t la, int64_t lb,
				bool implicit, uint8_t imm)
{
	bool words = imm & 1, sign = imm & 2;
	unsigned agg = imm >> 2 & 3, n = words ? 8 : 16;
	unsigned na = implicit ? implicit_length(&a, n, words) : explicit_length(la, n);
	unsigned nb = implicit ? implicit_length(&b, n, words) : explicit_length(lb, n);

	/* BoolRes[i][j]: a[i] against b[j], with the overrides for invalid
	 * elements folded in */
	bool res[16][16];
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < n; j++) {
			bool va = i < na, vb = j < nb;
			int64_t x = element(&a, i, words, sign), y = element(&b, j, words, sign);
			bool r = agg == RANGES ? (i & 1 ? y <= x : y >= x) : x == y;
			if (!va || !vb) {
				switch (agg) {
				case EQUAL_EACH: r = !va && !vb; break;
				case EQUAL_ORDERED: r = !va; break;
				default: r = false; break;
				}
			}
			res[i][j] = r;
		}

	unsigned int1 = 0;
	for (unsigned j = 0; j < n; j++) {
		bool r = agg == EQUAL_ORDERED;
		switch (agg) {
		case EQUAL_ANY:
			for (unsigned i = 0; i < n; i++)
				r |= res[i][j];
			break;
		case RANGES:
			for (unsigned i = 0; i + 1 < n; i += 2)
				r |= res[i][j] && res[i + 1][j];
			break;
		case EQUAL_EACH: r = res[j][j]; break;
		default:
			for (unsigned i = 0; i + j < n; i++)
				r &= res[i][j + i];
			break;
		}
		int1 |= (unsigned)r << j;
	}

	unsigned all = (1u << n) - 1, valid_b = (1u << nb) - 1, int2;
	switch (imm >> 4 & 3) {
	case 1: int2 = ~int1 & all; break;
	case 3: int2 = int1 ^ valid_b; break; /* negate only b's valid elements */
	default: int2 = int1; break;
	}
	return (struct simd_strcmp){
		.res = (uint16_t)int2,
		.cf = int2 != 0,
		.zf = nb < n,
		.sf = na < n,
		.of = int2 & 1,
	};
}
