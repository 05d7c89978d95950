/* xlrt.h — what every C file xlatec generates includes: the semantics
 * headers (the interpreter's own) and the few macros lifted code is written
 * with. xlatec carries this header and the semantics headers inside itself
 * (headers.c), so an image is always compiled against the semantics of the
 * xlatec build that made it, which its header names (translator build id).
 *
 * A region runs on a local copy of the guest state (F.c): its address
 * never escapes, so the C compiler keeps guest registers in host registers
 * and drops flag computations nobody observes. The real state (*xl_real)
 * is brought up to date ("synchronised") at region exits and after guest
 * stores (see xlimage.h, "Faults"). xlatec knows which fields the code
 * since the last synchronisation may have written (region.c, dirtiness)
 * and names exactly those: every synchronising macro takes that list of
 * XL_PUT(field) as its last argument (SYNC below).
 */
#ifndef XLATE_XLRT_H
#define XLATE_XLRT_H

#include <stddef.h>
#include <stdint.h>

/* The fault seam. Semantics raise faults with x86_raise(cpu, ...) (and
 * simd_fp_trap, which raises #XM, and x87_pending, #MF before an MMX
 * instruction); in lifted code cpu is a frame's local
 * copy, whose address must not escape. These inline stand-ins raise on
 * the frame's real cpu instead; since *xl_real always holds a consistent
 * earlier state, the dispatcher replays from there in
 * the interpreter, which raises the fault with exact state. (A static
 * declaration first: x86.h's later plain declarations of the renamed
 * functions then have internal linkage too.) */
struct cpu;
static inline __attribute__((always_inline)) _Noreturn void
xl_raise_seam(struct cpu *cpu, int signo, int code, uint64_t addr, int trapno);
static inline __attribute__((always_inline)) _Noreturn void
xl_raise_err_seam(struct cpu *cpu, int signo, int code, uint64_t addr, int trapno, uint64_t err);
static inline __attribute__((always_inline)) _Noreturn void xl_fp_trap_seam(struct cpu *cpu,
									    uint32_t flags);
static inline __attribute__((always_inline)) void xl_x87_pending_seam(struct cpu *cpu);
#define x86_raise     xl_raise_seam
#define x86_raise_err xl_raise_err_seam
#define simd_fp_trap  xl_fp_trap_seam
#define x87_pending   xl_x87_pending_seam
#include "translator/x86/sem_alu.h"
#include "translator/x86/sem_branch.h"
#include "translator/x86/sem_move.h"
#include "translator/x86/sem_shift.h"
#include "translator/x86/sem_simd_int.h"
#include "translator/x86/sem_sse.h"
#include "translator/x86/sem_system.h"
#include "translator/x86/sem_x87.h"
#undef x86_raise
#undef x86_raise_err
#undef simd_fp_trap
#undef x87_pending
#include "translator/aot/xlimage.h"

/* The runtime's x86_raise (an import). */
_Noreturn void xl_x86_raise(struct cpu *cpu, int signo, int code, uint64_t addr,
			    int trapno) __asm__("x86_raise");

/* The runtime's translated-code lookup (an import). */
struct xl_target xl_lookup(uint64_t rip);

#pragma GCC visibility push(hidden)

/* The state of a running region: the local copy and the real cpu. */
struct xl_frame {
	struct cpu c;
	struct cpu *real;
};

/* Semantics always run on a frame's local copy (XL_REAL_FN makes one for
 * the instructions that run out of line), so the real cpu is always the
 * frame's `real`. */
static inline __attribute__((always_inline)) _Noreturn void
xl_raise_seam(struct cpu *cpu, int signo, int code, uint64_t addr, int trapno)
{
	xl_x86_raise(((struct xl_frame *)(void *)cpu)->real, signo, code, addr, trapno);
}

static inline __attribute__((always_inline)) _Noreturn void
xl_raise_err_seam(struct cpu *cpu, int signo, int code, uint64_t addr, int trapno, uint64_t err)
{
	xl_raise_seam(cpu, signo, code, addr, trapno);
}

/* An unmasked SSE exception (#XM): the replay computes the rest. */
static inline __attribute__((always_inline)) _Noreturn void xl_fp_trap_seam(struct cpu *cpu,
									    uint32_t flags)
{
	(void)flags;
	xl_raise_seam(cpu, X86_SIGFPE, 0, 0, 19);
}

/* A pending x87 exception before an MMX instruction (#MF). Even a call
 * that later folds away would keep the compiler from holding the local
 * copy in registers if it took the copy's address. */
static inline __attribute__((always_inline)) void xl_x87_pending_seam(struct cpu *cpu)
{
	xl_raise_seam(cpu, X86_SIGFPE, 0, 0, 16);
}

/* The image's own entries by guest offset, for indirect jumps and calls
 * without the runtime's lookup: open addressing, xl_hash_mask + 1 slots
 * (a power of two, at least half empty), probed linearly from
 * xl_hash_slot(off); an empty slot has fn NULL (tables.c, emit.c). Like a
 * direct branch to another region, a jump found here stays in the image
 * even when the runtime has stopped looking it up (image_forget). */
struct xl_hent {
	uint32_t off, index;
	xl_region_fn fn;
};
extern const struct xl_hent xl_hash[];
extern const uint32_t xl_hash_mask;
/* The end of the module's segments: offsets from there on are others'. */
extern const uint64_t xl_module_end;

/* The entry at guest offset o (rip - B), or NULL when the image has none. */
static inline const struct xl_hent *xl_find(uint64_t o)
{
	const uint32_t mask = xl_hash_mask;
	if (o >= xl_module_end) /* the common miss: a call into a library */
		return NULL;
	for (uint32_t h = xl_hash_slot((uint32_t)o, mask);; h = (h + 1) & mask) {
		const struct xl_hent *e = &xl_hash[h];
		if (!e->fn)
			return NULL;
		if (e->off == o)
			return e;
	}
}

extern uint64_t xl_bias;       /* the module's load bias, stored by the loader */
extern uint64_t xl_counted[2]; /* the summary's count (xlimage.h) */

/* A basic block of n instructions begins: a count site (xlimage.h), a
 * no-op unless the loader made it a jump to the code that counts. Each
 * site's labels are named by __COUNTER__, unique in the file. */
#if defined(__x86_64__)
#define XL_SITE_NOP ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00"
#elif defined(__aarch64__)
#define XL_SITE_NOP "nop"
#endif
#define XL_COUNT(n)	XL_COUNT_(n, __COUNTER__)
#define XL_COUNT_(n, k) XL_COUNT__(n, k)
// clang-format off
#define XL_COUNT__(n, k)                                                                           \
	do {                                                                                       \
		__asm__ goto("0: " XL_SITE_NOP "\n\t"                                              \
			     ".pushsection xl_count_sites, \"a\"\n\t"                              \
			     ".balign 4\n\t"                                                       \
			     ".long 0b - ., %l0 - .\n\t"                                           \
			     ".popsection"                                                         \
			     : : : : xl_count_##k);                                                \
		if (0) {                                                                           \
		xl_count_##k:                                                                      \
			__atomic_fetch_add(&xl_counted[0], (n), __ATOMIC_RELAXED);                 \
			__atomic_fetch_add(&xl_counted[1], 1, __ATOMIC_RELAXED);                   \
		}                                                                                  \
	} while (0)
// clang-format on

/* ---- fields of the guest state, by class (aot.h CL_*) ---- */

// clang-format off
#define XL_GPR(X) X(gpr[0]) X(gpr[1]) X(gpr[2]) X(gpr[3]) X(gpr[4]) X(gpr[5]) X(gpr[6])   \
	X(gpr[7]) X(gpr[8]) X(gpr[9]) X(gpr[10]) X(gpr[11]) X(gpr[12]) X(gpr[13])          \
	X(gpr[14]) X(gpr[15])
#define XL_FLAGS(X) X(cf) X(pf) X(af) X(zf) X(sf) X(of) X(df)
#define XL_MISC(X) X(fs_base) X(gs_base) X(ac) X(id)
#define XL_V2(X, a, i) X(a[i].u64[0]) X(a[i].u64[1])
#define XL_F80(X, i) X(fpr[i].mant) X(fpr[i].sexp)
#define XL_X87(X) XL_F80(X, 0) XL_F80(X, 1) XL_F80(X, 2) XL_F80(X, 3) XL_F80(X, 4)         \
	XL_F80(X, 5) XL_F80(X, 6) XL_F80(X, 7) X(fcw) X(fsw) X(ftw) X(ftop) X(fop) X(fip)  \
	X(fdp)
// clang-format on

/* Each region defines XL_STATE(X) (its classes but the flags) before its
 * function, and undefines it after; of the vector state it names only the
 * registers the region's instructions use (XL_SSE_R, XL_AVX_R: lists of
 * XL_V2, emit.c), which is also what its synchronisations write. */

#define XL_V(f)	  (((volatile struct cpu *)xl_real)->f)
#define XL_PUT(f) XL_V(f) = F.c.f;
#define XL_GET(f) F.c.f = xl_real->f;
#define XL_RIP(v) (XL_V(rip) = (v))

/* Everything back from the real cpu (on entry, and after it changed: a
 * call, an on-real instruction). */
#define XL_GET_ALL() XL_STATE(XL_GET) XL_FLAGS(XL_GET)

/* Region prologue. */
#define XL_BEGIN()                                                                                 \
	struct xl_frame F;                                                                         \
	const uint64_t B = xl_bias;                                                                \
	F.real = xl_real;                                                                          \
	XL_GET_ALL()

#define XL_REGION(name)                                                                            \
	struct xl_exit name(struct cpu *xl_real, uint32_t xl_entry, uint32_t xl_depth)

/* One instruction on the local state. */
#define XL_I(off, NAME, ...)                                                                       \
	do {                                                                                       \
		static const struct x86_insn xl_i = __VA_ARGS__;                                   \
		F.c.rip = B + (off);                                                               \
		sem_##NAME(&F.c, &xl_i);                                                           \
	} while (0)

/* The condition of a JCC whose target the lifter knows (its semantics
 * would compute and check the target from it). */
#define XL_COND(cc) sem_cond(&F.c, (cc))

/* Instructions whose semantics hand the cpu to out-of-line functions run
 * out of line, on a frame of their own, so that the region's local copy
 * never escapes: XL_REAL_FN(NAME) defines the function (once per file),
 * XL_REAL runs it; afterwards *xl_real is exact after the instruction. */
#define XL_GUEST_STATE offsetof(struct cpu, fault) /* the guest's part of struct cpu */
#define XL_REAL_FN(NAME)                                                                           \
	static __attribute__((noinline)) void xl_real_##NAME(struct cpu *real,                     \
							     const struct x86_insn *in)            \
	{                                                                                          \
		struct xl_frame G;                                                                 \
		G.real = real;                                                                     \
		memcpy(&G.c, real, XL_GUEST_STATE);                                                \
		sem_##NAME(&G.c, in);                                                              \
		memcpy(real, &G.c, XL_GUEST_STATE);                                                \
	}
#define XL_REAL(off, len, NAME, SYNC, ...)                                                         \
	do {                                                                                       \
		static const struct x86_insn xl_i = __VA_ARGS__;                                   \
		SYNC XL_RIP(B + (off));                                                            \
		xl_real_##NAME(xl_real, &xl_i);                                                    \
		XL_RIP(B + (off) + (len));                                                         \
		XL_GET_ALL()                                                                       \
	} while (0)

/* Leaving the region for `r` (why: enum xl_why). */
#define XL_OUT(r, why, SYNC)                                                                       \
	do {                                                                                       \
		uint64_t xl_r_ = (r);                                                              \
		SYNC XL_RIP(xl_r_);                                                                \
		return (struct xl_exit){xl_r_, (why)};                                             \
	} while (0)

/* A loop back edge: leave if the runtime asked (signals are delivered at
 * block boundaries). Only the flags the loop head may observe are exact;
 * the rest are dead there (see xlimage.h). */
#define XL_POLL(off, SYNC)                                                                         \
	do {                                                                                       \
		if (__builtin_expect(x86_interrupt(xl_real), 0)) {                                 \
			SYNC XL_RIP(B + (off));                                                    \
			return (struct xl_exit){B + (off), XL_INTERRUPT};                          \
		}                                                                                  \
	} while (0)

/* A direct jump to another region's entry. */
#define XL_TAIL(off, fn, idx, SYNC)                                                                \
	do {                                                                                       \
		SYNC XL_RIP(B + (off));                                                            \
		if (__builtin_expect(x86_interrupt(xl_real), 0))                                   \
			return (struct xl_exit){B + (off), XL_NEXT};                               \
		return fn(xl_real, (idx), xl_depth);                                               \
	} while (0)

/* An indirect jump (rip in F.c.rip): synchronised, it goes on at the
 * region's one XL_JUMP_TARGETS. */
#define XL_JUMP(SYNC)                                                                              \
	do {                                                                                       \
		SYNC XL_RIP(F.c.rip);                                                              \
		goto xl_jump;                                                                      \
	} while (0)

/* Where the region's indirect jumps go (SELF: the region's function):
 * to the image's own code when the target is there (xl_find), without
 * leaving the region when it is one of its own entries (its entry switch,
 * dense, is a jump table: a jump table or an interpreter's dispatch keeps
 * the copy in registers); else to what the runtime's lookup finds.
 * *xl_real is synchronised here, as at an entry. */
#define XL_JUMP_TARGETS(SELF)                                                                      \
	xl_jump : {                                                                                \
		uint64_t xl_r_ = F.c.rip;                                                          \
		const struct xl_hent *xl_h_;                                                       \
		struct xl_target xl_t_;                                                            \
		if (__builtin_expect(x86_interrupt(xl_real), 0))                                   \
			return (struct xl_exit){xl_r_, XL_NEXT};                                   \
		xl_h_ = xl_find(xl_r_ - B);                                                        \
		if (xl_h_) {                                                                       \
			if (xl_h_->fn == SELF) {                                                   \
				xl_entry = xl_h_->index;                                           \
				goto xl_enter;                                                     \
			}                                                                          \
			return xl_h_->fn(xl_real, xl_h_->index, xl_depth);                         \
		}                                                                                  \
		xl_t_ = xl_lookup(xl_r_);                                                          \
		if (!xl_t_.fn)                                                                     \
			return (struct xl_exit){xl_r_, XL_NEXT};                                   \
		return xl_t_.fn(xl_real, (uint32_t)xl_t_.index, xl_depth);                         \
	}

/* A call (the return address is pushed, rip in F.c.rip): run the callee as
 * a host call and continue at `label` when it returns to `ret_off`. */
#define XL_CALL_TAIL(ret_off, label, CALLEE)                                                       \
	do {                                                                                       \
		struct xl_exit xl_e_ = CALLEE;                                                     \
		if (__builtin_expect(xl_e_.why == XL_NEXT && xl_e_.rip == B + (ret_off), 1)) {     \
			XL_GET_ALL()                                                               \
			goto label;                                                                \
		}                                                                                  \
		return xl_e_;                                                                      \
	} while (0)

#define XL_CALL(ret_off, label, fn, idx, SYNC)                                                     \
	do {                                                                                       \
		uint64_t xl_r_ = F.c.rip;                                                          \
		SYNC XL_RIP(xl_r_);                                                                \
		if (xl_depth >= XLIMAGE_MAX_DEPTH || __builtin_expect(x86_interrupt(xl_real), 0))  \
			return (struct xl_exit){xl_r_, XL_NEXT};                                   \
		XL_CALL_TAIL(ret_off, label, fn(xl_real, (idx), xl_depth + 1));                    \
	} while (0)

#define XL_CALL_IND(ret_off, label, SYNC)                                                          \
	do {                                                                                       \
		uint64_t xl_r_ = F.c.rip;                                                          \
		const struct xl_hent *xl_h_;                                                       \
		struct xl_target xl_t_;                                                            \
		SYNC XL_RIP(xl_r_);                                                                \
		if (xl_depth >= XLIMAGE_MAX_DEPTH || __builtin_expect(x86_interrupt(xl_real), 0))  \
			return (struct xl_exit){xl_r_, XL_NEXT};                                   \
		xl_h_ = xl_find(xl_r_ - B);                                                        \
		if (xl_h_)                                                                         \
			XL_CALL_TAIL(ret_off, label,                                               \
				     xl_h_->fn(xl_real, xl_h_->index, xl_depth + 1));              \
		xl_t_ = xl_lookup(xl_r_);                                                          \
		if (!xl_t_.fn)                                                                     \
			return (struct xl_exit){xl_r_, XL_NEXT};                                   \
		XL_CALL_TAIL(ret_off, label,                                                       \
			     xl_t_.fn(xl_real, (uint32_t)xl_t_.index, xl_depth + 1));              \
	} while (0)

#endif
