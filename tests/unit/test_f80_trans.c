/* test_f80_trans — how closely the f80 transcendental functions follow
 * this CPU, which does not round them correctly.
 *
 * For each instruction it runs random operands (mostly inside the
 * instruction's domain; see case_trans_operands) under every RC and PC
 * on the CPU and in the library and prints: cases, % bit-exact (value and
 * status word), the same under RC = nearest only, % within one ulp, the
 * largest difference in ulps, and how many status words differ. It fails
 * when a rate drops below what was measured when the code was written
 * (the floors below), so a regression cannot pass.
 *
 *   test_f80_trans           4000 cases per instruction (under a second)
 *   F80_TRANS_CASES=N        N cases per instruction (200000: a few seconds)
 *   test_f80_trans -v        also print each mismatch
 *
 * Measured on an Intel family 6 model 0xa7 CPU, 200000 cases each:
 *
 *   insn      exact%  RN-exact%  <=1ulp%  max ulp
 *   F2XM1      99.13    98.70    100.000     1
 *   FYL2X      99.53    99.39     99.999     2  (x within 2^-60 of 1)
 *   FYL2XP1    91.29    86.49    100.000     1
 *   FPATAN     98.79    98.17    100.000     1
 *   FSIN       98.25    96.97    100.000     1
 *   FCOS       97.94    96.69    100.000     1
 *   FSINCOS    96.76    95.33    100.000     1
 *   FPTAN      93.92    92.24    100.000     1
 *
 * The residue: results whose exact value lies within about 0.1 ulp of a
 * rounding boundary, where the CPU's own approximation (not known bit
 * for bit) decides; and C1 (the round-up bit), which follows the CPU's
 * intermediate value. FYL2XP1 keeps its intermediate in a way not yet
 * matched (the misses are spread over every argument size); FYL2X near
 * x = 1 computes log2 with less relative precision than elsewhere.
 * Special operands (zeros, infinities, NaNs, unsupported encodings,
 * stack faults, out-of-range and tiny arguments) match exactly: the
 * differential set "x87" checks them (tests/x86/forms_x87.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/f80_cases.h"

#if !defined(__x86_64__)
int main(void)
{
	puts("SKIP: the x87 oracle needs an x86-64 host (test_f80_vectors covers this one)");
	return 77;
}
#else
#include "tests/unit/f80_native.h"

/* Distance in ulps between two results (same-sign values ordered by
 * their encoding), capped at 2^40 when they are not comparable. */
static long long ulps(struct x86_f80 a, struct x86_f80 b)
{
	unsigned __int128 x =
		((unsigned __int128)(a.sexp & 0x7fff) << 63) | (a.mant & ~F80_INT_BIT);
	unsigned __int128 y =
		((unsigned __int128)(b.sexp & 0x7fff) << 63) | (b.mant & ~F80_INT_BIT);
	unsigned __int128 d = x > y ? x - y : y - x;
	if ((a.sexp ^ b.sexp) & 0x8000)
		return x == 0 && y == 0 ? 0 : 1ll << 40;
	return d > (1u << 30) ? 1ll << 40 : (long long)d;
}

/* Per instruction: the lowest bit-exact rate (%) accepted: what was
 * measured over 20000 cases, less a margin for the smaller default sample. */
static const double floor_exact[OP_COUNT] = {
	[OP_F2XM1] = 97.5, [OP_FYL2X] = 98.5, [OP_FYL2XP1] = 89.0, [OP_FPATAN] = 96.5,
	[OP_FSIN] = 97.0,  [OP_FCOS] = 96.5,  [OP_FSINCOS] = 95.0, [OP_FPTAN] = 92.0,
};

int main(int argc, char **argv)
{
	uint64_t seed = 0x2545f4914f6cdd1dull;
	long cases = 4000;
	int verbose = argc > 1 && !strcmp(argv[1], "-v"), fail = 0;
	const char *env = getenv("F80_TRANS_CASES");

	if (env)
		cases = atol(env);
	printf("%-8s %8s %8s %8s %8s %8s %8s\n", "insn", "cases", "exact%", "RNexact%", "1ulp%",
	       "maxulp", "swdiff");
	for (int op = OP_F2XM1; op < OP_COUNT; op++) {
		long exact = 0, near = 0, swdiff = 0, rn = 0, rn_exact = 0;
		long long maxulp = 0;
		for (long k = 0; k < cases; k++) {
			struct case_in in;
			struct case_out want, got;
			long long d = 0;
			case_random(&seed, &in, op);
			native(&in, &want);
			case_emulate(&in, &got);
			if (want.depth != got.depth) {
				d = 1ll << 40;
			} else {
				for (int i = 0; i < want.depth; i++) {
					long long di = ulps(want.st[i], got.st[i]);
					if (di > d)
						d = di;
				}
			}
			if (want.sw != got.sw)
				swdiff++;
			if (d == 0 && want.sw == got.sw)
				exact++;
			if (F80_CW_RC(in.cw) == F80_RC_NEAR) {
				rn++;
				rn_exact += d == 0 && want.sw == got.sw;
			}
			if (d <= 1)
				near++;
			if (d > maxulp)
				maxulp = d;
			if (verbose && (d || want.sw != got.sw)) {
				printf("%s cw=%04x a=%04x:%016llx b=%04x:%016llx d=%lld\n",
				       case_op_name[op], in.cw, in.a.sexp,
				       (unsigned long long)in.a.mant, in.b.sexp,
				       (unsigned long long)in.b.mant, d);
				for (int i = 0; i < 2; i++) {
					const struct case_out *o = i ? &got : &want;
					printf("    %s sw=%04x", i ? "f80" : "cpu", o->sw);
					for (int j = 0; j < o->depth; j++)
						printf(" %04x:%016llx", o->st[j].sexp,
						       (unsigned long long)o->st[j].mant);
					printf("\n");
				}
			}
		}
		double rate = 100.0 * exact / cases;
		printf("%-8s %8ld %8.3f %8.3f %8.3f %8lld %8ld%s\n", case_op_name[op], cases, rate,
		       100.0 * rn_exact / (rn ? rn : 1), 100.0 * near / cases, maxulp, swdiff,
		       rate < floor_exact[op] ? "  BELOW FLOOR" : "");
		if (rate < floor_exact[op])
			fail = 1;
	}
	return fail;
}
#endif
