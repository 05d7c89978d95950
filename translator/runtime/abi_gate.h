/* abi_gate.h — guest system calls that a signal arriving first keeps
 * from starting (abi_gate.S). Shared by the ABI layer, which makes the
 * call, and the runtime's signal code, which arms it and steers the host
 * signal handler; the assembly file includes it too. */
#ifndef XLATE_ABI_GATE_H
#define XLATE_ABI_GATE_H

/* The call was not made: a signal for the guest came first. The kernel's
 * ERESTARTNOINTR, which never reaches user space, so no result of a real
 * call can be mistaken for it. */
#define ABI_NOT_STARTED (-513)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The next host call the ABI layer makes on this thread (the guest's own
 * call) first checks *flag, and returns ABI_NOT_STARTED without making
 * the call if it is set; later calls are plain. The runtime arms it as a
 * guest system call starts and disarms it when the call is over. */
void abi_gate_arm(volatile int *flag);
void abi_gate_disarm(void);

/* System call nr unless *flag is set (then ABI_NOT_STARTED). */
long abi_gated_call(volatile int *flag, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		    uint64_t a4, uint64_t a5);
/* The check, the system call instruction, and the exit a host signal
 * handler sends the PC to when the call has not started. */
extern const char abi_gate_window[], abi_gate_syscall[], abi_gate_not_started[];
#endif

#endif
