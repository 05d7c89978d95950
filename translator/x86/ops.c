/* ops.c — per-op flags and names, generated from ops.def. */
#include "translator/x86/x86.h"

#define END   X86_OPF_END
#define PRIV  X86_OPF_PRIV
#define NOEXE X86_OPF_NOEXE

const uint8_t x86_op_flags[X86_OP_COUNT] = {
#define X(name, flags) [X86_OP_##name] = (flags),
#include "translator/x86/ops.def"
#undef X
};

static const char *const op_names[X86_OP_COUNT] = {
	[X86_OP_INVALID] = "INVALID",
#define X(name, flags) [X86_OP_##name] = #name,
#include "translator/x86/ops.def"
#undef X
};

const char *x86_op_name(unsigned op)
{
	return op < X86_OP_COUNT ? op_names[op] : "INVALID";
}
