/* sem_x87.h — semantics of the ops in the "sem_x87.h" section of ops.def. */
#ifndef XLATE_X86_SEM_X87_H
#define XLATE_X86_SEM_X87_H

#include "translator/x86/sem.h"

/* The ops this header implements, for the interpreter's table. */
#define SEM_X87_OPS(X)

#endif
