/* native_entry.c — test-only trampolines of the native snippet runner
 * (native.c), x86-64 hosts only, as top-level assembly.
 *
 * snip_native_enter(const struct snip_state *s) loads the whole machine
 * state of a snippet (FS/GS base, FXSAVE image, RFLAGS, all sixteen GPRs)
 * and jumps to the snippet; it never returns: the snippet ends in a fault
 * (its final UD2, or an earlier one) that lands in snip_native_sig_entry.
 *
 * snip_native_sig_entry is the signal handler as the kernel calls it: it
 * records the snippet's FS/GS base, gives the host its own back (glibc
 * needs FS for TLS and the stack protector), then tail-calls the C handler.
 *
 * Offsets into struct snip_state are checked in native.c. */
#if defined(__x86_64__)
__asm__(
	".set ST_GPR, 0\n"
	".set ST_RFLAGS, 136\n"
	".set ST_FS, 144\n"
	".set ST_GS, 152\n"
	".set ST_FX, 192\n"
	".set SYS_arch_prctl, 158\n"
	".set ARCH_SET_GS, 0x1001\n"
	".set ARCH_SET_FS, 0x1002\n"
	".set ARCH_GET_FS, 0x1003\n"
	".set ARCH_GET_GS, 0x1004\n"
	".pushsection .text\n"
	".globl snip_native_enter\n"
	".type snip_native_enter, @function\n"
	"snip_native_enter:\n"
	"\tmov %rdi, %r15\n"
	"\tmov $SYS_arch_prctl, %eax\n"
	"\tmov $ARCH_SET_GS, %edi\n"
	"\tmov ST_GS(%r15), %rsi\n"
	"\tsyscall\n"
	"\tmov $SYS_arch_prctl, %eax\n"
	"\tmov $ARCH_SET_FS, %edi\n"
	"\tmov ST_FS(%r15), %rsi\n"
	"\tsyscall\n"
	"\tfxrstor64 ST_FX(%r15)\n"
	"\tpushq ST_RFLAGS(%r15)\n"
	"\tpopfq\n"
	"\tmov ST_GPR+0*8(%r15), %rax\n"
	"\tmov ST_GPR+1*8(%r15), %rcx\n"
	"\tmov ST_GPR+2*8(%r15), %rdx\n"
	"\tmov ST_GPR+3*8(%r15), %rbx\n"
	"\tmov ST_GPR+4*8(%r15), %rsp\n"
	"\tmov ST_GPR+5*8(%r15), %rbp\n"
	"\tmov ST_GPR+6*8(%r15), %rsi\n"
	"\tmov ST_GPR+7*8(%r15), %rdi\n"
	"\tmov ST_GPR+8*8(%r15), %r8\n"
	"\tmov ST_GPR+9*8(%r15), %r9\n"
	"\tmov ST_GPR+10*8(%r15), %r10\n"
	"\tmov ST_GPR+11*8(%r15), %r11\n"
	"\tmov ST_GPR+12*8(%r15), %r12\n"
	"\tmov ST_GPR+13*8(%r15), %r13\n"
	"\tmov ST_GPR+14*8(%r15), %r14\n"
	"\tmov ST_GPR+15*8(%r15), %r15\n"
	"\tjmp *snip_native_code(%rip)\n"
	".size snip_native_enter, .-snip_native_enter\n"
	".globl snip_native_sig_entry\n"
	".type snip_native_sig_entry, @function\n"
	"snip_native_sig_entry:\n"
	"\tpushfq\n" /* a snippet may have set AC: no alignment checks for the host */
	"\tandl $~0x40000, (%rsp)\n"
	"\tpopfq\n"
	"\tpush %rdi\n"
	"\tpush %rsi\n"
	"\tpush %rdx\n"
	"\tsub $8, %rsp\n"
	"\tmov $SYS_arch_prctl, %eax\n"
	"\tmov $ARCH_GET_FS, %edi\n"
	"\tlea snip_native_final_fs(%rip), %rsi\n"
	"\tsyscall\n"
	"\tmov $SYS_arch_prctl, %eax\n"
	"\tmov $ARCH_GET_GS, %edi\n"
	"\tlea snip_native_final_gs(%rip), %rsi\n"
	"\tsyscall\n"
	"\tmov $SYS_arch_prctl, %eax\n"
	"\tmov $ARCH_SET_FS, %edi\n"
	"\tmov snip_native_host_fs(%rip), %rsi\n"
	"\tsyscall\n"
	"\tmov $SYS_arch_prctl, %eax\n"
	"\tmov $ARCH_SET_GS, %edi\n"
	"\tmov snip_native_host_gs(%rip), %rsi\n"
	"\tsyscall\n"
	"\tadd $8, %rsp\n"
	"\tpop %rdx\n"
	"\tpop %rsi\n"
	"\tpop %rdi\n"
	"\tjmp snip_native_sig_handler@PLT\n"
	".size snip_native_sig_entry, .-snip_native_sig_entry\n"
	".popsection\n"
);
#endif
