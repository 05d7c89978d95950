/* test_runtime_mem.c — the runtime's memory side, without the interpreter:
 * the guest mapping table, placement that never touches memory that is not
 * the guest's, the mmap family, brk, the ELF loader, the initial stack and
 * /proc rendering. Everything maps real memory in this process. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/fake_x86.h"
#include "translator/runtime/runtime.h"
#include "translator/runtime/syscalls.h"

#define RW (PROT_READ | PROT_WRITE)

static int setup(void **state)
{
	gmap_reset();
	assert_int_equal(layout_init(), 0);
	rt_proc.randomize = false;
	return 0;
}

static void add(uint64_t s, uint64_t e, uint32_t prot, const char *path, uint64_t off)
{
	gmap_insert(&(struct gmap){.start = s,
				   .end = e,
				   .prot = prot,
				   .path = gmap_intern(path),
				   .offset = off,
				   .ino = path ? 7 : 0});
}

static void test_gmap_merge_split(void **state)
{
	add(0x10000, 0x20000, RW, NULL, 0);
	add(0x20000, 0x30000, RW, NULL, 0);
	assert_int_equal(gmap_count(), 1); /* merged, as the kernel merges VMAs */
	add(0x14000, 0x18000, PROT_READ, "/lib/x.so", 0x3000);
	assert_int_equal(gmap_count(), 3);
	assert_int_equal(gmap_find(0x15000)->offset, 0x3000);
	assert_int_equal(gmap_find(0x13fff)->end, 0x14000);
	/* File pages merge only when their offsets continue. */
	add(0x18000, 0x19000, PROT_READ, "/lib/x.so", 0x7000);
	assert_int_equal(gmap_find(0x18000)->start, 0x14000);
	add(0x19000, 0x1a000, PROT_READ, "/lib/x.so", 0x9000);
	assert_int_equal(gmap_find(0x19000)->start, 0x19000);

	gmap_remove(0x14000, 0x1a000);
	assert_int_equal(gmap_count(), 2);
	assert_null(gmap_find(0x15000));
	assert_false(gmap_covered(0x10000, 0x30000));
	assert_true(gmap_covered(0x1a000, 0x30000));

	assert_int_equal(gmap_protect(0x10000, 0x30000, PROT_READ), -ENOMEM);
	assert_int_equal(gmap_find(0x10000)->prot, RW);
	assert_int_equal(gmap_protect(0x1c000, 0x1d000, PROT_READ), 0);
	assert_int_equal(gmap_count(), 4);
	assert_int_equal(gmap_protect(0x1c000, 0x1d000, RW), 0);
	assert_int_equal(gmap_count(), 2);
}

static int collect(uint64_t s, uint64_t e, void *arg)
{
	uint64_t *v = arg;
	v[v[0] * 2 + 1] = s;
	v[v[0] * 2 + 2] = e;
	v[0]++;
	return 0;
}

static void test_gmap_holes_parts(void **state)
{
	add(0x20000, 0x30000, RW, NULL, 0);
	add(0x40000, 0x50000, PROT_READ, NULL, 0);
	uint64_t v[16] = {0};
	gmap_holes(0x10000, 0x60000, collect, v);
	assert_int_equal(v[0], 3);
	assert_int_equal(v[1], 0x10000);
	assert_int_equal(v[2], 0x20000);
	assert_int_equal(v[3], 0x30000);
	assert_int_equal(v[4], 0x40000);
	assert_int_equal(v[5], 0x50000);
	assert_int_equal(v[6], 0x60000);
	memset(v, 0, sizeof v);
	gmap_parts(0x28000, 0x48000, collect, v);
	assert_int_equal(v[0], 2);
	assert_int_equal(v[1], 0x28000);
	assert_int_equal(v[2], 0x30000);
	assert_int_equal(v[3], 0x40000);
	assert_int_equal(v[4], 0x48000);
}

static void test_find_free(void **state)
{
	add(0x7000000, 0x8000000, RW, NULL, 0);
	gmap_add_foreign(0x6ff0000, 0x7000000);
	/* Highest fit below hi, skipping guest and foreign ranges. */
	assert_int_equal(gmap_find_free(0x10000, 0x1000000, 0x8000000, 4096), 0x6fe0000);
	assert_int_equal(gmap_find_free(0x10000, 0x1000000, 0x9000000, 4096), 0x8ff0000);
	assert_int_equal(gmap_find_free(0x100000, 0x1000000, 0x7100000, 0x100000), 0x6e00000);
	assert_int_equal(gmap_find_free(0x2000000, 0x6000000, 0x7100000, 4096), 0);
}

static void test_place_exact_never_replaces(void **state)
{
	void *mine = mmap(NULL, 3 * 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_ptr_not_equal(mine, MAP_FAILED);
	memset(mine, 0x5a, 3 * 4096);
	uint64_t a = (uintptr_t)mine;
	assert_int_equal(place_exact(a + 4096, 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
			 -EEXIST);
	assert_int_equal(((unsigned char *)mine)[4096], 0x5a);
	munmap((void *)(a + 4096), 4096);
	assert_int_equal(place_exact(a + 4096, 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), 0);
	assert_int_equal(((unsigned char *)mine)[4096], 0);
	munmap(mine, 3 * 4096);
}

static long call(sys_fn fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		 uint64_t a5)
{
	const uint64_t a[6] = {a0, a1, a2, a3, a4, a5};
	return fn(NULL, a);
}

static void test_mmap_fixed_spares_runtime(void **state)
{
	/* Memory of "the runtime": mapped, but not the guest's. */
	unsigned char *rt = mmap(NULL, 8 * 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_ptr_not_equal(rt, MAP_FAILED);
	memset(rt, 0x77, 8 * 4096);
	uint64_t a = (uintptr_t)rt;
	int anon = MAP_PRIVATE | MAP_ANONYMOUS;

	/* The guest owns the middle two pages (unmapped from the runtime). */
	munmap(rt + 3 * 4096, 2 * 4096);
	long g = call(sys_mmap, a + 3 * 4096, 2 * 4096, RW, anon | MAP_FIXED, -1, 0);
	assert_int_equal(g, (long)(a + 3 * 4096));
	assert_non_null(gmap_find(a + 3 * 4096));

	/* MAP_FIXED over runtime memory fails and leaves it alone. */
	assert_int_equal(call(sys_mmap, a + 2 * 4096, 2 * 4096, RW, anon | MAP_FIXED, -1, 0),
			 -ENOMEM);
	assert_int_equal(rt[2 * 4096], 0x77);
	/* MAP_FIXED over the guest's own pages replaces them, and the code
	 * decoded from them. */
	rt[3 * 4096] = 1;
	codepage_hook(a + 3 * 4096);
	int before = fake_x86.invalidations;
	assert_int_equal(call(sys_mmap, a + 3 * 4096, 4096, PROT_READ, anon | MAP_FIXED, -1, 0),
			 (long)(a + 3 * 4096));
	assert_int_equal(rt[3 * 4096], 0);
	assert_int_equal(gmap_find(a + 3 * 4096)->prot, PROT_READ);
	assert_int_equal(fake_x86.invalidations, before + 1);
	assert_int_equal(fake_x86.last_addr, a + 3 * 4096);
	/* NOREPLACE fails on guest and runtime memory alike. */
	assert_int_equal(call(sys_mmap, a + 4 * 4096, 4096, RW, anon | MAP_FIXED_NOREPLACE, -1, 0),
			 -EEXIST);
	assert_int_equal(call(sys_mmap, a + 6 * 4096, 4096, RW, anon | MAP_FIXED_NOREPLACE, -1, 0),
			 -EEXIST);

	/* munmap and mprotect reach guest memory only. */
	assert_int_equal(call(sys_mprotect, a, 8 * 4096, PROT_READ, 0, 0, 0), -ENOMEM);
	assert_int_equal(call(sys_munmap, a, 8 * 4096, 0, 0, 0, 0), 0);
	assert_null(gmap_find(a + 3 * 4096));
	assert_int_equal(rt[0], 0x77);
	assert_int_equal(rt[7 * 4096], 0x77);
	munmap(rt, 8 * 4096);
}

static void test_mmap_anywhere_and_32bit(void **state)
{
	long p = call(sys_mmap, 0, 5000, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p > 0);
	assert_true((uint64_t)p + 8192 <= rt_layout.guest_top);
	const struct gmap *m = gmap_find((uint64_t)p);
	assert_non_null(m);
	assert_int_equal(m->end - m->start, 8192);
	long q = call(sys_mmap, 0, 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS | 0x40, -1, 0);
	assert_true(q >= 0x40000000 && q < 0x80000000);
	assert_int_equal(call(sys_munmap, (uint64_t)p, 8192, 0, 0, 0, 0), 0);
	assert_int_equal(call(sys_munmap, (uint64_t)q, 4096, 0, 0, 0, 0), 0);
	assert_int_equal(call(sys_mmap, 0, 0, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EINVAL);
	assert_int_equal(call(sys_munmap, 4097, 4096, 0, 0, 0, 0), -EINVAL);
}

static void test_mremap_moves_within_guest(void **state)
{
	/* A guest page followed by memory that is not the guest's, so that
	 * growth in place fails. */
	unsigned char *two = mmap(NULL, 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_ptr_not_equal(two, MAP_FAILED);
	munmap(two, 4096);
	long p = call(sys_mmap, (uintptr_t)two, 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		      -1, 0);
	assert_int_equal(p, (long)(uintptr_t)two);
	*(int *)p = 42;
	void *blk = two + 4096;
	long q = call(sys_mremap, (uint64_t)p, 4096, 3 * 4096, MREMAP_MAYMOVE, 0, 0);
	assert_true(q > 0 && q != p);
	assert_int_equal(*(int *)q, 42);
	assert_null(gmap_find((uint64_t)p));
	assert_int_equal(gmap_find((uint64_t)q)->end, (uint64_t)q + 3 * 4096);
	assert_int_equal(call(sys_mremap, (uint64_t)p, 4096, 8192, 0, 0, 0), -EFAULT);
	munmap(blk, 4096);
	assert_int_equal(call(sys_munmap, (uint64_t)q, 3 * 4096, 0, 0, 0, 0), 0);
}

static void test_shmat(void **state)
{
	int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
	assert_true(id >= 0);
	long p = call(sys_shmat, (uint64_t)id, 0, 0, 0, 0, 0);
	shmctl(id, IPC_RMID, NULL);
	assert_true(p > 0 && (uint64_t)p + 12288 <= rt_layout.guest_top);
	const struct gmap *m = gmap_find((uint64_t)p);
	assert_non_null(m);
	assert_int_equal(m->end - m->start, 12288);
	assert_true(m->flags & GMAP_SHARED);
	assert_string_equal(m->path, "/SYSV00000000 (deleted)");
	*(int *)p = 5;
	assert_int_equal(call(sys_shmdt, (uint64_t)p, 0, 0, 0, 0, 0), 0);
	assert_null(gmap_find((uint64_t)p));
	assert_int_equal(call(sys_shmat, (uint64_t)id, 0, 0, 0, 0, 0), -EINVAL);
}

static void test_brk(void **state)
{
	long p = call(sys_mmap, 0, 64 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p > 0);
	call(sys_munmap, (uint64_t)p, 64 * 4096, 0, 0, 0, 0);
	rt_layout.brk_start = rt_layout.brk_cur = (uint64_t)p;
	assert_int_equal(call(sys_brk, 0, 0, 0, 0, 0, 0), p);
	assert_int_equal(call(sys_brk, (uint64_t)p + 10000, 0, 0, 0, 0, 0), p + 10000);
	memset((void *)p, 1, 10000);
	assert_int_equal(gmap_find((uint64_t)p)->flags, GMAP_HEAP);
	assert_int_equal(gmap_find((uint64_t)p)->end, (uint64_t)p + 3 * 4096);
	assert_int_equal(call(sys_brk, (uint64_t)p + 100, 0, 0, 0, 0, 0), p + 100);
	assert_null(gmap_find((uint64_t)p + 4096));
	/* Growing into memory that is not the guest's fails: brk stays. */
	void *blk = mmap((void *)(p + 8 * 4096), 4096, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	assert_ptr_equal(blk, (void *)(p + 8 * 4096));
	assert_int_equal(call(sys_brk, (uint64_t)p + 9 * 4096, 0, 0, 0, 0, 0), p + 100);
	assert_int_equal(call(sys_brk, (uint64_t)p - 4096, 0, 0, 0, 0, 0), p + 100);
	munmap(blk, 4096);
	call(sys_brk, (uint64_t)p, 0, 0, 0, 0, 0);
}

/* A two-segment ET_EXEC: text at 0x7f000000 and data whose last file page
 * is partly .bss, then more .bss pages. */
static int tiny_elf(void)
{
	unsigned char img[0x2100];
	memset(img, 0xcc, sizeof img);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	memset(eh, 0, sizeof *eh);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0x7f000078;
	eh->e_phoff = sizeof *eh;
	eh->e_ehsize = sizeof *eh;
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 3;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof *eh);
	ph[0] = (Elf64_Phdr){PT_LOAD, PF_R | PF_X, 0, 0x7f000000, 0x7f000000, 0x1000, 0x1000, 4096};
	ph[1] = (Elf64_Phdr){PT_LOAD,	 PF_R | PF_W, 0x2000, 0x7f003000,
			     0x7f003000, 0x100,	      0x3000, 4096};
	ph[2] = (Elf64_Phdr){PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16};
	int fd = memfd_create("tiny", 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, img, sizeof img), sizeof img);
	return fd;
}

static void test_loader_exec(void **state)
{
	struct elf_image img;
	const char *why;
	int fd = tiny_elf();
	if (place_exact(0x7f000000, 0x6000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
		skip(); /* this process happens to use that range */
	munmap((void *)0x7f000000, 0x6000);
	assert_int_equal(elf_load(fd, "tiny", false, &img, &why), 0);
	assert_int_equal(img.entry, 0x7f000078);
	assert_int_equal(img.phdr, 0x7f000040);
	assert_int_equal(img.phnum, 3);
	assert_int_equal(img.end, 0x7f006000);
	assert_false(img.pie);
	assert_false(img.exec_stack);
	assert_null(img.interp);
	const unsigned char *d = (const unsigned char *)0x7f003000;
	assert_int_equal(d[0xff], 0xcc); /* file bytes */
	assert_int_equal(d[0x100], 0);	 /* .bss in the file's last page is zeroed */
	assert_int_equal(d[0x2fff], 0);	 /* .bss pages */
	/* The hole between the segments is unmapped again, like the kernel. */
	assert_int_equal(
		place_exact(0x7f001000, 0x2000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), 0);
	munmap((void *)0x7f001000, 0x2000);
	const struct gmap *m = gmap_find(0x7f000000);
	assert_int_equal(m->prot, PROT_READ | PROT_EXEC);
	assert_non_null(strstr(m->path, "tiny"));
	assert_int_equal(gmap_find(0x7f003000)->offset, 0x2000);
	assert_null(gmap_find(0x7f004000)->path); /* .bss pages are anonymous */
	/* A second load at the same fixed address must refuse, not replace. */
	struct elf_image again;
	assert_int_equal(elf_load(fd, "tiny", false, &again, &why), -ENOMEM);
	assert_int_equal(d[0xff], 0xcc);
	munmap((void *)0x7f000000, 0x6000);
	close(fd);
}

static void test_loader_rejects(void **state)
{
	struct elf_image img;
	const char *why;
	int fd = memfd_create("junk", 0);
	assert_int_equal(write(fd, "#!/bin/sh\n", 10), 10);
	assert_int_equal(elf_load(fd, "junk", false, &img, &why), -ENOEXEC);
	assert_non_null(why);
	close(fd);
}

static uint64_t auxv_get(const uint64_t *aux, uint64_t type)
{
	for (; aux[0]; aux += 2)
		if (aux[0] == type)
			return aux[1];
	return ~0ull;
}

static void test_stack_layout(void **state)
{
	size_t size = 1 << 20;
	unsigned char *mem = mmap(NULL, size, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t top = (uintptr_t)mem + size;
	char *argv[] = {"prog", "-x", "arg two", NULL};
	char *envp[] = {"A=1", "HOME=/root", NULL};
	uint8_t rnd[16];
	for (int i = 0; i < 16; i++)
		rnd[i] = (uint8_t)(i * 7);
	struct elf_image exe = {.entry = 0x401000, .phdr = 0x400040, .phnum = 9, .phent = 56};
	struct elf_image interp = {.bias = 0x7fff0000000};
	struct stack_params p = {.argc = 3,
				 .argv = argv,
				 .envp = envp,
				 .execfn = "/bin/prog",
				 .exe = &exe,
				 .interp = &interp,
				 .hwcap = 0x178bfbff,
				 .hwcap2 = 2,
				 .minsigstksz = 1776,
				 .uid = 1,
				 .euid = 2,
				 .gid = 3,
				 .egid = 4,
				 .clktck = 100,
				 .random16 = rnd,
				 .align_pad = 48};
	const uint64_t *saved;
	size_t saved_bytes;
	uint64_t sp = stack_build(top, size, &p, &saved, &saved_bytes);
	assert_true(sp && sp % 16 == 0);
	uint64_t *s = (uint64_t *)(uintptr_t)sp;
	assert_int_equal(s[0], 3);
	assert_string_equal((char *)s[1], "prog");
	assert_string_equal((char *)s[3], "arg two");
	assert_int_equal(s[4], 0);
	assert_string_equal((char *)s[5], "A=1");
	assert_string_equal((char *)s[6], "HOME=/root");
	assert_int_equal(s[7], 0);
	const uint64_t *aux = &s[8];
	/* The kernel's order (auxv values are checked by the guest suite). */
	static const uint64_t order[] = {51,	    AT_HWCAP,  AT_PAGESZ, AT_CLKTCK,   AT_PHDR,
					 AT_PHENT,  AT_PHNUM,  AT_BASE,	  AT_FLAGS,    AT_ENTRY,
					 AT_UID,    AT_EUID,   AT_GID,	  AT_EGID,     AT_SECURE,
					 AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_PLATFORM, AT_NULL};
	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		assert_int_equal(aux[2 * i], order[i]);
	assert_int_equal(auxv_get(aux, AT_PAGESZ), 4096);
	assert_int_equal(auxv_get(aux, AT_BASE), 0x7fff0000000);
	assert_int_equal(auxv_get(aux, AT_ENTRY), 0x401000);
	assert_int_equal(auxv_get(aux, AT_EUID), 2);
	assert_memory_equal((void *)auxv_get(aux, AT_RANDOM), rnd, 16);
	assert_string_equal((char *)auxv_get(aux, AT_PLATFORM), "x86_64");
	/* Strings sit at the top: argv, envp, execfn, then 8 zero bytes. */
	uint64_t execfn = auxv_get(aux, AT_EXECFN);
	assert_string_equal((char *)execfn, "/bin/prog");
	assert_int_equal(execfn + strlen("/bin/prog") + 1 + 8, top);
	assert_int_equal(s[6] + strlen("HOME=/root") + 1, execfn);
	assert_int_equal(s[3] + strlen("arg two") + 1, s[5]);
	assert_int_equal(saved_bytes, sizeof order / sizeof *order * 16);
	assert_memory_equal(saved, aux, saved_bytes);
	free((void *)saved);
	munmap(mem, size);
}

static void test_proc_paths(void **state)
{
	char own[64];
	snprintf(own, sizeof own, "/proc/%d/maps", (int)getpid());
	assert_int_equal(proc_classify("/proc/self/exe"), PROC_EXE);
	assert_int_equal(proc_classify("/proc/thread-self/auxv"), PROC_AUXV);
	assert_int_equal(proc_classify(own), PROC_MAPS);
	assert_int_equal(proc_classify("/proc/self/cmdline"), PROC_CMDLINE);
	assert_int_equal(proc_classify("/proc/cpuinfo"), PROC_CPUINFO);
	assert_int_equal(proc_classify("/proc/1/maps"), getpid() == 1 ? PROC_MAPS : PROC_NONE);
	assert_int_equal(proc_classify("/proc/self/status"), PROC_NONE);
	assert_int_equal(proc_classify("proc/self/maps"), PROC_NONE);
	assert_int_equal(proc_classify("/proc/self/maps/x"), PROC_NONE);
}

static void test_proc_maps_format(void **state)
{
	gmap_insert(&(struct gmap){.start = 0x555555554000,
				   .end = 0x555555556000,
				   .prot = PROT_READ,
				   .offset = 0,
				   .dev = makedev(254, 0),
				   .ino = 247134,
				   .path = gmap_intern("/usr/bin/cat")});
	gmap_insert(&(struct gmap){.start = 0x7f4d3a05a000, .end = 0x7f4d3a07c000, .prot = RW});
	gmap_insert(&(struct gmap){
		.start = 0x7ffc00000000, .end = 0x7ffc00021000, .prot = RW, .flags = GMAP_STACK});
	char *buf;
	size_t len;
	assert_int_equal(proc_render(PROC_MAPS, &buf, &len), 0);
	/* Byte for byte what an x86-64 kernel prints. */
	const char *want =
		"555555554000-555555556000 r--p 00000000 fe:00 247134                     "
		"/usr/bin/cat\n"
		"7f4d3a05a000-7f4d3a07c000 rw-p 00000000 00:00 0 \n"
		"7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  "
		"[vsyscall]\n";
	assert_int_equal(len, strlen(want));
	assert_memory_equal(buf, want, len);
	free(buf);
}

static void test_proc_cpuinfo(void **state)
{
	char *buf;
	size_t len;
	assert_int_equal(proc_render(PROC_CPUINFO, &buf, &len), 0);
	buf = realloc(buf, len + 1);
	buf[len] = 0;
	assert_non_null(strstr(buf, "processor\t: 0\nvendor_id\t: FakeTestCPU!\n"));
	assert_non_null(strstr(buf, "cpu family\t: 6\nmodel\t\t: 58\n"));
	assert_non_null(strstr(buf, "model name\t: Fake Test CPU\nstepping\t: 9\n"));
	assert_non_null(strstr(buf, "flags\t\t: fpu sse sse2 pni xsave\n"));
	assert_non_null(strstr(buf, "clflush size\t: 64\n"));
	assert_non_null(strstr(buf, "address sizes\t: 40 bits physical, 48 bits virtual\n"));
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int count = 0;
	for (char *p = buf; (p = strstr(p, "processor\t:")); p++)
		count++;
	assert_int_equal(count, n);
	free(buf);
	assert_int_equal(identity_hwcap(), 0x0789fbff);
	assert_int_equal(identity_hwcap2(), 2);
	/* 736 + 15 + (832 + 4 + 112) + 63 = 1762, rounded up to 16 */
	assert_int_equal(identity_minsigstksz(), 1776);
}

static sigjmp_buf segv_jb;
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	if (codepage_write_fault((uintptr_t)si->si_addr))
		return;
	guest_copy_fault();
	siglongjmp(segv_jb, 1);
}

static void test_codepage_and_guest_copy(void **state)
{
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER}, old;
	sigaction(SIGSEGV, &sa, &old);
	long p = call(sys_mmap, 0, 2 * 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p > 0);
	codepage_hook((uint64_t)p);
	assert_true(codepage_any());
	int before = fake_x86.invalidations;
	volatile unsigned char *c = (unsigned char *)p;
	if (sigsetjmp(segv_jb, 1))
		fail_msg("a write to a protected code page was not turned into an invalidation");
	c[10] = 1; /* faults once, is let through */
	assert_int_equal(c[10], 1);
	assert_int_equal(fake_x86.invalidations, before + 1);
	assert_int_equal(fake_x86.last_addr, (uint64_t)p);
	assert_false(codepage_any());
	/* Read-only guest pages are never protected (nothing can write them). */
	assert_int_equal(call(sys_mprotect, (uint64_t)p + 4096, 4096, PROT_READ, 0, 0, 0), 0);
	codepage_hook((uint64_t)p + 4096);
	assert_false(codepage_any());

	/* Bad guest pointers give EFAULT, not a crash. */
	char buf[16];
	assert_int_equal(guest_read(buf, 8, 4), -EFAULT);
	assert_int_equal(guest_write((uint64_t)p + 4096, "x", 1), -EFAULT);
	assert_int_equal(guest_strncpy(buf, (uint64_t) "hello", sizeof buf), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(guest_strncpy(buf, (uint64_t) "0123456789abcdefXYZ", sizeof buf),
			 -ENAMETOOLONG);
	assert_int_equal(guest_strncpy(buf, 16, sizeof buf), -EFAULT);
	call(sys_munmap, (uint64_t)p, 2 * 4096, 0, 0, 0, 0);
	sigaction(SIGSEGV, &old, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_gmap_merge_split, setup),
		cmocka_unit_test_setup(test_gmap_holes_parts, setup),
		cmocka_unit_test_setup(test_find_free, setup),
		cmocka_unit_test_setup(test_place_exact_never_replaces, setup),
		cmocka_unit_test_setup(test_mmap_fixed_spares_runtime, setup),
		cmocka_unit_test_setup(test_mmap_anywhere_and_32bit, setup),
		cmocka_unit_test_setup(test_mremap_moves_within_guest, setup),
		cmocka_unit_test_setup(test_shmat, setup),
		cmocka_unit_test_setup(test_brk, setup),
		cmocka_unit_test_setup(test_loader_exec, setup),
		cmocka_unit_test_setup(test_loader_rejects, setup),
		cmocka_unit_test_setup(test_stack_layout, setup),
		cmocka_unit_test_setup(test_proc_paths, setup),
		cmocka_unit_test_setup(test_proc_maps_format, setup),
		cmocka_unit_test_setup(test_proc_cpuinfo, setup),
		cmocka_unit_test_setup(test_codepage_and_guest_copy, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
