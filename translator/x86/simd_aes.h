/* simd_aes.h — AES-NI round primitives and carry-less multiplication
 * (simd_aes.c), for sem_simd_int.h. */
#ifndef XLATE_X86_SIMD_AES_H
#define XLATE_X86_SIMD_AES_H

#include "translator/x86/x86.h"

enum simd_aes_op { SIMD_AESENC, SIMD_AESENCLAST, SIMD_AESDEC, SIMD_AESDECLAST };

extern const uint8_t simd_aes_sbox[256], simd_aes_inv_sbox[256];

/* One AESENC/AESENCLAST/AESDEC/AESDECLAST round of state with key. */
union x86_vec simd_aes_round(union x86_vec state, union x86_vec key, enum simd_aes_op op);
/* AESIMC: InvMixColumns. */
union x86_vec simd_aes_imc(union x86_vec s);
/* AESKEYGENASSIST with round constant rcon. */
union x86_vec simd_aes_keygen(union x86_vec s, uint8_t rcon);
/* PCLMULQDQ: the 128-bit carry-less product of a and b. */
union x86_vec simd_clmul(uint64_t a, uint64_t b);

#endif
