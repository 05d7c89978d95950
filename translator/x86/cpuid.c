/* cpuid.c — the identity of the emulated CPU.
 *
 * Vendor "GenuineIntel", brand "xlatefs x86-64 translator". The vendor
 * must be one glibc knows: for any other, glibc 2.34-2.36 (Debian 12)
 * never reads leaf 1, finds no SSE2, and ld.so refuses every program with
 * "CPU ISA level is lower than required". The empty cache leaves (2, 4)
 * give glibc's generic cache sizes. Software that checks feature bits sees
 * only what the semantics implement and the differential tests cover.
 *
 * Every advertised feature is one row of `features`, which both x86_cpuid
 * and x86_cpuinfo_flags read, so /proc/cpuinfo and CPUID cannot disagree.
 * Rows with no name are bits Linux keeps out of /proc/cpuinfo: leaf 7 EBX
 * 6 and 13 describe how the x87 keeps FIP/FDP (sem_x87.h), as on the Intel
 * cores the differential tests run on.
 *
 * Not advertised yet (glibc and others would start using them):
 *   XSAVE, OSXSAVE (leaf 1 ECX 26, 27), AVX (ECX 28), FMA (ECX 12),
 *   F16C (ECX 29), AVX2 (leaf 7 EBX 5), XSAVEOPT/XSAVEC (leaf 0xd.1).
 * To turn XSAVE on: add the XSAVE and OSXSAVE rows (names "xsave" and
 * none: OSXSAVE has no cpuinfo flag, use the name "" which is skipped),
 * and the leaf 0xd.1 rows for the XSAVE variants; leaf 0xd below already
 * describes XCR0 = x87|SSE. For AVX: extend X86_XCR0 with bit 2 (and the
 * XSAVE area with the YMM_Hi128 component at offset 576, 256 bytes) once
 * the AVX semantics pass their tests, then add the AVX rows.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "translator/x86/sem_system.h"

enum reg { EAX, EBX, ECX, EDX };

struct feature {
	uint32_t leaf, subleaf;
	uint8_t reg, bit;
	const char *name; /* /proc/cpuinfo flag */
};

/* In /proc/cpuinfo order (Linux capability words 0, 1, 4, 6, 9). */
// clang-format off
static const struct feature features[] = {
	{ 1, 0, EDX,  0, "fpu" },
	{ 1, 0, EDX,  4, "tsc" },
	{ 1, 0, EDX,  8, "cx8" },
	{ 1, 0, EDX, 15, "cmov" },
	{ 1, 0, EDX, 19, "clflush" },
	{ 1, 0, EDX, 23, "mmx" },
	{ 1, 0, EDX, 24, "fxsr" },
	{ 1, 0, EDX, 25, "sse" },
	{ 1, 0, EDX, 26, "sse2" },
	{ 0x80000001, 0, EDX, 11, "syscall" },
	{ 0x80000001, 0, EDX, 20, "nx" },
	{ 0x80000001, 0, EDX, 27, "rdtscp" },
	{ 0x80000001, 0, EDX, 29, "lm" },
	{ 1, 0, ECX,  0, "pni" },
	{ 1, 0, ECX,  1, "pclmulqdq" },
	{ 1, 0, ECX,  9, "ssse3" },
	{ 1, 0, ECX, 13, "cx16" },
	{ 1, 0, ECX, 19, "sse4_1" },
	{ 1, 0, ECX, 20, "sse4_2" },
	{ 1, 0, ECX, 22, "movbe" },
	{ 1, 0, ECX, 23, "popcnt" },
	{ 1, 0, ECX, 25, "aes" },
	{ 1, 0, ECX, 30, "rdrand" },
	{ 0x80000001, 0, ECX,  0, "lahf_lm" },
	{ 0x80000001, 0, ECX,  5, "abm" },
	{ 7, 0, EBX,  3, "bmi1" },
	{ 7, 0, EBX,  6, "" },	/* FDP_EXCPTN_ONLY: x87_exception alone sets FDP */
	{ 7, 0, EBX,  8, "bmi2" },
	{ 7, 0, EBX, 13, "" },	/* FCS/FDS deprecated: FIP/FDP are 64-bit, no selectors */
	{ 7, 0, EBX, 18, "rdseed" },
	{ 7, 0, EBX, 19, "adx" },
};
// clang-format on

#define MAX_BASIC_LEAF 0xd
#define MAX_EXT_LEAF   0x80000008u

static const char vendor[12] = "GenuineIntel";
static const char brand[48] = "xlatefs x86-64 translator";

/* Family 6, model 1, stepping 1: a plausible, unspecific signature. */
#define SIGNATURE	    0x00000611u
#define CLFLUSH_LINE_QWORDS 8

static unsigned logical_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 255 ? 255 : (unsigned)n;
}

void x86_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	memset(out, 0, 4 * sizeof out[0]);
	if (leaf > MAX_BASIC_LEAF && (leaf < 0x80000000u || leaf > MAX_EXT_LEAF))
		return;
	for (size_t i = 0; i < sizeof features / sizeof features[0]; i++)
		if (features[i].leaf == leaf && features[i].subleaf == (leaf == 7 ? subleaf : 0))
			out[features[i].reg] |= 1u << features[i].bit;
	switch (leaf) {
	case 0:
		out[EAX] = MAX_BASIC_LEAF;
		memcpy(&out[EBX], vendor, 4);
		memcpy(&out[EDX], vendor + 4, 4);
		memcpy(&out[ECX], vendor + 8, 4);
		break;
	case 1: {
		unsigned n = logical_cpus();
		out[EAX] = SIGNATURE;
		out[EBX] = CLFLUSH_LINE_QWORDS << 8 | n << 16;
		if (n > 1)
			out[EDX] |= 1u << 28; /* HTT: the logical-processor count is valid */
		break;
	}
	case 7:
		if (subleaf != 0)
			memset(out, 0, 4 * sizeof out[0]);
		break;
	case 0xd:
		/* XSAVE layout for XCR0 = x87|SSE (only read once XSAVE is
		 * advertised): 512-byte legacy area plus the 64-byte header. */
		if (subleaf == 0) {
			out[EAX] = X86_XCR0;
			out[EBX] = 576;
			out[ECX] = 576;
		}
		break;
	case 0x80000000u: out[EAX] = MAX_EXT_LEAF; break;
	case 0x80000002u:
	case 0x80000003u:
	case 0x80000004u: memcpy(out, brand + 16 * (leaf - 0x80000002u), 16); break;
	case 0x80000008u:
		out[EAX] = 48 << 8 | 48; /* 48-bit virtual and physical addresses */
		break;
	default: break;
	}
}

static char flags_text[512];
static pthread_once_t flags_once = PTHREAD_ONCE_INIT;

static void flags_build(void)
{
	size_t len = 0;
	for (size_t i = 0; i < sizeof features / sizeof features[0]; i++) {
		size_t l = strlen(features[i].name);
		if (!l || len + l + 2 > sizeof flags_text)
			continue;
		if (len)
			flags_text[len++] = ' ';
		memcpy(flags_text + len, features[i].name, l);
		len += l;
	}
	flags_text[len] = 0;
}

const char *x86_cpuinfo_flags(void)
{
	pthread_once(&flags_once, flags_build);
	return flags_text;
}
