/* state.c — normalising, comparing and printing snippet states. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tests/x86/harness.h"
#include "translator/x86/x86.h"

static const char *const gpr_names[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
					  "r8",	 "r9",	"r10", "r11", "r12", "r13", "r14", "r15"};

void snip_state_normalize(struct snip_state *st)
{
	st->rflags &= SNIP_RFLAGS_MASK;
	st->fx[5] = 0;
	for (unsigned i = 0; i < 8; i++)
		memset(st->fx + 32 + 16 * i + 10, 0, 6);
	memset(st->fx + SNIP_FX_COMPARED, 0, 512 - SNIP_FX_COMPARED);
}

bool snip_host_is_intel(void)
{
#if defined(__x86_64__)
	uint32_t a, b, c, d;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	return b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e; /* GenuineIntel */
#else
	return false;
#endif
}

/* Fields of the FXSAVE image, for readable diffs. */
struct fx_field {
	const char *name;
	unsigned off, len;
};

static const struct fx_field fx_fields[] = {
	{"fcw", 0, 2}, {"fsw", 2, 2},  {"ftw(abridged)", 4, 1}, {"fop", 6, 2},
	{"fip", 8, 8}, {"fdp", 16, 8}, {"mxcsr", 24, 4},	{"mxcsr_mask", 28, 4},
};

static void hex(char *buf, const uint8_t *p, unsigned len)
{
	/* Little-endian value, most significant byte first. */
	for (unsigned i = 0; i < len; i++)
		sprintf(buf + 2 * i, "%02x", p[len - 1 - i]);
}

static void print_code(const struct snip *s)
{
	unsigned off = 0;
	while (off < s->len) {
		struct x86_insn in;
		char text[128];
		int len = x86_decode(s->code + off, s->len - off, &in);
		fprintf(stderr, "    %08" PRIx64 ":", s->init.rip + off);
		if (len <= 0) {
			fprintf(stderr, " %02x  (undecodable)\n", s->code[off]);
			off++;
			continue;
		}
		for (int i = 0; i < len; i++)
			fprintf(stderr, " %02x", s->code[off + i]);
		fprintf(stderr, "%*s%s\n", 3 * (12 - len > 0 ? 12 - len : 0) + 2, "",
			x86_format(&in, s->init.rip + off, text, sizeof text));
		off += (unsigned)len;
	}
}

static void diff64(const char *name, uint64_t e, uint64_t g)
{
	if (e == g)
		return;
	fprintf(stderr, "    %-14s expected %016" PRIx64 "  got %016" PRIx64 "\n", name, e, g);
}

static void diff_bytes(const char *name, const uint8_t *e, const uint8_t *g, unsigned len)
{
	char he[80], hg[80];
	if (!memcmp(e, g, len))
		return;
	hex(he, e, len);
	hex(hg, g, len);
	fprintf(stderr, "    %-14s expected %s\n    %-14s got      %s\n", name, he, "", hg);
}

static void rflags_text(char *buf, uint64_t f)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {{1, "CF"},	    {4, "PF"},	   {0x10, "AF"},    {0x40, "ZF"},    {0x80, "SF"},
		     {0x400, "DF"}, {0x800, "OF"}, {0x40000, "AC"}, {0x200000, "ID"}};
	buf[0] = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (f & names[i].bit) {
			strcat(buf, names[i].name);
			strcat(buf, " ");
		}
}

bool snip_compare(const struct snip *s, const struct snip_state *expect,
		  const struct snip_state *got, const struct snip_mask *mask, const char *title)
{
	uint64_t fm = SNIP_RFLAGS_MASK & ~(mask ? mask->rflags : 0);
	struct snip_state e = *expect, g = *got;

	if (mask && mask->x87_ptrs) {
		memset(e.fx + 6, 0, 18);
		memset(g.fx + 6, 0, 18);
	}
	if (!memcmp(e.gpr, g.gpr, sizeof e.gpr) && e.rip == g.rip &&
	    ((e.rflags ^ g.rflags) & fm) == 0 && e.fs_base == g.fs_base && e.gs_base == g.gs_base &&
	    !memcmp(e.fx, g.fx, SNIP_FX_COMPARED) && !memcmp(&e.fault, &g.fault, sizeof e.fault) &&
	    !memcmp(e.mem, g.mem, sizeof e.mem))
		return true;

	if (!title)
		return false;
	fprintf(stderr, "MISMATCH %s\n", title);
	print_code(s);
	for (int i = 0; i < 16; i++)
		diff64(gpr_names[i], e.gpr[i], g.gpr[i]);
	diff64("rip", e.rip, g.rip);
	if ((e.rflags ^ g.rflags) & fm) {
		char te[64], tg[64];
		rflags_text(te, e.rflags & fm);
		rflags_text(tg, g.rflags & fm);
		fprintf(stderr, "    %-14s expected %s got %s\n", "rflags", te, tg);
	}
	diff64("fs_base", e.fs_base, g.fs_base);
	diff64("gs_base", e.gs_base, g.gs_base);
	for (size_t i = 0; i < sizeof fx_fields / sizeof fx_fields[0]; i++)
		diff_bytes(fx_fields[i].name, e.fx + fx_fields[i].off, g.fx + fx_fields[i].off,
			   fx_fields[i].len);
	for (unsigned i = 0; i < 8; i++) {
		char n[16];
		snprintf(n, sizeof n, "st%u", i);
		diff_bytes(n, e.fx + 32 + 16 * i, g.fx + 32 + 16 * i, 10);
	}
	for (unsigned i = 0; i < 16; i++) {
		char n[16];
		snprintf(n, sizeof n, "xmm%u", i);
		diff_bytes(n, e.fx + 160 + 16 * i, g.fx + 160 + 16 * i, 16);
	}
	if (memcmp(&e.fault, &g.fault, sizeof e.fault))
		fprintf(stderr,
			"    %-14s expected sig %d code %#x addr %#" PRIx64 " trap %" PRIu64
			" err %#" PRIx64 "\n    %-14s got      sig %d code %#x addr %#" PRIx64
			" trap %" PRIu64 " err %#" PRIx64 "\n",
			"fault", e.fault.signo, e.fault.code, e.fault.addr, e.fault.trapno,
			e.fault.err, "", g.fault.signo, g.fault.code, g.fault.addr, g.fault.trapno,
			g.fault.err);
	for (unsigned i = 0; i < SNIP_MEM_SIZE;) {
		unsigned j = i;
		if (e.mem[i] == g.mem[i]) {
			i++;
			continue;
		}
		while (j < SNIP_MEM_SIZE && j - i < 16 && e.mem[j] != g.mem[j])
			j++;
		fprintf(stderr, "    mem+%03x       expected", i);
		for (unsigned k = i; k < j; k++)
			fprintf(stderr, " %02x", e.mem[k]);
		fprintf(stderr, "\n    %-14s got     ", "");
		for (unsigned k = i; k < j; k++)
			fprintf(stderr, " %02x", g.mem[k]);
		fprintf(stderr, "\n");
		i = j;
	}
	return false;
}

void snip_print_state(const struct snip_state *st)
{
	char buf[80];
	for (int i = 0; i < 16; i++)
		printf("  %-4s %016" PRIx64 "%s", gpr_names[i], st->gpr[i], i % 4 == 3 ? "\n" : "");
	rflags_text(buf, st->rflags);
	printf("  rip  %016" PRIx64 "  rflags %06" PRIx64 " [%s]\n", st->rip, st->rflags, buf);
	printf("  fs_base %016" PRIx64 "  gs_base %016" PRIx64 "\n", st->fs_base, st->gs_base);
	for (size_t i = 0; i < sizeof fx_fields / sizeof fx_fields[0]; i++) {
		hex(buf, st->fx + fx_fields[i].off, fx_fields[i].len);
		printf("  %s %s", fx_fields[i].name, buf);
	}
	printf("\n");
	for (unsigned i = 0; i < 8; i++) {
		hex(buf, st->fx + 32 + 16 * i, 10);
		printf("  st%u %s%s", i, buf, i % 4 == 3 ? "\n" : "");
	}
	for (unsigned i = 0; i < 16; i++) {
		hex(buf, st->fx + 160 + 16 * i, 16);
		printf("  xmm%-2u %s%s", i, buf, i % 2 == 1 ? "\n" : "");
	}
	printf("  fault: sig %d code %#x addr %#" PRIx64 " trap %" PRIu64 " err %#" PRIx64 "\n",
	       st->fault.signo, st->fault.code, st->fault.addr, st->fault.trapno, st->fault.err);
}
