/* simd_fp_replay — the SSE floating-point core on the host it is built for
 * (the aarch64 build, under qemu-aarch64), against the native results that
 * simd_fp_native recorded on x86-64: every result bit, MXCSR flag and
 * trap.
 *
 * Usage: simd_fp_replay CASES-FILE
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tests/x86/simd_fp_emu.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: simd_fp_replay CASES-FILE\n");
		return 99;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 99;
	}
	struct simd_fp_case n;
	unsigned long cases = 0, failures = 0;
	while (fread(&n, sizeof n, 1, f) == 1) {
		if (n.op >= SIMD_FP_NOPS) {
			fprintf(stderr, "%s: bad case %lu\n", argv[1], cases);
			return 99;
		}
		struct simd_fp_case e = n;
		simd_fp_emu(&e);
		cases++;
		if (memcmp(&n, &e, sizeof n) && ++failures <= 40)
			printf("FAIL %-12s mxcsr %04x a %016" PRIx64 " b %016" PRIx64
			       ": native %016" PRIx64 " mxcsr %04x trap %d, emulated %016" PRIx64
			       " mxcsr %04x trap %d\n",
			       simd_fp_op_names[n.op], n.mxcsr, n.a, n.b, n.result, n.mxcsr_after,
			       n.trap, e.result, e.mxcsr_after, e.trap);
	}
	if (ferror(f) || cases == 0) {
		fprintf(stderr, "%s: unreadable or empty\n", argv[1]);
		return 99;
	}
	fclose(f);
	printf("simd_fp_replay: %lu cases, %lu failures\n", cases, failures);
	return failures != 0;
}
