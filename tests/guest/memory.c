/* memory.c — the x86-64 Linux memory calls as a program sees them: brk,
 * mmap (hints, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_32BIT, files),
 * munmap, mprotect, mremap, madvise, /proc/self/maps, faults, and code
 * written at run time. Prints outcomes and relations, never addresses,
 * so a native run and a translated run print the same lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG	 4096ul
#define TASK_TOP 0x7ffffffff000ul /* first address an x86-64 process cannot map */

static void say(const char *what, long v)
{
	printf("%-40s %ld\n", what, v);
}

/* The error of a call that returned MAP_FAILED or -1, else 0. */
static int err_of(long r)
{
	return r == -1 ? errno : 0;
}

static char *map(void *hint, size_t len, int prot, int flags)
{
	return mmap(hint, len, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* A free, page-aligned range of len bytes (mapped, then unmapped). */
static char *free_range(size_t len)
{
	char *p = map(NULL, len, PROT_NONE, 0);
	munmap(p, len);
	return p;
}

static int all_zero(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

/* /proc/self/maps lines overlapping [lo, hi), and the permissions of the
 * first of them in perms. */
static int maps_lines(const void *lo, const void *hi, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long s, e;
		char p[5];
		if (sscanf(line, "%lx-%lx %4s", &s, &e, p) != 3)
			continue;
		if (s < (unsigned long)hi && (unsigned long)lo < e && n++ == 0 && perms)
			memcpy(perms, p, 5);
	}
	fclose(f);
	return n;
}

/* The name /proc/self/maps gives the mapping holding addr ("" if none). */
static void maps_name(const void *addr, char *name, size_t size)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	name[0] = 0;
	while (f && fgets(line, sizeof line, f)) {
		unsigned long s, e;
		int at = 0;
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &s, &e, &at) < 2)
			continue;
		if (s <= (unsigned long)addr && (unsigned long)addr < e) {
			line[strcspn(line, "\n")] = 0;
			snprintf(name, size, "%s", line + at);
		}
	}
	if (f)
		fclose(f);
}

static void test_brk(void)
{
	char *b0 = (char *)syscall(SYS_brk, 0);
	char *top = b0 + 64 * PG, *page = (char *)(((uintptr_t)b0 + PG - 1) & ~(PG - 1));
	say("brk grows", (char *)syscall(SYS_brk, top) == top);
	say("brk new memory zero", all_zero(page, top - page));
	char name[64];
	maps_name(top - 1, name, sizeof name);
	say("brk named [heap]", !strcmp(name, "[heap]"));
	page[PG] = 1;
	say("brk shrinks", (char *)syscall(SYS_brk, b0) == b0);
	syscall(SYS_brk, top);
	say("brk regrown memory zero", page[PG] == 0);
	say("brk below start refused", (char *)syscall(SYS_brk, 0x10000) == top);
	say("brk huge refused", (char *)syscall(SYS_brk, 1ul << 46) == top);
	syscall(SYS_brk, b0);
}

static void test_mmap_placement(void)
{
	char *p = map(NULL, 3 * PG, PROT_READ | PROT_WRITE, 0);
	say("anon aligned and zero", ((uintptr_t)p % PG) == 0 && all_zero(p, 3 * PG));
	say("anon below task top", (uintptr_t)p + 3 * PG <= TASK_TOP);

	char *lo = map(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_32BIT);
	say("MAP_32BIT below 2 GiB", (uintptr_t)lo + 4 * PG <= 1ul << 31);
	say("MAP_32BIT at or above 1 GiB", (uintptr_t)lo >= 1ul << 30);
	munmap(lo, 4 * PG);

	char *f = free_range(8 * PG);
	say("hint honoured when free", map(f, 2 * PG, PROT_READ, 0) == f);
	char *q = map(f, 2 * PG, PROT_READ, 0);
	say("hint moved when taken", q != f && (q + 2 * PG <= f || q >= f + 2 * PG));
	munmap(q, 2 * PG);
	char *high = map((void *)(1ul << 50), PG, PROT_READ, 0);
	say("hint above 47 bits ignored", high != MAP_FAILED && (uintptr_t)high < TASK_TOP);
	munmap(high, PG);

	errno = 0;
	long r = (long)map(f, PG, PROT_READ, MAP_FIXED_NOREPLACE);
	say("NOREPLACE on a mapping: EEXIST", err_of(r) == EEXIST);
	r = (long)map(f + PG, 2 * PG, PROT_READ, MAP_FIXED_NOREPLACE);
	say("NOREPLACE overlapping: EEXIST", err_of(r) == EEXIST);
	say("NOREPLACE on free memory",
	    map(f + 4 * PG, PG, PROT_READ, MAP_FIXED_NOREPLACE) == f + 4 * PG);

	p[0] = 7;
	say("MAP_FIXED replaces", map(p, PG, PROT_READ | PROT_WRITE, MAP_FIXED) == p && p[0] == 0);
	say("MAP_FIXED at task top: ENOMEM",
	    err_of((long)map((void *)TASK_TOP, PG, PROT_READ, MAP_FIXED)) == ENOMEM);
	say("MAP_FIXED unaligned: EINVAL",
	    err_of((long)map(p + 1, PG, PROT_READ, MAP_FIXED)) == EINVAL);
	say("mmap length 0: EINVAL", err_of((long)map(NULL, 0, PROT_READ, 0)) == EINVAL);
	say("mmap bad fd: EBADF",
	    err_of((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0)) == EBADF);
	munmap(f, 8 * PG);
	munmap(p, 3 * PG);
}

static void test_unmap_protect(void)
{
	char *p = map(NULL, 3 * PG, PROT_READ | PROT_WRITE, 0);
	char perms[5];
	say("one mapping", maps_lines(p, p + 3 * PG, perms));
	mprotect(p + PG, PG, PROT_READ);
	say("mprotect splits in three", maps_lines(p, p + 3 * PG, perms));
	say("middle is read-only",
	    maps_lines(p + PG, p + 2 * PG, perms) == 1 && !strcmp(perms, "r--p"));
	mprotect(p + PG, PG, PROT_READ | PROT_WRITE);
	say("mprotect back merges", maps_lines(p, p + 3 * PG, perms));
	say("munmap middle", munmap(p + PG, PG) == 0);
	say("two mappings left", maps_lines(p, p + 3 * PG, perms));
	p[0] = p[2 * PG] = 1;
	say("munmap unaligned: EINVAL", err_of(munmap(p + 1, PG)) == EINVAL);
	say("munmap of nothing is fine", munmap(p + PG, PG) == 0);
	say("mprotect of a hole: ENOMEM", err_of(mprotect(p, 3 * PG, PROT_READ)) == ENOMEM);
	say("munmap beyond task top: EINVAL", err_of(munmap((void *)TASK_TOP, PG)) == EINVAL);
	munmap(p, 3 * PG);

	p = map(NULL, 2 * PG, PROT_READ | PROT_WRITE, 0);
	memset(p, 5, 2 * PG);
	say("MADV_DONTNEED zeroes", madvise(p, PG, MADV_DONTNEED) == 0 && p[0] == 0 && p[PG] == 5);
	munmap(p, 2 * PG);
}

static void test_mremap(void)
{
	char *p = map(NULL, 2 * PG, PROT_READ | PROT_WRITE, 0);
	p[0] = 1, p[PG] = 2;
	char *f = free_range(16 * PG);
	map(f + 2 * PG, PG, PROT_READ, MAP_FIXED);
	char *moved = mremap(p, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
	say("mremap grows keeping data", moved != MAP_FAILED && moved[0] == 1 && moved[PG] == 2 &&
						 all_zero(moved + 2 * PG, 2 * PG));
	say("mremap shrinks in place", mremap(moved, 4 * PG, PG, 0) == moved);
	char *fix = mremap(moved, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, f + 8 * PG);
	say("MREMAP_FIXED moves there", fix == f + 8 * PG && fix[0] == 1);
	say("old place unmapped", maps_lines(moved, moved + PG, NULL) == 0);
	say("mremap grows in place", mremap(fix, PG, 4 * PG, 0) == fix);
	map(f + 12 * PG, PG, PROT_READ, MAP_FIXED);
	say("no room and no MAYMOVE: ENOMEM",
	    err_of((long)mremap(fix, 4 * PG, 8 * PG, 0)) == ENOMEM);
	say("mremap unaligned: EINVAL", err_of((long)mremap(fix + 1, PG, 2 * PG, 0)) == EINVAL);
	munmap(fix, 4 * PG);
	munmap(f, 16 * PG);
}

static void test_files(void)
{
	int fd = open("mm.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[2 * PG], c;
	memset(buf, 'a', PG);
	memset(buf + PG, 'b', PG);
	write(fd, buf, sizeof buf);
	char *priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PG);
	say("file mapping at an offset", priv != MAP_FAILED && priv[0] == 'b');
	priv[0] = 'x';
	pread(fd, &c, 1, PG);
	say("private write stays private", c == 'b');
	char name[512];
	maps_name(priv, name, sizeof name);
	say("maps names the file",
	    strlen(name) >= 7 && !strcmp(name + strlen(name) - 7, "/mm.dat"));
	char *shared = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	shared[PG + 1] = 'y';
	msync(shared, 2 * PG, MS_SYNC);
	pread(fd, &c, 1, PG + 1);
	say("shared write reaches the file", c == 'y');
	say("private copy keeps its old data", priv[0] == 'x' && priv[1] == 'b');
	say("mmap of a directory: ENODEV or EACCES",
	    (c = (char)err_of((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, open(".", O_RDONLY),
					 0))) == ENODEV ||
		    c == EACCES);
	munmap(priv, PG);
	munmap(shared, 2 * PG);
	close(fd);
	unlink("mm.dat");
}

static sigjmp_buf jump;
static volatile siginfo_t fault;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault = *si;
	siglongjmp(jump, sig);
}

/* Which signal and code touching addr raises (0 when none). */
static int touch(volatile char *addr, int write, int *code, int *at_addr)
{
	int sig = sigsetjmp(jump, 1);
	if (!sig) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		return 0;
	}
	*code = fault.si_code;
	*at_addr = fault.si_addr == (void *)addr;
	return sig;
}

static void test_faults(void)
{
	struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER};
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	char *p = map(NULL, 2 * PG, PROT_READ, 0);
	int code = 0, at = 0;
	say("write to read-only: SIGSEGV", touch(p + 5, 1, &code, &at) == SIGSEGV);
	say("  SEGV_ACCERR at the address", code == SEGV_ACCERR && at);
	munmap(p + PG, PG);
	say("read of unmapped: SIGSEGV", touch(p + PG + 9, 0, &code, &at) == SIGSEGV);
	say("  SEGV_MAPERR at the address", code == SEGV_MAPERR && at);
	mprotect(p, PG, PROT_NONE);
	say("read of PROT_NONE: SIGSEGV", touch(p, 0, &code, &at) == SIGSEGV);
	munmap(p, PG);

	int fd = open("short.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "x", 1);
	char *f = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	say("read past end of file: SIGBUS", touch(f + PG, 0, &code, &at) == SIGBUS);
	say("  file tail reads zero", f[1] == 0 && f[PG - 1] == 0);
	munmap(f, 2 * PG);
	close(fd);
	unlink("short.dat");
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
}

/* mov eax, imm32; ret */
static void emit(unsigned char *at, uint32_t imm)
{
	at[0] = 0xb8;
	memcpy(at + 1, &imm, 4);
	at[5] = 0xc3;
}

static void test_code(void)
{
	typedef int (*fn)(void);
	unsigned char *p = (unsigned char *)map(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC, 0);
	emit(p, 11);
	int a = ((fn)p)();
	emit(p, 22);
	say("rwx code rewritten", a == 11 && ((fn)p)() == 22);

	emit(p + 64, 33);
	mprotect(p, PG, PROT_READ | PROT_EXEC);
	a = ((fn)(p + 64))();
	mprotect(p, PG, PROT_READ | PROT_WRITE);
	emit(p + 64, 44);
	mprotect(p, PG, PROT_READ | PROT_EXEC);
	say("W^X code rewritten", a == 33 && ((fn)(p + 64))() == 44);
	munmap(p, PG);
	p = (unsigned char *)map(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC, 0);
	emit(p, 55);
	say("new code at a reused address", ((fn)p)() == 55);

	/* Two views of one page, as JITs and libffi closures use them. */
	int fd = memfd_create("code", 0);
	ftruncate(fd, PG);
	unsigned char *w = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unsigned char *x = mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	emit(w, 66);
	a = ((fn)x)();
	emit(w, 77);
	say("code written through another view", a == 66 && ((fn)x)() == 77);
	munmap(w, PG);
	munmap(x, PG);
	munmap(p, PG);
	close(fd);
}

// clang-format off
static const struct { const char *name; void (*run)(void); } sections[] = {
	{"brk", test_brk}, {"mmap", test_mmap_placement}, {"unmap", test_unmap_protect},
	{"mremap", test_mremap}, {"files", test_files}, {"faults", test_faults}, {"code", test_code},
};
// clang-format on

/* memory [SECTION...]: the named sections, or all of them. */
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
		int want = argc == 1;
		for (int j = 1; j < argc; j++)
			want |= !strcmp(argv[j], sections[i].name);
		if (want)
			sections[i].run();
	}
	return 0;
}
