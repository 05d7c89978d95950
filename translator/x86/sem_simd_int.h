/* sem_simd_int.h — semantics of the ops in the "sem_simd_int.h" section of ops.def. */
#ifndef XLATE_X86_SEM_SIMD_INT_H
#define XLATE_X86_SEM_SIMD_INT_H

#include "translator/x86/sem.h"

/* The ops this header implements, for the interpreter's table. */
#define SEM_SIMD_INT_OPS(X)

#endif
