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

/* Drops the split-lock fallback (atomic.c) if a fault unwinds out of it. */
void x86_split_release(void);

#endif
