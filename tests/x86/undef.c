/* undef.c — the arithmetic flags the SDM leaves undefined, per op. The
 * differential test ignores them only when the reference was not recorded
 * on an Intel CPU (the semantics model Intel's values; see sem_flags.h). */
#include "config.h"

#include "tests/x86/forms.h"
#include "translator/x86/x86.h"

enum { CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800 };

// clang-format off
static const struct {
	uint16_t op;
	uint16_t flags;
} undef[] = {
	{X86_OP_AND, AF}, {X86_OP_OR, AF}, {X86_OP_XOR, AF}, {X86_OP_TEST, AF},
	{X86_OP_MUL, SF | ZF | AF | PF}, {X86_OP_IMUL, SF | ZF | AF | PF},
	{X86_OP_DIV, CF | OF | SF | ZF | AF | PF}, {X86_OP_IDIV, CF | OF | SF | ZF | AF | PF},
	{X86_OP_SHL, OF | AF}, {X86_OP_SHR, OF | AF}, {X86_OP_SAR, OF | AF},
	{X86_OP_SHLD, OF | AF | CF}, {X86_OP_SHRD, OF | AF | CF},
	{X86_OP_ROL, OF}, {X86_OP_ROR, OF}, {X86_OP_RCL, OF}, {X86_OP_RCR, OF},
	{X86_OP_BT, OF | SF | AF | PF}, {X86_OP_BTS, OF | SF | AF | PF},
	{X86_OP_BTR, OF | SF | AF | PF}, {X86_OP_BTC, OF | SF | AF | PF},
	{X86_OP_BSF, CF | OF | SF | AF | PF}, {X86_OP_BSR, CF | OF | SF | AF | PF},
	{X86_OP_LZCNT, OF | SF | AF | PF}, {X86_OP_TZCNT, OF | SF | AF | PF},
	{X86_OP_ANDN, AF | PF}, {X86_OP_BEXTR, AF | SF | PF}, {X86_OP_BLSI, AF | PF},
	{X86_OP_BLSMSK, AF | PF}, {X86_OP_BLSR, AF | PF}, {X86_OP_BZHI, AF | PF},
};
// clang-format on

uint64_t x86_variant_undef_flags(const struct x86_variant *v)
{
	struct snip s;
	struct x86_insn in;

	x86_case_make(v, 0, &s);
	if (x86_decode(s.code, s.len, &in) <= 0)
		return 0;
	for (size_t i = 0; i < sizeof undef / sizeof undef[0]; i++)
		if (undef[i].op == in.op)
			return undef[i].flags;
	return 0;
}
