/* test_f80_native — the f80 library against this CPU's x87, operation by
 * operation, over edge-heavy random operands and control words.
 *
 *   test_f80_native              check CASES (default 4000) cases per exact
 *                                operation; F80_NATIVE_CASES overrides
 *   test_f80_native --record N   print N cases per operation with the CPU's
 *                                results (tests/unit/f80_vectors.txt)
 *
 * The transcendental instructions are not correctly rounded on Intel
 * CPUs; test_f80_trans measures how often the library matches them. */
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

static int same(const struct case_out *x, const struct case_out *y)
{
	if (x->sw != y->sw || x->depth != y->depth || memcmp(x->mem, y->mem, 10))
		return 0;
	for (int i = 0; i < x->depth; i++)
		if (x->st[i].mant != y->st[i].mant || x->st[i].sexp != y->st[i].sexp)
			return 0;
	return 1;
}

static void print_out(const char *who, const struct case_out *o)
{
	printf("    %s: sw=%04x depth=%d", who, o->sw, o->depth);
	for (int i = 0; i < o->depth; i++)
		printf(" st%d=%04x:%016llx", i, o->st[i].sexp, (unsigned long long)o->st[i].mant);
	printf(" mem=");
	for (int i = 9; i >= 0; i--)
		printf("%02x", o->mem[i]);
	printf("\n");
}

static int is_transcendental(int op)
{
	return op >= OP_F2XM1;
}

int main(int argc, char **argv)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	long cases = 4000, bad = 0, total = 0;
	int record = argc > 2 && !strcmp(argv[1], "--record");
	const char *env = getenv("F80_NATIVE_CASES");

	if (record)
		cases = atol(argv[2]);
	else if (env)
		cases = atol(env);
	for (int op = 0; op < OP_COUNT; op++) {
		long op_bad = 0, n = cases * (record && is_transcendental(op) ? 3 : 1);
		if (!record && is_transcendental(op))
			continue;
		for (long k = 0; k < n; k++) {
			struct case_in in;
			struct case_out want, got;
			case_random(&seed, &in, op);
			native(&in, &want);
			if (record) {
				printf("%s %04x %04x:%016llx %04x:%016llx %016llx",
				       case_op_name[op], in.cw, in.a.sexp,
				       (unsigned long long)in.a.mant, in.b.sexp,
				       (unsigned long long)in.b.mant, (unsigned long long)in.m);
				printf(" %04x %d", want.sw, want.depth);
				for (int i = 0; i < want.depth; i++)
					printf(" %04x:%016llx", want.st[i].sexp,
					       (unsigned long long)want.st[i].mant);
				printf(" ");
				for (int i = 9; i >= 0; i--)
					printf("%02x", want.mem[i]);
				printf("\n");
				continue;
			}
			case_emulate(&in, &got);
			total++;
			if (same(&want, &got))
				continue;
			if (op_bad++ < 8) {
				printf("MISMATCH %s cw=%04x a=%04x:%016llx b=%04x:%016llx "
				       "m=%016llx\n",
				       case_op_name[op], in.cw, in.a.sexp,
				       (unsigned long long)in.a.mant, in.b.sexp,
				       (unsigned long long)in.b.mant, (unsigned long long)in.m);
				print_out("cpu", &want);
				print_out("f80", &got);
			}
		}
		if (!record)
			printf("%-9s %6ld cases, %ld mismatches\n", case_op_name[op], n, op_bad);
		bad += op_bad;
	}
	if (!record)
		printf("total: %ld cases, %ld mismatches\n", total, bad);
	return bad != 0;
}
#endif
