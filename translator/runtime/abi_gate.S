/* abi_gate.S — the guest's host system call, made only if no signal for
 * the guest has come in first.
 *
 *	long abi_gated_call(volatile int *flag, long nr, a0, a1, a2, a3, a4, a5)
 *
 * Reads *flag (the thread's cpu->interrupt, which the host signal handler
 * sets); if it is set, returns ABI_NOT_STARTED without making the call,
 * otherwise makes system call nr and returns the kernel's result. A
 * signal can still arrive after the check and before the call blocks: the
 * host signal handler closes that gap. While the interrupted PC lies in
 * [abi_gate_window, abi_gate_syscall] and the system call instruction has
 * not run, it moves the PC to abi_gate_not_started, and the call is not
 * made (sigdeliver.c, gate_point). A PC that the host kernel moved back
 * onto the system call instruction, to restart the call, is turned into
 * an EINTR return instead.
 *
 * On x86-64, a PC on the SYSCALL instruction is either "not executed yet"
 * or "executed, and the kernel moved the PC back to restart it": RCX tells
 * them apart. It is zeroed before the window, and SYSCALL overwrites it
 * with the return address, which is never 0. */
#include "translator/runtime/abi_gate.h"

#if defined(__x86_64__)
	.text
	.globl	abi_gated_call, abi_gate_window, abi_gate_syscall, abi_gate_not_started
	.hidden	abi_gated_call, abi_gate_window, abi_gate_syscall, abi_gate_not_started
	.type	abi_gated_call, @function
	.p2align 4
/* In: rdi flag, rsi nr, rdx rcx r8 r9 a0..a3, 8(%rsp) 16(%rsp) a4 a5.
 * The kernel wants rax nr, rdi rsi rdx r10 r8 r9 a0..a5. */
abi_gated_call:
	.cfi_startproc
	mov	%rdi, %r11
	mov	%rsi, %rax
	mov	%rdx, %rdi
	mov	%rcx, %rsi
	mov	%r8, %rdx
	mov	%r9, %r10
	mov	8(%rsp), %r8
	mov	16(%rsp), %r9
	xor	%ecx, %ecx
abi_gate_window:
	cmpl	$0, (%r11)
	jne	abi_gate_not_started
abi_gate_syscall:
	syscall
	ret
abi_gate_not_started:
	mov	$ABI_NOT_STARTED, %rax
	ret
	.cfi_endproc
	.size	abi_gated_call, . - abi_gated_call

#elif defined(__aarch64__)
	.text
	.globl	abi_gated_call, abi_gate_window, abi_gate_syscall, abi_gate_not_started
	.hidden	abi_gated_call, abi_gate_window, abi_gate_syscall, abi_gate_not_started
	.type	abi_gated_call, %function
	.p2align 4
/* In: x0 flag, x1 nr, x2..x7 a0..a5. The kernel wants x8 nr, x0..x5. */
abi_gated_call:
	.cfi_startproc
	mov	x9, x0
	mov	x8, x1
	mov	x0, x2
	mov	x1, x3
	mov	x2, x4
	mov	x3, x5
	mov	x4, x6
	mov	x5, x7
abi_gate_window:
	ldr	w10, [x9]
	cbnz	w10, abi_gate_not_started
abi_gate_syscall:
	svc	#0
	ret
abi_gate_not_started:
	mov	x0, #ABI_NOT_STARTED
	ret
	.cfi_endproc
	.size	abi_gated_call, . - abi_gated_call

#else
#error "unsupported host"
#endif

	.section .note.GNU-stack, "", %progbits
