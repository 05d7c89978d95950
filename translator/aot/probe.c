/* probe.c — every op's semantics instantiated the way lifted code runs
 * them (on a frame's local copy, through the fault seam), compiled at
 * build time like an image. The functions it leaves undefined are exactly
 * what images may import: the runtime exports them (image_exports.def,
 * made from this file by translator/runtime/image.mk). */
#include "translator/aot/xlrt.h"

#define PROBE(NAME)                                                                        \
	void probe_##NAME(struct cpu *xl_real, const struct x86_insn *in);                 \
	void probe_##NAME(struct cpu *xl_real, const struct x86_insn *in)                  \
	{                                                                                  \
		struct xl_frame F;                                                         \
		F.real = xl_real;                                                          \
		memcpy(&F.c, xl_real, XL_GUEST_STATE);                                     \
		sem_##NAME(&F.c, in);                                                      \
		memcpy(xl_real, &F.c, XL_GUEST_STATE);                                     \
	}
SEM_ALU_OPS(PROBE)
SEM_SHIFT_OPS(PROBE)
SEM_MOVE_OPS(PROBE)
SEM_BRANCH_OPS(PROBE)
SEM_SYSTEM_OPS(PROBE)
SEM_SIMD_INT_OPS(PROBE)
SEM_SSE_OPS(PROBE)
SEM_X87_OPS(PROBE)

struct xl_target probe_lookup(uint64_t rip);
struct xl_target probe_lookup(uint64_t rip)
{
	return xl_lookup(rip);
}
