/* simd_pcmpstr.h — the SSE4.2 string compare core of PCMPESTRI/M and
 * PCMPISTRI/M (simd_pcmpstr.c), for sem_simd_int.h. */
#ifndef XLATE_X86_SIMD_PCMPSTR_H
#define XLATE_X86_SIMD_PCMPSTR_H

#include "translator/x86/x86.h"

struct simd_strcmp {
	uint16_t res; /* IntRes2: one bit per element */
	uint8_t cf, zf, sf, of;
};

/* Compares a (xmm1) with b (xmm2/m128) as imm8 says. la and lb are the
 * explicit lengths (EAX and EDX, or RAX and RDX with REX.W, as signed
 * values), unused when `implicit` takes each length from the first zero
 * element instead. */
struct simd_strcmp simd_pcmpstr(union x86_vec a, union x86_vec b, int64_t la, int64_t lb,
				bool implicit, uint8_t imm);

#endif
