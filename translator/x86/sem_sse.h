/* sem_sse.h — semantics of the ops in the "sem_sse.h" section of ops.def. */
#ifndef XLATE_X86_SEM_SSE_H
#define XLATE_X86_SEM_SSE_H

#include "translator/x86/sem.h"

/* The ops this header implements, for the interpreter's table. */
#define SEM_SSE_OPS(X)

#endif
