/* interp_priv.h — state shared by the interpreter (interp.c) and the fault
 * path (fault.c); not part of the public interface. */
#ifndef XLATE_X86_INTERP_PRIV_H
#define XLATE_X86_INTERP_PRIV_H

#include <signal.h>

#include "translator/x86/x86.h"

/* What the current thread is doing, for x86_host_fault to tell a guest
 * fault from a bug in the translator. */
enum x86_phase {
	X86_PHASE_HOST = 0, /* translator code: a fault here is not the guest's */
	X86_PHASE_FETCH,    /* reading guest code at cpu->rip */
	X86_PHASE_EXEC,	    /* running an instruction's semantics */
};

struct x86_guest_tls {
	struct cpu *cpu; /* the cpu x86_run is running on this thread, or NULL */
	volatile sig_atomic_t phase;
};

extern __thread struct x86_guest_tls x86_guest;

/* Runs one decoded instruction and moves rip past it (unless it transfers
 * control itself). */
typedef void (*x86_handler)(struct cpu *, const struct x86_insn *);

/* ops.def flags as constants, so that handler wrappers fold them. */
#define END   X86_OPF_END
#define PRIV  X86_OPF_PRIV
#define NOEXE X86_OPF_NOEXE
enum {
#define X(name, fl) OPFL_##name = (fl),
#include "translator/x86/ops.def"
#undef X
};
#undef END
#undef PRIV
#undef NOEXE

/* A handler specialised for the shape of `in` (interp_shape.c), or NULL. */
x86_handler interp_shaped_handler(const struct x86_insn *in);

/* Drops the split-lock fallback (atomic.c) if a fault unwinds out of it. */
void x86_split_release(void);

#endif
