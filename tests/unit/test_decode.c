/* test_decode — hand-checked encodings for the decoder: every operand shape
 * and prefix rule x86.h and decode.c document.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "translator/x86/decode_tab.h"
#include "translator/x86/x86.h"

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	while (*s && n < max) {
		if (*s == ' ') {
			s++;
			continue;
		}
		unsigned v;
		sscanf(s, "%2x", &v);
		out[n++] = v;
		s += 2;
	}
	return n;
}

/* Decodes hex with exactly its bytes available. */
static int dec(const char *hex, struct x86_insn *in)
{
	uint8_t b[32];
	size_t n = unhex(hex, b, sizeof b);
	return x86_decode(b, n, in);
}

/* ---- length, validity and Intel text ---- */

struct tcase {
	const char *hex;
	int ret; /* length, or X86_DECODE_INVALID/SHORT */
	const char *text;
};

#define BAD X86_DECODE_INVALID

// clang-format off
static const struct tcase cases[] = {
	/* ALU, sizes, REX, 66 */
	{ "4801d8", 3, "add rax, rbx" },
	{ "664801d8", 4, "add rax, rbx" },		/* REX.W wins over 66 */
	{ "6601d8", 3, "add ax, bx" },
	{ "00c4", 2, "add ah, al" },
	{ "4088e0", 3, "mov al, spl" },			/* any REX: SPL, not AH */
	{ "88e0", 2, "mov al, ah" },
	{ "4188c4", 3, "mov r12b, al" },
	{ "0480", 2, "add al, 0x80" },
	{ "4805ffffffff", 6, "add rax, 0xffffffffffffffff" },	/* imm32 sign-extended */
	{ "83c0ff", 3, "add eax, 0xffffffff" },
	{ "6683c0ff", 4, "add ax, 0xffff" },
	{ "80f001", 3, "xor al, 0x1" },
	{ "f60601", 3, "test byte ptr [rsi], 0x1" },
	{ "69c100010000", 6, "imul eax, ecx, 0x100" },
	{ "6bc1ff", 3, "imul eax, ecx, 0xffffffff" },
	{ "0fa4c105", 4, "shld ecx, eax, 0x5" },
	{ "0fa5c1", 3, "shld ecx, eax, cl" },
	{ "d1e0", 2, "shl eax, 0x1" },
	{ "d3e0", 2, "shl eax, cl" },
	{ "c1e005", 3, "shl eax, 0x5" },
	{ "48d3f8", 3, "sar rax, cl" },
	{ "63c1", 2, "movsxd eax, ecx" },
	{ "4863c1", 3, "movsxd rax, ecx" },
	{ "0fb6c1", 3, "movzx eax, cl" },
	{ "480fbfc1", 4, "movsx rax, cx" },
	{ "98", 1, "cwde" }, { "4898", 2, "cdqe" }, { "6698", 2, "cbw" }, { "99", 1, "cdq" },
	{ "4899", 2, "cqo" },
	/* mandatory-looking prefixes on general-purpose ops */
	{ "f3480fb8c1", 5, "popcnt rax, rcx" },
	{ "66f30fb8c1", 5, "popcnt ax, cx" },		/* 66 still sizes: F3 is the mandatory one */
	{ "0fb8c1", BAD, NULL },			/* JMPE: IA-64 only */
	{ "f30fbcc1", 4, "tzcnt eax, ecx" },
	{ "0fbcc1", 3, "bsf eax, ecx" },
	{ "f20fbcc1", 4, "bsf eax, ecx" },
	{ "f30fbdc1", 4, "lzcnt eax, ecx" },
	{ "0f38f006", 4, "movbe eax, dword ptr [rsi]" },
	{ "660f38f106", 5, "movbe word ptr [rsi], ax" },
	{ "0f38f0c1", BAD, NULL },			/* MOVBE needs memory */
	{ "f20f38f0c1", 5, "crc32 eax, cl" },
	{ "f2480f38f1c1", 6, "crc32 rax, rcx" },
	{ "66f20f38f1c1", 6, "crc32 eax, cx" },
	{ "660f38f6c1", 5, "adcx eax, ecx" },
	{ "f3480f38f6c1", 6, "adox rax, rcx" },
	/* NOP, PAUSE, XCHG, hints, CET */
	{ "90", 1, "nop" }, { "4890", 2, "nop" }, { "f390", 2, "pause" },
	{ "4190", 2, "xchg r8d, eax" },
	{ "4991", 2, "xchg r9, rax" },
	{ "0f1f440000", 5, "nop [rax+rax*1]" },
	{ "662e0f1f840000000000", 10, "nop [rax+rax*1]" },
	{ "0f1fc0", 3, "nop eax" },
	{ "0f1908", 3, "nop [rax]" },
	{ "f30f1efa", 4, "endbr64" },
	{ "f30f1efb", 4, "endbr32" },
	{ "f3480f1ec8", 5, "rdssp rax" },
	{ "0f1808", 3, "prefetch [rax]" },
	{ "0f0d08", 3, "prefetchw [rax]" },
	/* branches: 66 is ignored, operand size is 8 */
	{ "e800000000", 5, "call 0x5" },
	{ "66e800000000", 6, "call 0x6" },
	{ "ebfe", 2, "jmp 0x0" },
	{ "7410", 2, "je 0x12" },
	{ "0f8f00010000", 6, "jg 0x106" },
	{ "e305", 2, "jrcxz 0x7" },
	{ "e2fe", 2, "loop 0x0" },
	{ "ffd0", 2, "call rax" },
	{ "66ffd0", 3, "call rax" },
	{ "ff1500000000", 6, "call qword ptr [rip]" },
	{ "ff1e", 2, "call fword ptr [rsi]" },		/* far: m16:32 */
	{ "48ff2e", 3, "jmp tbyte ptr [rsi]" },		/* far: m16:64 */
	{ "c3", 1, "ret" }, { "c20800", 3, "ret 0x8" }, { "cb", 1, "ret" },
	{ "c6f801", 3, "xabort 0x1" },
	{ "c7f800000000", 6, "xbegin 0x6" },
	/* stack */
	{ "50", 1, "push rax" }, { "6650", 2, "push ax" }, { "4157", 2, "push r15" },
	{ "8f00", 2, "pop qword ptr [rax]" },
	{ "6aff", 2, "push 0xffffffffffffffff" },
	{ "666aff", 3, "push 0xffff" },
	{ "6878563412", 5, "push 0x12345678" },
	{ "c8100001", 4, "enter 0x10, 0x1" },
	{ "c9", 1, "leave" }, { "9c", 1, "pushf" }, { "0fa0", 2, "push fs" }, { "0fa9", 2, "pop gs" },
	/* moves, moffs, segments */
	{ "48b88877665544332211", 10, "mov rax, 0x1122334455667788" },
	{ "b878563412", 5, "mov eax, 0x12345678" },
	{ "66b83412", 4, "mov ax, 0x1234" },
	{ "a1efcdab8967452301", 9, "mov eax, dword ptr [0x123456789abcdef]" },
	{ "67a144332211", 6, "mov eax, dword ptr [0x11223344]" },
	{ "a2efcdab8967452301", 9, "mov byte ptr [0x123456789abcdef], al" },
	{ "c70510000000785634 12", 10, "mov dword ptr [rip+0x10], 0x12345678" },
	{ "48813df0ffffff00010000", 11, "cmp qword ptr [rip-0x10], 0x100" },
	{ "648b042528000000", 8, "mov eax, dword ptr fs:[0x28]" },
	{ "2e8b00", 3, "mov eax, dword ptr [rax]" },
	{ "8d0488", 3, "lea eax, [rax+rcx*4]" },
	{ "658d00", 3, "lea eax, [rax]" },		/* LEA takes no segment base */
	{ "8d04a5f0ffffff", 7, "lea eax, [0xfffffffffffffff0]" },	/* SIB index 100: none */
	{ "428d0420", 4, "lea eax, [rax+r12*1]" },
	{ "438d0420", 4, "lea eax, [r8+r12*1]" },
	{ "418d4500", 4, "lea eax, [r13]" },
	{ "418d042500000000", 8, "lea eax, [0x0]" },	/* SIB base 101, mod 00: no base */
	{ "8d0425ffffffff", 7, "lea eax, [0xffffffffffffffff]" },
	{ "678d0488", 4, "lea eax, [eax+ecx*4]" },
	{ "678d0500000000", 7, "lea eax, [eip]" },
	{ "8cd8", 2, "mov eax, ds" },
	{ "8c18", 2, "mov word ptr [rax], ds" },
	{ "8ed8", 2, "mov ds, ax" },
	{ "8ec8", BAD, NULL },				/* MOV CS */
	{ "8cf8", BAD, NULL },				/* segment register 7 */
	{ "0fb206", 3, "lss eax, fword ptr [rsi]" },
	/* strings */
	{ "f3a4", 2, "rep movsb" }, { "f348a5", 3, "rep movsq" }, { "f2ae", 2, "repne scasb" },
	{ "f3a6", 2, "repe cmpsb" },
	{ "67aa", 2, "stosb" }, { "66ab", 2, "stosw" }, { "ac", 1, "lodsb" }, { "d7", 1, "xlat" },
	{ "6c", 1, "insb" }, { "6d", 1, "insd" }, { "666d", 2, "insw" }, { "486d", 2, "insd" },
	/* I/O */
	{ "e580", 2, "in eax, 0x80" }, { "66e580", 3, "in ax, 0x80" }, { "ec", 1, "in al, dx" },
	{ "ef", 1, "out dx, eax" }, { "e680", 2, "out 0x80, al" },
	/* LOCK */
	{ "f0803001", 4, "lock xor byte ptr [rax], 0x1" },
	{ "f001c0", BAD, NULL },			/* register destination */
	{ "f08b00", BAD, NULL },			/* MOV is not lockable */
	{ "f090", BAD, NULL },
	{ "f08600", 3, "lock xchg byte ptr [rax], al" },
	{ "f00fc70e", 4, "lock cmpxchg8b qword ptr [rsi]" },
	{ "f0480fc70e", 5, "lock cmpxchg16b xmmword ptr [rsi]" },
	{ "0fc7ce", BAD, NULL },			/* CMPXCHG8B needs memory */
	{ "f00fbb08", 4, "lock btc dword ptr [rax], ecx" },
	/* invalid in 64-bit mode */
	{ "06", BAD, NULL }, { "07", BAD, NULL }, { "0e", BAD, NULL }, { "16", BAD, NULL },
	{ "1f", BAD, NULL }, { "27", BAD, NULL }, { "37", BAD, NULL }, { "3f", BAD, NULL },
	{ "60", BAD, NULL }, { "61", BAD, NULL }, { "820001", BAD, NULL }, { "9a00000000", BAD, NULL },
	{ "ce", BAD, NULL }, { "d40a", BAD, NULL }, { "d50a", BAD, NULL }, { "d6", BAD, NULL },
	{ "ea000000000000", BAD, NULL }, { "c60000", 3, "mov byte ptr [rax], 0x0" }, { "c608", BAD, NULL },
	{ "ff38", BAD, NULL }, { "fe10", BAD, NULL }, { "8fe8", BAD, NULL },	/* XOP escape */
	{ "8fc0", 2, "pop rax" },
	{ "0f0fc1b4", BAD, NULL },			/* 3DNow! */
	{ "0f04", BAD, NULL },
	/* system */
	{ "0f05", 2, "syscall" }, { "0fa2", 2, "cpuid" }, { "0f31", 2, "rdtsc" },
	{ "0f01f9", 3, "rdtscp" }, { "0f01d0", 3, "xgetbv" }, { "0f0b", 2, "ud2" },
	{ "0fb9c1", 3, "ud1 eax, ecx" }, { "0fffc1", 3, "ud0 eax, ecx" },
	{ "0fc7f0", 3, "rdrand eax" }, { "480fc7f8", 4, "rdseed rax" }, { "660fc7f0", 4, "rdrand ax" },
	{ "f3480faec0", 5, "rdfsbase rax" }, { "f30faed8", 4, "wrgsbase eax" },
	{ "0fae10", 3, "ldmxcsr dword ptr [rax]" }, { "0fae18", 3, "stmxcsr dword ptr [rax]" },
	{ "0faee8", 3, "lfence" }, { "0faef0", 3, "mfence" }, { "0faef8", 3, "sfence" },
	{ "0fae20", 3, "xsave [rax]" }, { "480fae20", 4, "xsave [rax]" }, { "0fae00", 3, "fxsave [rax]" },
	{ "0fc728", 3, "xsaves [rax]" }, { "0fae38", 3, "clflush [rax]" },
	{ "0f20c0", 3, "mov rax, cr0" }, { "0f2000", 3, "mov rax, cr0" },	/* mod ignored */
	{ "440f22c0", 4, "mov cr8, rax" }, { "0f20c8", BAD, NULL },
	{ "0f21f8", 3, "mov rax, dr7" }, { "440f21c0", BAD, NULL },
	{ "0f00c0", 3, "sldt eax" }, { "0f0100", 3, "sgdt tbyte ptr [rax]" }, { "f4", 1, "hlt" },
	{ "cd80", 2, "int 0x80" }, { "cc", 1, "int3" }, { "f1", 1, "int1" },
	{ "0f0ac0", BAD, NULL },
	/* x87 */
	{ "d806", 2, "fadd dword ptr [rsi]" }, { "dc06", 2, "fadd qword ptr [rsi]" },
	{ "d8c1", 2, "fadd st(0), st(1)" }, { "dcc1", 2, "fadd st(1), st(0)" },
	{ "dec1", 2, "faddp st(1), st(0)" }, { "d9c1", 2, "fld st(1)" },
	{ "db2e", 2, "fld tbyte ptr [rsi]" }, { "df2e", 2, "fild qword ptr [rsi]" },
	{ "de06", 2, "fiadd word ptr [rsi]" }, { "dd1e", 2, "fstp qword ptr [rsi]" },
	{ "dce9", 2, "fsub st(1), st(0)" }, { "dce1", 2, "fsubr st(1), st(0)" },
	{ "d8e1", 2, "fsub st(0), st(1)" }, { "dee9", 2, "fsubp st(1), st(0)" },
	{ "dac1", 2, "fcmovb st(0), st(1)" }, { "dbd1", 2, "fcmovnbe st(0), st(1)" },
	{ "dfe0", 2, "fnstsw ax" }, { "dd3e", 2, "fnstsw word ptr [rsi]" },
	{ "d936", 2, "fnstenv [rsi]" }, { "d93e", 2, "fnstcw word ptr [rsi]" },
	{ "d9c9", 2, "fxch st(1)" }, { "ded9", 2, "fcompp" }, { "d9e8", 2, "fld1" },
	{ "d8d1", 2, "fcom st(1)" }, { "dbe8", 2, "fucomi st(0), st(0)" }, { "dfe9", 2, "fucomip st(0), st(1)" },
	{ "d9d1", BAD, NULL }, { "d908", BAD, NULL }, { "dae0", BAD, NULL },
	{ "9b", 1, "fwait" },
	/* SSE: legacy forms repeat the destination */
	{ "0f58c1", 3, "addps xmm0, xmm0, xmm1" },
	{ "f30f5806", 4, "addss xmm0, xmm0, dword ptr [rsi]" },
	{ "f20f5806", 4, "addsd xmm0, xmm0, qword ptr [rsi]" },
	{ "660f5806", 4, "addpd xmm0, xmm0, xmmword ptr [rsi]" },
	{ "66f20f58c1", 5, "addsd xmm0, xmm0, xmm1" },	/* F2 beats 66 */
	{ "0f28c1", 3, "movaps xmm0, xmm1" },
	{ "440f28c1", 4, "movaps xmm8, xmm1" },
	{ "f30f1006", 4, "movss xmm0, dword ptr [rsi]" },
	{ "f30f10c1", 4, "movss xmm0, xmm0, xmm1" },
	{ "0f1206", 3, "movlps xmm0, xmm0, qword ptr [rsi]" },
	{ "0f12c1", 3, "movhlps xmm0, xmm0, xmm1" },
	{ "660f6ec0", 4, "movd xmm0, eax" },
	{ "66480f6ec0", 5, "movq xmm0, rax" },
	{ "0f6ec0", 3, "movd mm0, eax" },
	{ "660f7ec0", 4, "movd eax, xmm0" },
	{ "f30f7ec1", 4, "movq xmm0, xmm1" },
	{ "f30f2ac0", 4, "cvtsi2ss xmm0, xmm0, eax" },
	{ "f2480f2dc1", 5, "cvtsd2si rax, xmm1" },
	{ "0f5a06", 3, "cvtps2pd xmm0, qword ptr [rsi]" },
	{ "0ffcc1", 3, "paddb mm0, mm0, mm1" },
	{ "660ffcc1", 4, "paddb xmm0, xmm0, xmm1" },
	{ "0f6006", 3, "punpcklbw mm0, mm0, dword ptr [rsi]" },
	{ "660f3a0fc105", 6, "palignr xmm0, xmm0, xmm1, 0x5" },
	{ "0f3a0fc105", 5, "palignr mm0, mm0, mm1, 0x5" },
	{ "660f3800c1", 5, "pshufb xmm0, xmm0, xmm1" },
	{ "660f71d003", 5, "psrlw xmm0, xmm0, 0x3" },
	{ "0f71d003", 4, "psrlw mm0, mm0, 0x3" },
	{ "660f71d0", X86_DECODE_SHORT, NULL },
	{ "660f381006", 5, "pblendvb xmm0, xmm0, xmmword ptr [rsi], xmm0" },
	{ "0fc2c100", 4, "cmpps xmm0, xmm0, xmm1, 0x0" },
	{ "660f3a16c001", 6, "pextrd eax, xmm0, 0x1" },
	{ "66480f3a16c001", 7, "pextrq rax, xmm0, 0x1" },
	{ "660fc4c005", 5, "pinsrw xmm0, xmm0, eax, 0x5" },
	{ "660fc406 05", 5, "pinsrw xmm0, xmm0, word ptr [rsi], 0x5" },
	{ "660fd7c1", 4, "pmovmskb eax, xmm1" },
	{ "660f3821 06", 5, "pmovsxbd xmm0, dword ptr [rsi]" },
	{ "660f78c00408", 6, "extrq xmm0, 0x4, 0x8" },
	{ "660f3a44c111", 6, "pclmulqdq xmm0, xmm0, xmm1, 0x11" },
	{ "660f38dcc1", 5, "aesenc xmm0, xmm0, xmm1" },
	{ "0f77", 2, "emms" },
	/* VEX */
	{ "c5f058c2", 4, "vaddps xmm0, xmm1, xmm2" },
	{ "c5f458c2", 4, "vaddps ymm0, ymm1, ymm2" },
	{ "c4e17058c2", 5, "vaddps xmm0, xmm1, xmm2" },
	{ "c4417058c2", 5, "vaddps xmm8, xmm1, xmm10" },
	{ "c5f028c1", BAD, NULL },			/* VEX.vvvv must be 1111b */
	{ "c5f828c1", 4, "vmovaps xmm0, xmm1" },
	{ "c5fa1006", 4, "vmovss xmm0, dword ptr [rsi]" },
	{ "c5f21002", BAD, NULL },			/* VMOVSS load has no vvvv source */
	{ "c5f210c2", 4, "vmovss xmm0, xmm1, xmm2" },
	{ "c4e27918c1", 5, "vbroadcastss xmm0, xmm1" },
	{ "c4e27d1806", 5, "vbroadcastss ymm0, dword ptr [rsi]" },
	{ "c4e2f918c1", BAD, NULL },			/* VEX.W1 */
	{ "c5f171d003", 5, "vpsrlw xmm1, xmm0, 0x3" },	/* vvvv is the destination */
	{ "c4e3794cc120", 6, "vpblendvb xmm0, xmm0, xmm1, xmm2" },
	{ "c4e2699004 88", 6, "vpgatherdd xmm0, dword ptr [rax+xmm1*4], xmm2" },
	{ "c4e2799004 88", BAD, NULL },		/* mask == destination */
	{ "c4e26990c1", BAD, NULL },			/* gathers need memory */
	{ "c4e2699001", BAD, NULL },			/* ... with a SIB byte */
	{ "c4e27998c1", 5, "vfmadd132ps xmm0, xmm0, xmm1" },
	{ "c4e2f9b906", 5, "vfmadd231sd xmm0, xmm0, qword ptr [rsi]" },
	{ "c5f877", 3, "vzeroupper" }, { "c5fc77", 3, "vzeroall" },
	{ "c5fc12c1", BAD, NULL },			/* VMOVHLPS is 128-bit only */
	{ "c4e37916c001", 6, "vpextrd eax, xmm0, 0x1" },
	{ "c4e37d16c001", BAD, NULL },
	{ "c4e3fd00c11b", 6, "vpermq ymm0, ymm1, 0x1b" },
	{ "c4e37d00c11b", BAD, NULL },			/* VPERMQ is W1 */
	{ "c4e3791dc000", 6, "vcvtps2ph xmm0, xmm0, 0x0" },
	{ "c4e27d5a06", 5, "vbroadcasti128 ymm0, xmmword ptr [rsi]" },
	{ "c4e3fd19c101", BAD, NULL },			/* VEXTRACTF128 is W0 */
	{ "c4e37d19c101", 6, "vextractf128 xmm1, ymm0, 0x1" },
	{ "c5fb12c1", 4, "vmovddup xmm0, xmm1" }, { "c5ff12c1", 4, "vmovddup ymm0, ymm1" },
	{ "c5fe5b06", 4, "vcvttps2dq ymm0, ymmword ptr [rsi]" },
	{ "c5fde6c1", 4, "vcvttpd2dq xmm0, ymm1" },
	{ "c5fee606", 4, "vcvtdq2pd ymm0, xmmword ptr [rsi]" },
	{ "c4e270f2c2", 5, "andn eax, ecx, edx" },
	{ "c4e2f8f3c8", 5, "blsr rax, rax" },
	{ "c4e3fbf0c105", 6, "rorx rax, rcx, 0x5" },
	{ "c4e2f3f6c2", 5, "mulx rax, rcx, rdx" },
	{ "c4e274f2c2", BAD, NULL },			/* ANDN is VEX.L0 */
	{ "66c5f858c1", BAD, NULL }, { "f3c5f858c1", BAD, NULL }, { "f0c5f858c1", BAD, NULL },
	{ "48c5f858c1", BAD, NULL },			/* VEX after 66/F3/F0/REX */
	{ "c4e0f858c1", BAD, NULL },			/* VEX map 0 */
	{ "2e67c5f8580424", 7, "vaddps xmm0, xmm0, xmmword ptr [esp]" },
	/* EVEX: recognised and measured */
	{ "62f17c4858c1", 6, "avx512" },
	{ "62f1fd4811442001", 8, "avx512" },
	{ "62f37d480fc105", 7, "avx512" },
	{ "62f1fd48118424 00010000", 11, "avx512" },
	{ "6662f17c4858c1", BAD, NULL },
	/* conventions settled against Zydis and the SDM */
	{ "c4e26d900488", 6, "vpgatherdd ymm0, dword ptr [rax+ymm1*4], ymm2" },
	{ "c4e2ed900488", 6, "vpgatherdq ymm0, qword ptr [rax+xmm1*4], ymm2" },
	{ "480f02c1", 4, "lar rax, rcx" },		/* LAR r64, r64/m16 */
	{ "480f03c1", 4, "lsl rax, ecx" },		/* LSL r64, r32/m16 */
	{ "0f0306", 3, "lsl eax, word ptr [rsi]" },
	{ "6663c1", 3, "movsxd ax, cx" },
	{ "666306", 3, "movsxd ax, dword ptr [rsi]" },
	{ "66480f3a14c001", 7, "pextrb eax, xmm0, 0x1" },	/* r32 whatever W says */
	{ "480f50c1", 4, "movmskps rax, xmm1" },
	{ "c4e1f850c1", 5, "vmovmskps eax, xmm1" },
	{ "f34190", 3, "pause" },
	{ "f30f09", 3, "wbinvd" }, { "660f01d0", BAD, NULL }, { "660fae00", BAD, NULL },
	{ "0f0f", BAD, NULL },
	{ "c4e27d900488", BAD, NULL },			/* mask == destination (vvvv 0) */
	{ "c4e26d900401", BAD, NULL },			/* index == destination */
};
// clang-format on

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct x86_insn in;
		char text[128];
		int r = dec(cases[i].hex, &in);
		x86_format(&in, 0, text, sizeof text);
		if (r != cases[i].ret || (cases[i].text && strcmp(text, cases[i].text))) {
			print_error("%s: got %d \"%s\", want %d \"%s\"\n", cases[i].hex, r, text,
				    cases[i].ret, cases[i].text ? cases[i].text : "");
			fail();
		}
		if (r > 0)
			assert_int_equal(in.len, r);
	}
}

/* ---- fields ---- */

static void expect_opnd(const struct x86_insn *in, unsigned i, unsigned kind, unsigned size,
			unsigned reg)
{
	assert_true(i < in->nopnd);
	assert_int_equal(in->opnd[i].kind, kind);
	assert_int_equal(in->opnd[i].size, size);
	if (kind != X86_OPND_MEM && kind != X86_OPND_IMM && kind != X86_OPND_REL)
		assert_int_equal(in->opnd[i].reg, reg);
}

static void test_gpr_fields(void **state)
{
	struct x86_insn in;
	(void)state;
	assert_int_equal(dec("88e0", &in), 2);
	expect_opnd(&in, 0, X86_OPND_GPR, 1, X86_RAX);
	expect_opnd(&in, 1, X86_OPND_GPR, 1, X86_AH + 0);
	assert_int_equal(in.opsize, 1);
	assert_int_equal(dec("88fc", &in), 2); /* mov ah, bh */
	expect_opnd(&in, 0, X86_OPND_GPR, 1, X86_AH + 0);
	expect_opnd(&in, 1, X86_OPND_GPR, 1, X86_AH + 3);
	assert_int_equal(dec("4088e0", &in), 3);
	expect_opnd(&in, 1, X86_OPND_GPR, 1, X86_RSP);
	assert_true(in.prefix & X86_PFX_REX);
	assert_int_equal(dec("4188c4", &in), 3);
	expect_opnd(&in, 0, X86_OPND_GPR, 1, X86_R12);
	assert_int_equal(dec("664801d8", &in), 4);
	assert_int_equal(in.opsize, 8);
	assert_true(in.prefix & X86_PFX_OPSIZE);
	assert_true(in.prefix & X86_PFX_VEX_W);
	assert_int_equal(dec("6601d8", &in), 3);
	assert_int_equal(in.opsize, 2);
	expect_opnd(&in, 0, X86_OPND_GPR, 2, X86_RAX);
	assert_int_equal(dec("66f30fb8c1", &in), 5);
	assert_int_equal(in.op, X86_OP_POPCNT);
	assert_int_equal(in.opsize, 2);
	/* SSE mandatory 66 is no operand-size prefix */
	assert_int_equal(dec("660f6ec0", &in), 4);
	assert_int_equal(in.opsize, 4);
	expect_opnd(&in, 1, X86_OPND_GPR, 4, X86_RAX);
	assert_int_equal(dec("d3e0", &in), 2);
	expect_opnd(&in, 1, X86_OPND_GPR, 1, X86_RCX);
	assert_int_equal(dec("ec", &in), 1);
	expect_opnd(&in, 0, X86_OPND_GPR, 1, X86_RAX);
	expect_opnd(&in, 1, X86_OPND_GPR, 2, X86_RDX);
	assert_int_equal(dec("c4e270f2c2", &in), 5); /* andn eax, ecx, edx */
	expect_opnd(&in, 1, X86_OPND_GPR, 4, X86_RCX);
	assert_int_equal(in.opsize, 4);
}

static void test_operand_sizes(void **state)
{
	struct x86_insn in;
	(void)state;
	struct {
		const char *hex;
		unsigned opsize, addrsize;
	} t[] = {
		{"50", 8, 8},	  {"6650", 2, 8},	{"4850", 8, 8},	  {"ffd0", 8, 8},
		{"66ffd0", 8, 8}, {"e800000000", 8, 8}, {"c9", 8, 8},	  {"66c9", 2, 8},
		{"ff30", 8, 8},	  {"8f00", 8, 8},	{"0fa0", 8, 8},	  {"9c", 8, 8},
		{"e5 80", 4, 8},  {"48e580", 4, 8},	{"66e580", 2, 8}, {"67aa", 1, 4},
		{"48a5", 8, 8},	  {"66a5", 2, 8},	{"a5", 4, 8},	  {"678b00", 4, 4},
		{"67e305", 8, 4}, {"cf", 4, 8},		{"48cf", 8, 8},	  {"ff18", 4, 8},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		assert_true(dec(t[i].hex, &in) > 0);
		if (in.opsize != t[i].opsize || in.addrsize != t[i].addrsize) {
			print_error("%s: opsize %u addrsize %u\n", t[i].hex, in.opsize,
				    in.addrsize);
			fail();
		}
	}
	assert_int_equal(dec("ff18", &in), 2); /* call far m16:32 */
	expect_opnd(&in, 0, X86_OPND_MEM, 6, 0);
	assert_int_equal(dec("66ff18", &in), 3);
	expect_opnd(&in, 0, X86_OPND_MEM, 4, 0);
}

static void test_immediates(void **state)
{
	struct x86_insn in;
	(void)state;
	assert_int_equal(dec("83c0ff", &in), 3);
	expect_opnd(&in, 1, X86_OPND_IMM, 4, 0);
	assert_int_equal(in.imm, -1);
	assert_int_equal(dec("4883c0ff", &in), 4);
	expect_opnd(&in, 1, X86_OPND_IMM, 8, 0);
	assert_int_equal(in.imm, -1);
	assert_int_equal(dec("4881c000000080", &in), 7);
	assert_int_equal(in.imm, (int64_t)0xffffffff80000000ull);
	assert_int_equal(dec("b080", &in), 2);
	expect_opnd(&in, 1, X86_OPND_IMM, 1, 0);
	assert_int_equal(in.imm & 0xff, 0x80);
	assert_int_equal(dec("d1e0", &in), 2);
	expect_opnd(&in, 1, X86_OPND_IMM, 1, 0);
	assert_int_equal(in.imm, 1);
	assert_int_equal(dec("c1e0ff", &in), 3); /* shift count: zero-extended byte */
	expect_opnd(&in, 1, X86_OPND_IMM, 1, 0);
	assert_int_equal(in.imm, 0xff);
	assert_int_equal(dec("c8100001", &in), 4);
	expect_opnd(&in, 0, X86_OPND_IMM, 2, 0);
	expect_opnd(&in, 1, X86_OPND_IMM, 1, 0);
	assert_int_equal(in.imm, 0x10);
	assert_int_equal(in.imm2, 1);
	assert_int_equal(dec("c2fff0", &in), 3);
	expect_opnd(&in, 0, X86_OPND_IMM, 2, 0);
	assert_int_equal(in.imm, 0xf0ff);
	assert_int_equal(dec("6aff", &in), 2);
	expect_opnd(&in, 0, X86_OPND_IMM, 8, 0);
	assert_int_equal(in.imm, -1);
	assert_int_equal(dec("ebfe", &in), 2);
	expect_opnd(&in, 0, X86_OPND_REL, 8, 0);
	assert_int_equal(in.imm, -2);
	assert_int_equal(dec("e900010000", &in), 5);
	assert_int_equal(in.imm, 0x100);
	assert_int_equal(dec("0f8cfaffffff", &in), 6);
	assert_int_equal(in.imm, -6);
	assert_int_equal(in.cond, 0xc);
	assert_int_equal(dec("660f78c00408", &in), 6); /* extrq xmm0, 4, 8 */
	expect_opnd(&in, 1, X86_OPND_IMM, 1, 0);
	expect_opnd(&in, 2, X86_OPND_IMM, 1, 0);
	assert_int_equal(in.imm, 4);
	assert_int_equal(in.imm2, 8);
	assert_int_equal(dec("660f3a0fc1f5", &in), 6);
	expect_opnd(&in, 3, X86_OPND_IMM, 1, 0);
	assert_int_equal(in.imm, 0xf5);
	assert_int_equal(dec("48b8efcdab8967452301", &in), 10);
	expect_opnd(&in, 1, X86_OPND_IMM, 8, 0);
	assert_int_equal(in.imm, 0x0123456789abcdefll);
}

static void test_memory(void **state)
{
	struct x86_insn in;
	(void)state;
	/* RIP-relative with an immediate after the displacement */
	assert_int_equal(dec("c7051000000078563412", &in), 10);
	expect_opnd(&in, 0, X86_OPND_MEM, 4, 0);
	assert_int_equal(in.mem_base, X86_REG_RIP);
	assert_int_equal(in.mem_index, X86_REG_NONE);
	assert_int_equal(in.disp, 0x10);
	assert_int_equal(in.imm, 0x12345678);
	assert_int_equal(dec("8d0488", &in), 3);
	expect_opnd(&in, 1, X86_OPND_MEM, 0, 0);
	assert_int_equal(in.mem_base, X86_RAX);
	assert_int_equal(in.mem_index, X86_RCX);
	assert_int_equal(in.mem_scale, 4);
	assert_int_equal(in.disp, 0);
	assert_int_equal(dec("4a8b44c5f8", &in), 5); /* mov rax, [rbp+r8*8-8] */
	assert_int_equal(in.mem_base, X86_RBP);
	assert_int_equal(in.mem_index, X86_R8);
	assert_int_equal(in.mem_scale, 8);
	assert_int_equal(in.disp, -8);
	expect_opnd(&in, 1, X86_OPND_MEM, 8, 0);
	assert_int_equal(dec("64488b042528000000", &in), 9);
	assert_int_equal(in.seg, X86_SEG_FS);
	assert_int_equal(in.mem_base, X86_REG_NONE);
	assert_int_equal(in.mem_index, X86_REG_NONE);
	assert_int_equal(in.disp, 0x28);
	assert_int_equal(dec("652e8b00", &in), 4); /* CS after GS does not cancel it */
	assert_int_equal(in.seg, X86_SEG_GS);
	assert_int_equal(dec("3e8b00", &in), 3);
	assert_int_equal(in.seg, X86_SEG_NONE);
	assert_int_equal(dec("658d00", &in), 3);
	assert_int_equal(in.seg, X86_SEG_NONE);
	assert_int_equal(dec("a1efcdab8967452301", &in), 9);
	expect_opnd(&in, 1, X86_OPND_MEM, 4, 0);
	assert_int_equal(in.mem_base, X86_REG_NONE);
	assert_int_equal(in.disp, 0x0123456789abcdefll);
	assert_int_equal(dec("67a1f0ffffff", &in), 6);
	assert_int_equal(in.addrsize, 4);
	assert_int_equal(in.disp, 0xfffffff0);
	assert_true(in.prefix & X86_PFX_ADDRSIZE);
	assert_int_equal(dec("678d0488", &in), 4);
	assert_int_equal(in.addrsize, 4);
	assert_int_equal(dec("0fae00", &in), 3); /* fxsave: the op implies 512 bytes */
	expect_opnd(&in, 0, X86_OPND_MEM, 0, 0);
	assert_int_equal(dec("0f1f440000", &in), 5);
	expect_opnd(&in, 0, X86_OPND_MEM, 0, 0);
	assert_int_equal(dec("f3480f7e06", &in), 5);
	expect_opnd(&in, 1, X86_OPND_MEM, 8, 0);
	assert_int_equal(dec("4c8b2d00000000", &in), 7); /* mov r13, [rip] */
	assert_int_equal(in.mem_base, X86_REG_RIP);
	expect_opnd(&in, 0, X86_OPND_GPR, 8, X86_R13);
	/* no memory operand: base/index none */
	assert_int_equal(dec("01c0", &in), 2);
	assert_int_equal(in.mem_base, X86_REG_NONE);
	assert_int_equal(in.mem_index, X86_REG_NONE);
}

static void test_prefix_bits(void **state)
{
	struct x86_insn in;
	(void)state;
	assert_int_equal(dec("f0803001", &in), 4);
	assert_int_equal(in.prefix, X86_PFX_LOCK);
	assert_int_equal(dec("f3a4", &in), 2);
	assert_int_equal(in.prefix, X86_PFX_REP);
	assert_int_equal(in.nopnd, 0);
	assert_int_equal(in.opsize, 1);
	assert_int_equal(dec("f2f3a6", &in), 3); /* the last of F2/F3 counts */
	assert_int_equal(in.prefix, X86_PFX_REP);
	assert_int_equal(dec("f3f2ae", &in), 3);
	assert_int_equal(in.prefix, X86_PFX_REPNE);
	assert_int_equal(dec("67f348ab", &in), 4);
	assert_int_equal(in.prefix, X86_PFX_REP | X86_PFX_ADDRSIZE | X86_PFX_REX | X86_PFX_VEX_W);
	assert_int_equal(in.opsize, 8);
	assert_int_equal(in.addrsize, 4);
	assert_int_equal(dec("4066a5", &in), 3); /* a REX before 66 is dropped */
	assert_int_equal(in.prefix, X86_PFX_OPSIZE);
	assert_int_equal(in.opsize, 2);
	assert_int_equal(dec("48 41 01 c0", &in), 4); /* the last REX counts */
	expect_opnd(&in, 0, X86_OPND_GPR, 4, X86_R8);
	assert_int_equal(dec("c4e1f97ec0", &in), 5); /* vmovq rax, xmm0 */
	assert_int_equal(in.op, X86_OP_MOVQ);
	assert_int_equal(in.prefix, X86_PFX_VEX | X86_PFX_VEX_W);
	assert_int_equal(dec("c3", &in), 1);
	assert_int_equal(in.prefix, 0);
	assert_int_equal(dec("f3c3", &in), 2);
	assert_int_equal(in.op, X86_OP_RET);
}

static void test_conditions(void **state)
{
	struct x86_insn in;
	(void)state;
	uint8_t b[2];
	for (unsigned cc = 0; cc < 16; cc++) {
		b[0] = 0x70 + cc;
		b[1] = 0;
		assert_int_equal(x86_decode(b, 2, &in), 2);
		assert_int_equal(in.op, X86_OP_JCC);
		assert_int_equal(in.cond, cc);
	}
	assert_int_equal(dec("0f4fc1", &in), 3);
	assert_int_equal(in.op, X86_OP_CMOVCC);
	assert_int_equal(in.cond, 15);
	assert_int_equal(dec("0f94c0", &in), 3);
	assert_int_equal(in.op, X86_OP_SETCC);
	assert_int_equal(in.cond, 4);
	const struct {
		const char *hex;
		unsigned cond;
	} fc[] = {{"dac1", 2}, {"dac9", 4}, {"dad1", 6}, {"dad9", 10},
		  {"dbc1", 3}, {"dbc9", 5}, {"dbd1", 7}, {"dbd9", 11}};
	for (size_t i = 0; i < sizeof fc / sizeof fc[0]; i++) {
		assert_int_equal(dec(fc[i].hex, &in), 2);
		assert_int_equal(in.op, X86_OP_FCMOVCC);
		assert_int_equal(in.cond, fc[i].cond);
	}
	/* FMA: order in bits 0-1, scalar in bit 2, double by VEX.W */
	assert_int_equal(dec("c4e27998c1", &in), 5);
	assert_int_equal(in.op, X86_OP_VFMADD);
	assert_int_equal(in.cond, 1);
	assert_int_equal(dec("c4e2f9b906", &in), 5);
	assert_int_equal(in.op, X86_OP_VFMADD);
	assert_int_equal(in.cond, 3 | 4);
	assert_true(in.prefix & X86_PFX_VEX_W);
	expect_opnd(&in, 2, X86_OPND_MEM, 8, 0);
	assert_int_equal(dec("c4e279b906", &in), 5);
	expect_opnd(&in, 2, X86_OPND_MEM, 4, 0);
	assert_int_equal(dec("c4e27daec1", &in), 5);
	assert_int_equal(in.op, X86_OP_VFNMSUB);
	assert_int_equal(in.cond, 2);
	expect_opnd(&in, 0, X86_OPND_XMM, 32, 0);
	assert_int_equal(dec("c4e27d96c1", &in), 5);
	assert_int_equal(in.op, X86_OP_VFMADDSUB);
}

static void test_x87_operands(void **state)
{
	struct x86_insn in;
	(void)state;
	assert_int_equal(dec("d806", &in), 2);
	assert_int_equal(in.op, X86_OP_FADD);
	assert_int_equal(in.nopnd, 1);
	expect_opnd(&in, 0, X86_OPND_MEM, 4, 0);
	assert_int_equal(dec("d8c3", &in), 2);
	expect_opnd(&in, 0, X86_OPND_ST, 10, 0);
	expect_opnd(&in, 1, X86_OPND_ST, 10, 3);
	assert_int_equal(dec("dcc3", &in), 2);
	expect_opnd(&in, 0, X86_OPND_ST, 10, 3);
	expect_opnd(&in, 1, X86_OPND_ST, 10, 0);
	assert_int_equal(dec("dec3", &in), 2);
	assert_int_equal(in.op, X86_OP_FADDP);
	expect_opnd(&in, 0, X86_OPND_ST, 10, 3);
	assert_int_equal(dec("d9c3", &in), 2);
	assert_int_equal(in.op, X86_OP_FLD);
	assert_int_equal(in.nopnd, 1);
	expect_opnd(&in, 0, X86_OPND_ST, 10, 3);
	const struct {
		const char *hex;
		unsigned op, size;
	} m[] = {{"d906", X86_OP_FLD, 4},    {"dd06", X86_OP_FLD, 8},	 {"db2e", X86_OP_FLD, 10},
		 {"df06", X86_OP_FILD, 2},   {"db06", X86_OP_FILD, 4},	 {"df2e", X86_OP_FILD, 8},
		 {"df26", X86_OP_FBLD, 10},  {"df36", X86_OP_FBSTP, 10}, {"dd0e", X86_OP_FISTTP, 8},
		 {"d92e", X86_OP_FLDCW, 2},  {"dd26", X86_OP_FRSTOR, 0}, {"dd36", X86_OP_FNSAVE, 0},
		 {"d926", X86_OP_FLDENV, 0}, {"de3e", X86_OP_FIDIVR, 2}};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		assert_int_equal(dec(m[i].hex, &in), 2);
		assert_int_equal(in.op, m[i].op);
		expect_opnd(&in, 0, X86_OPND_MEM, m[i].size, 0);
	}
	assert_int_equal(dec("dfe0", &in), 2);
	expect_opnd(&in, 0, X86_OPND_GPR, 2, X86_RAX);
}

static void test_vector_operands(void **state)
{
	struct x86_insn in;
	(void)state;
	/* legacy: dst repeated as src1 */
	assert_int_equal(dec("440f58c9", &in), 4); /* addps xmm9, xmm1 */
	assert_int_equal(in.nopnd, 3);
	expect_opnd(&in, 0, X86_OPND_XMM, 16, 9);
	expect_opnd(&in, 1, X86_OPND_XMM, 16, 9);
	expect_opnd(&in, 2, X86_OPND_XMM, 16, 1);
	assert_false(in.prefix & X86_PFX_VEX);
	/* VEX: src1 from vvvv, 256-bit */
	assert_int_equal(dec("c4c13c58c7", &in), 5); /* vaddps ymm0, ymm8, ymm15 */
	assert_true(in.prefix & X86_PFX_VEX);
	assert_int_equal(in.vex_l, 1);
	expect_opnd(&in, 0, X86_OPND_XMM, 32, 0);
	expect_opnd(&in, 1, X86_OPND_XMM, 32, 8);
	expect_opnd(&in, 2, X86_OPND_XMM, 32, 15);
	/* scalar VEX ignores L for register sizes */
	assert_int_equal(dec("c5f658c2", &in), 4); /* vaddss, L=1 */
	expect_opnd(&in, 0, X86_OPND_XMM, 16, 0);
	/* is4 */
	assert_int_equal(dec("c4e3794ac120", &in), 6);
	assert_int_equal(in.op, X86_OP_BLENDVPS);
	assert_int_equal(in.nopnd, 4);
	expect_opnd(&in, 3, X86_OPND_XMM, 16, 2);
	assert_int_equal(in.imm, 0x20);
	/* legacy BLENDVPS: implicit XMM0 as the fourth operand */
	assert_int_equal(dec("660f3814c1", &in), 5);
	assert_int_equal(in.nopnd, 4);
	expect_opnd(&in, 1, X86_OPND_XMM, 16, 0);
	expect_opnd(&in, 3, X86_OPND_XMM, 16, 0);
	/* gathers: VSIB */
	assert_int_equal(dec("c4e26d900488", &in), 6); /* vpgatherdd ymm0, [rax+ymm1*4], ymm2 */
	assert_int_equal(in.op, X86_OP_VPGATHERDD);
	expect_opnd(&in, 0, X86_OPND_XMM, 32, 0);
	expect_opnd(&in, 1, X86_OPND_MEM, 4, 0);
	expect_opnd(&in, 2, X86_OPND_XMM, 32, 2);
	assert_int_equal(in.mem_base, X86_RAX);
	assert_int_equal(in.mem_index, 1);
	assert_int_equal(in.mem_scale, 4);
	assert_int_equal(dec("c4a2e9900c20", &in), 6); /* vpgatherdq xmm1, [rax+xmm12], xmm2 */
	assert_int_equal(in.op, X86_OP_VPGATHERDQ);
	assert_int_equal(in.mem_index, 12);
	expect_opnd(&in, 1, X86_OPND_MEM, 8, 0);
	/* shifts by immediate: VEX.vvvv is the destination, legacy repeats rm */
	assert_int_equal(dec("c5f171d203", &in), 5);
	expect_opnd(&in, 0, X86_OPND_XMM, 16, 1);
	expect_opnd(&in, 1, X86_OPND_XMM, 16, 2);
	assert_int_equal(dec("66410f71d203", &in), 6);
	expect_opnd(&in, 0, X86_OPND_XMM, 16, 10);
	expect_opnd(&in, 1, X86_OPND_XMM, 16, 10);
	/* MMX registers ignore REX.R/B */
	assert_int_equal(dec("450ffcc1", &in), 4);
	expect_opnd(&in, 0, X86_OPND_MMX, 8, 0);
	expect_opnd(&in, 2, X86_OPND_MMX, 8, 1);
	/* conversions keep their natural shapes */
	assert_int_equal(dec("c5fd5ac1", &in), 4); /* vcvtpd2ps xmm0, ymm1 */
	expect_opnd(&in, 0, X86_OPND_XMM, 16, 0);
	expect_opnd(&in, 1, X86_OPND_XMM, 32, 1);
	assert_int_equal(dec("c5fc5a06", &in), 4); /* vcvtps2pd ymm0, [rsi] */
	expect_opnd(&in, 1, X86_OPND_MEM, 16, 0);
	assert_int_equal(dec("660f382106", &in), 5); /* pmovsxbd xmm0, m32 */
	expect_opnd(&in, 1, X86_OPND_MEM, 4, 0);
	assert_int_equal(dec("c4e27d2206", &in), 5); /* vpmovsxbq ymm0, m32 */
	expect_opnd(&in, 1, X86_OPND_MEM, 4, 0);
}

static void test_evex(void **state)
{
	struct x86_insn in;
	(void)state;
	assert_int_equal(dec("62f17c4858c1", &in), 6);
	assert_int_equal(in.op, X86_OP_AVX512);
	assert_int_equal(in.nopnd, 0);
	assert_true(x86_op_flags[in.op] & X86_OPF_NOEXE);
	/* disp8 is one byte whatever N is */
	assert_int_equal(dec("62f1fd48114420 01", &in), 8);
	assert_int_equal(dec("62f1fd481105 00000000", &in), 10);
	assert_int_equal(dec("62f37d4819c101", &in), 7);		/* map 0F3A: imm8 */
	assert_int_equal(dec("62f17d4872e001", &in), 7);		/* 0F 72: imm8 */
	assert_int_equal(dec("62f27d4800c1", &in), 6);			/* 0F38: none */
	assert_int_equal(dec("62f57c4858c1", &in), 6);			/* map 5 */
	assert_int_equal(dec("62f47c4858c1", &in), X86_DECODE_INVALID); /* map 4 */
	assert_int_equal(dec("62f17c", &in), X86_DECODE_SHORT);
}

/* ---- lengths: the 15-byte limit and truncation ---- */

static void test_length_limit(void **state)
{
	struct x86_insn in;
	uint8_t b[32];
	(void)state;
	memset(b, 0x66, sizeof b);
	b[14] = 0x90;
	assert_int_equal(x86_decode(b, 15, &in), 15);
	assert_int_equal(in.op, X86_OP_NOP);
	assert_int_equal(x86_decode(b, sizeof b, &in), 15);
	b[14] = 0x66;
	b[15] = 0x90;
	assert_int_equal(x86_decode(b, sizeof b, &in), X86_DECODE_INVALID);
	assert_int_equal(in.len, 15);
	assert_int_equal(in.op, X86_OP_INVALID);
	/* a 15-byte instruction that is fine, and one byte more */
	assert_int_equal(dec("646648c7848878563412efbeadde", &in), 14);
	assert_int_equal(dec("2e646648c7848878563412efbeadde", &in), 15);
	assert_int_equal(dec("2e2e646648c7848878563412efbeadde", &in), X86_DECODE_INVALID);
	assert_int_equal(dec("644866c7848878563412efbe", &in), 12); /* REX before 66 is void */
}

static void test_truncation(void **state)
{
	(void)state;
	/* 15 bytes: prefixes, REX.W, ModRM, SIB, disp32, imm32 */
	static const char *longest = "2e646648c7848878563412efbeadde";
	uint8_t full[15];
	assert_int_equal(unhex(longest, full, sizeof full), 15);
	struct x86_insn in;
	for (size_t avail = 0; avail <= 15; avail++) {
		/* exactly avail bytes, so ASan sees any read past them */
		uint8_t *b = malloc(avail ? avail : 1);
		memcpy(b, full, avail);
		int r = x86_decode(b, avail, &in);
		free(b);
		if (avail < 15)
			assert_int_equal(r, X86_DECODE_SHORT);
		else
			assert_int_equal(r, 15);
	}
	assert_int_equal(in.op, X86_OP_MOV);
	assert_int_equal(in.opsize, 8);
	assert_int_equal(in.disp, 0x12345678);
	assert_int_equal(in.imm, (int64_t)0xffffffffdeadbeefull);
	/* VEX and EVEX cut short */
	const char *vex[] = {"c4e27d18442408", "62f1fd4811442001"};
	for (size_t k = 0; k < 2; k++) {
		uint8_t v[16];
		size_t n = unhex(vex[k], v, sizeof v);
		for (size_t avail = 0; avail < n; avail++) {
			uint8_t *b = malloc(avail ? avail : 1);
			memcpy(b, v, avail);
			assert_int_equal(x86_decode(b, avail, &in), X86_DECODE_SHORT);
			free(b);
		}
		assert_int_equal(x86_decode(v, n, &in), (int)n);
	}
}

static void test_invalid_fields(void **state)
{
	struct x86_insn in;
	(void)state;
	assert_int_equal(dec("f001c0", &in), X86_DECODE_INVALID);
	assert_int_equal(in.len, 3);
	assert_int_equal(in.op, X86_OP_INVALID);
	assert_int_equal(in.nopnd, 0);
	assert_int_equal(dec("06", &in), X86_DECODE_INVALID);
	assert_int_equal(in.len, 1);
	assert_int_equal(dec("66666606", &in), X86_DECODE_INVALID);
	assert_int_equal(in.len, 4);
	char text[32];
	assert_string_equal(x86_format(&in, 0, text, sizeof text), "(bad)");
}

/* Decoding the same bytes gives identical structs, padding included. */
static void test_deterministic(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t b[32];
		size_t n = unhex(cases[i].hex, b, sizeof b);
		struct x86_insn x, y;
		memset(&x, 0xaa, sizeof x);
		memset(&y, 0x55, sizeof y);
		int rx = x86_decode(b, n, &x), ry = x86_decode(b, n, &y);
		assert_int_equal(rx, ry);
		assert_memory_equal(&x, &y, sizeof x);
	}
}

static void test_ops(void **state)
{
	(void)state;
	assert_string_equal(x86_op_name(X86_OP_ADD), "ADD");
	assert_string_equal(x86_op_name(X86_OP_INVALID), "INVALID");
	assert_string_equal(x86_op_name(X86_OP_AVX512), "AVX512");
	assert_string_equal(x86_op_name(X86_OP_COUNT), "INVALID");
	assert_int_equal(x86_op_flags[X86_OP_ADD], 0);
	assert_int_equal(x86_op_flags[X86_OP_JMP], X86_OPF_END);
	assert_int_equal(x86_op_flags[X86_OP_HLT], X86_OPF_END | X86_OPF_PRIV);
	assert_int_equal(x86_op_flags[X86_OP_SHA1MSG1], X86_OPF_NOEXE);
}

static void report_bad(const char *msg, const struct dform *f)
{
	print_error("%s: %s key %#x\n", msg, f ? x86_op_name(f->op) : "-", f ? f->key : 0);
}

static void test_tables(void **state)
{
	(void)state;
	assert_int_equal(x86_decode_check_tables(report_bad), 0);
}

/* First use from several threads at once: the index is built once. */
static void *decode_all(void *arg)
{
	unsigned *bad = arg;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct x86_insn in;
		if (dec(cases[i].hex, &in) != cases[i].ret)
			++*bad;
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	pthread_t t[4];
	unsigned bad[4] = {0};
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, decode_all, &bad[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(bad[i], 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads), /* first: concurrent first use */
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_gpr_fields),
		cmocka_unit_test(test_operand_sizes),
		cmocka_unit_test(test_immediates),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_prefix_bits),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_x87_operands),
		cmocka_unit_test(test_vector_operands),
		cmocka_unit_test(test_evex),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_invalid_fields),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
