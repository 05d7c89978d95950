/* identity.c — what a process learns about itself at startup and from
 * /proc, printed so that a native run and a translated run can be
 * compared line by line. Values that differ between two native runs
 * (addresses, random bytes) are printed as relations, not values.
 * The CPU's identity is checked for consistency (CPUID against AT_HWCAP
 * and /proc/cpuinfo), since the translator emulates another CPU.
 * Built static, so that it also shows a kernel-loaded process's stack. */
#include <cpuid.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

extern char **environ;
extern const char __ehdr_start[];
void _start(void);

static size_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;
	if (fd < 0)
		return 0;
	while (n < size && (r = read(fd, buf + n, size - n)) > 0)
		n += r;
	close(fd);
	return n;
}

static int has_flag(const char *flags, const char *name)
{
	size_t l = strlen(name);
	for (const char *p = flags; (p = strstr(p, name)); p += l)
		if ((p == flags || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\n' || !p[l]))
			return 1;
	return 0;
}

/* Start of the /proc/self/maps line named `name`, 0 if none. */
static unsigned long maps_start(const char *name)
{
	static char buf[1 << 16];
	size_t n = slurp("/proc/self/maps", buf, sizeof buf - 1);
	buf[n] = 0;
	char *at = strstr(buf, name);
	if (!at)
		return 0;
	while (at > buf && at[-1] != '\n')
		at--;
	return strtoul(at, NULL, 16);
}

/* From the auxv itself: glibc's getauxval(AT_HWCAP) on x86-64 answers
 * with its own platform bits instead. */
static unsigned long raw_aux(const Elf64_auxv_t *a, unsigned long type)
{
	for (; a->a_type; a++)
		if (a->a_type == type)
			return a->a_un.a_val;
	return 0;
}

int main(int argc, char **argv)
{
	char **e = environ;
	while (*e)
		e++;
	Elf64_auxv_t *aux = (Elf64_auxv_t *)(e + 1), *a;
	/* Present in a native process but deliberately not given to a guest:
	 * the host's vDSO, and rseq (the translator refuses rseq). */
	printf("auxv:");
	for (a = aux; a->a_type; a++)
		if (a->a_type != AT_SYSINFO_EHDR && a->a_type != 27 && a->a_type != 28)
			printf(" %lu", (unsigned long)a->a_type);
	printf("\n");
	/* AT_BASE is where the ELF interpreter was loaded, 0 without one. */
	const char *base = (const char *)getauxval(AT_BASE);
	printf("pagesz %lu clktck %lu flags %lu secure %lu base %s\n", getauxval(AT_PAGESZ),
	       getauxval(AT_CLKTCK), getauxval(AT_FLAGS), getauxval(AT_SECURE),
	       !base			       ? "none"
	       : memcmp(base, ELFMAG, SELFMAG) ? "not an ELF header"
					       : "ELF header");
	/* The vDSO, when there is one, is where the maps say. A guest given
	 * the host's vDSO (another architecture's code) would see it in auxv
	 * but not in its maps. */
	printf("vdso consistent %d\n", raw_aux(aux, AT_SYSINFO_EHDR) == maps_start("[vdso]"));
	printf("ids %d\n", getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid() &&
				   getauxval(AT_GID) == getgid() &&
				   getauxval(AT_EGID) == getegid());
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)__ehdr_start;
	printf("phdr %d phent %lu phnum %d entry %d\n",
	       getauxval(AT_PHDR) == (unsigned long)__ehdr_start + eh->e_phoff, getauxval(AT_PHENT),
	       getauxval(AT_PHNUM) == eh->e_phnum, getauxval(AT_ENTRY) == (unsigned long)_start);
	printf("platform %s execfn %s\n", (char *)getauxval(AT_PLATFORM),
	       (char *)getauxval(AT_EXECFN));

	/* The stack: argv and envp strings contiguous, AT_EXECFN after them,
	 * then 8 zero bytes at the very top; platform and random below. */
	char *last = argc ? argv[argc - 1] : NULL;
	for (char **p = environ; *p; p++)
		last = *p;
	char *execfn = (char *)getauxval(AT_EXECFN);
	int contiguous = 1;
	for (int i = 0; i + 1 < argc; i++)
		contiguous &= argv[i] + strlen(argv[i]) + 1 == argv[i + 1];
	printf("stack: args contiguous %d execfn after strings %d top zero %d\n", contiguous,
	       last + strlen(last) + 1 == execfn, *(uint64_t *)(execfn + strlen(execfn) + 1) == 0);
	printf("stack: random below platform %d, argv array below auxv %d\n",
	       (char *)getauxval(AT_RANDOM) + 16 == (char *)getauxval(AT_PLATFORM),
	       (char *)argv < (char *)aux);

	/* The CPU: AT_HWCAP is CPUID.1:EDX; AT_HWCAP2 bit 1 is FSGSBASE. */
	unsigned int eax, ebx, ecx, edx, ebx7 = 0, c7, d7, a7;
	__cpuid(1, eax, ebx, ecx, edx);
	if (__get_cpuid_max(0, NULL) >= 7)
		__cpuid_count(7, 0, a7, ebx7, c7, d7);
	printf("hwcap matches cpuid %d hwcap2 matches cpuid %d\n", raw_aux(aux, AT_HWCAP) == edx,
	       (raw_aux(aux, AT_HWCAP2) & 2) == (ebx7 & 1 ? 2u : 0u));
	unsigned long minsig = getauxval(AT_MINSIGSTKSZ);
	printf("minsigstksz sane %d\n", minsig >= 1024 && minsig < 65536 && minsig % 16 == 0);

	static char buf[1 << 16];
	size_t n = slurp("/proc/cpuinfo", buf, sizeof buf - 1);
	buf[n] = 0;
	char *flags = strstr(buf, "\nflags\t\t: ");
	printf("cpuinfo has flags %d", flags != NULL);
	if (flags) {
		const struct {
			const char *name;
			unsigned *reg;
			int bit;
		} f[] = {
			{"fpu", &edx, 0},     {"tsc", &edx, 4},	    {"cx8", &edx, 8},
			{"cmov", &edx, 15},   {"mmx", &edx, 23},    {"sse", &edx, 25},
			{"sse2", &edx, 26},   {"pni", &ecx, 0},	    {"ssse3", &ecx, 9},
			{"sse4_1", &ecx, 19}, {"sse4_2", &ecx, 20}, {"popcnt", &ecx, 23},
			{"aes", &ecx, 25},    {"avx", &ecx, 28},    {"fma", &ecx, 12},
		};
		int agree = 1;
		for (size_t i = 0; i < sizeof f / sizeof *f; i++)
			agree &= has_flag(flags + 10, f[i].name) == !!(*f[i].reg & 1u << f[i].bit);
		printf(" agreeing with cpuid %d", agree);
	}
	int procs = 0;
	for (char *p = buf; (p = strstr(p, "processor\t:")); p++)
		procs++;
	printf(" processors match %d\n", procs == sysconf(_SC_NPROCESSORS_ONLN));

	/* /proc/self: exe, cmdline, auxv, maps. */
	char exe[4096] = "", real[4096] = "";
	ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (l > 0)
		exe[l] = 0;
	printf("exe is the program %d\n", realpath(execfn, real) && !strcmp(exe, real));
	n = slurp("/proc/self/cmdline", buf, sizeof buf);
	size_t want = 0;
	int same = 1;
	for (int i = 0; i < argc; i++) {
		same &= want + strlen(argv[i]) + 1 <= n && !strcmp(buf + want, argv[i]);
		want += strlen(argv[i]) + 1;
	}
	printf("cmdline is argv %d\n", same && n == want);
	n = slurp("/proc/self/auxv", buf, sizeof buf);
	size_t auxlen = 0;
	for (a = aux; a->a_type; a++)
		auxlen += sizeof *a;
	auxlen += sizeof *a;
	printf("auxv file is the auxv %d\n", n == auxlen && !memcmp(buf, aux, n));
	n = slurp("/proc/self/maps", buf, sizeof buf - 1);
	buf[n] = 0;
	int stack_ok = 0, exe_ok = 0, local;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		if (strstr(line, "[stack]") && lo <= (unsigned long)&local &&
		    (unsigned long)&local < hi)
			stack_ok = 1;
		if (strstr(line, " r-xp ") && lo <= (unsigned long)main &&
		    (unsigned long)main < hi && strlen(line) > 73 && !strcmp(line + 73, exe))
			exe_ok = 1;
	}
	printf("maps: stack %d text named %d\n", stack_ok, exe_ok);

	struct utsname u;
	uname(&u);
	printf("machine %s\n", u.machine);

	/* A call no kernel has: ENOSYS each time (the translator reports it
	 * once under XLATE_DEBUG; tests/guest/runtime.sh checks that). */
	long r1 = syscall(1000), e1 = errno, r2 = syscall(1000), e2 = errno;
	printf("unknown syscall ENOSYS %d\n", r1 == -1 && e1 == ENOSYS && r2 == -1 && e2 == ENOSYS);
	return 0;
}
