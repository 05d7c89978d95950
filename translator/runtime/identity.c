/* identity.c — what the guest learns about its CPU, all derived from the
 * CPUID the translator emulates (x86_cpuid), so that auxv, /proc/cpuinfo
 * and the CPUID instruction never disagree. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translator/runtime/runtime.h"

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	x86_cpuid(leaf, sub, r);
}

static bool has_leaf(uint32_t leaf)
{
	uint32_t r[4];
	cpuid(leaf & 0x80000000u, 0, r);
	return r[0] >= leaf;
}

/* x86-64 Linux puts CPUID.1:EDX in AT_HWCAP. */
uint64_t identity_hwcap(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	return r[3];
}

/* AT_HWCAP2: bit 1 is FSGSBASE (the kernel enables it for user space when
 * the CPU has it); bit 0, ring-3 MONITOR/MWAIT, is a Xeon Phi feature. */
uint64_t identity_hwcap2(void)
{
	uint32_t r[4] = {0};
	if (has_leaf(7))
		cpuid(7, 0, r);
	return r[1] & 1 ? 2 : 0;
}

/* AT_MINSIGSTKSZ as x86-64 Linux with IA32 emulation (every distribution
 * kernel) computes it: the largest frame header (sigframe_ia32, 736
 * bytes) plus 15 bytes of alignment, the FPU state (XSAVE area for the
 * enabled features plus its 4-byte end magic, or the 512-byte FXSAVE
 * area, plus a 112-byte fsave header) and 63 bytes of XSAVE alignment,
 * rounded up to 16. Checked against the value an x86-64 kernel reports. */
uint64_t identity_minsigstksz(void)
{
	uint32_t r[4];
	uint64_t fpstate = 512 + 112;
	cpuid(1, 0, r);
	if (r[2] & (1u << 26) && has_leaf(0xd)) {
		cpuid(0xd, 0, r);
		fpstate = r[1] + 4 + 112;
	}
	return (736 + 15 + fpstate + 63 + 15) & ~15ull;
}

struct buf {
	char *p;
	size_t len, cap;
};

static void bprintf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bprintf(struct buf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->len + n < b->cap) {
			b->len += n;
			return;
		}
		b->cap = (b->cap + n) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
}

/* The brand string of leaves 0x80000002-4, leading spaces dropped. */
static void brand(char out[49])
{
	uint32_t r[12] = {0};
	if (has_leaf(0x80000004))
		for (int i = 0; i < 3; i++)
			cpuid(0x80000002 + i, 0, r + 4 * i);
	memcpy(out, r, 48);
	out[48] = 0;
	char *s = out;
	while (*s == ' ')
		s++;
	memmove(out, s, strlen(s) + 1);
}

char *identity_cpuinfo(int ncpu, size_t *len)
{
	uint32_t l0[4], l1[4], r[4];
	char vendor[13], model_name[49];
	cpuid(0, 0, l0);
	cpuid(1, 0, l1);
	memcpy(vendor, &l0[1], 4);
	memcpy(vendor + 4, &l0[3], 4);
	memcpy(vendor + 8, &l0[2], 4);
	vendor[12] = 0;
	brand(model_name);

	unsigned family = (l1[0] >> 8) & 0xf, model = (l1[0] >> 4) & 0xf;
	if (family == 0xf)
		family += (l1[0] >> 20) & 0xff;
	if (family >= 6)
		model += ((l1[0] >> 16) & 0xf) << 4;
	unsigned clflush = ((l1[1] >> 8) & 0xff) * 8;
	unsigned phys_bits = 36, virt_bits = 48;
	if (has_leaf(0x80000008)) {
		cpuid(0x80000008, 0, r);
		phys_bits = r[0] & 0xff;
		virt_bits = (r[0] >> 8) & 0xff;
	}
	unsigned cache_kb = 0;
	if (has_leaf(0x80000006)) {
		cpuid(0x80000006, 0, r);
		cache_kb = r[2] >> 16;
	}

	struct buf b = {malloc(4096), 0, 4096};
	if (!b.p)
		abort();
	for (int i = 0; i < ncpu; i++) {
		bprintf(&b, "processor\t: %d\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n",
			i, vendor, family, model);
		bprintf(&b, "model name\t: %s\nstepping\t: %u\n",
			model_name[0] ? model_name : "unknown", l1[0] & 0xf);
		if (cache_kb)
			bprintf(&b, "cache size\t: %u KB\n", cache_kb);
		bprintf(&b,
			"physical id\t: 0\nsiblings\t: %d\ncore id\t\t: %d\ncpu cores\t: %d\n"
			"apicid\t\t: %d\ninitial apicid\t: %d\n",
			ncpu, i, ncpu, i, i);
		const char *fpu = l1[3] & 1 ? "yes" : "no";
		bprintf(&b, "fpu\t\t: %s\nfpu_exception\t: %s\ncpuid level\t: %u\nwp\t\t: yes\n",
			fpu, fpu, l0[0]);
		bprintf(&b, "flags\t\t: %s\nbugs\t\t:\n", x86_cpuinfo_flags());
		bprintf(&b, "clflush size\t: %u\ncache_alignment\t: %u\n", clflush, clflush);
		bprintf(&b,
			"address sizes\t: %u bits physical, %u bits virtual\npower management:\n\n",
			phys_bits, virt_bits);
	}
	*len = b.len;
	return b.p;
}
