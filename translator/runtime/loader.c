/* loader.c — maps an x86-64 ELF executable or interpreter the way the
 * x86-64 Linux kernel does (binfmt_elf): the whole span is reserved first,
 * so that a fixed-address image never lands on memory that is not the
 * guest's, then each PT_LOAD is mapped over it and the holes between
 * segments are unmapped again. */
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "translator/runtime/image.h"
#include "translator/runtime/runtime.h"

#define MMAP_MIN_ADDR 0x10000ull /* the kernel's default vm.mmap_min_addr */

bool elf_is_x86_64(const void *head, size_t len)
{
	const Elf64_Ehdr *eh = head;
	if (len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return false;
	return eh->e_ident[EI_CLASS] == ELFCLASS64 && eh->e_ident[EI_DATA] == ELFDATA2LSB &&
	       eh->e_machine == EM_X86_64 && (eh->e_type == ET_EXEC || eh->e_type == ET_DYN);
}

static uint32_t seg_prot(uint32_t pf)
{
	return (pf & PF_R ? PROT_READ : 0) | (pf & PF_W ? PROT_WRITE : 0) |
	       (pf & PF_X ? PROT_EXEC : 0);
}

static int unmap_hole(uint64_t start, uint64_t end, void *arg)
{
	munmap((void *)(uintptr_t)start, end - start);
	return 0;
}

/* Maps one PT_LOAD inside the reservation. */
static int map_segment(int fd, const Elf64_Phdr *ph, uint64_t bias, const struct stat *st,
		       const char *name)
{
	uint32_t prot = seg_prot(ph->p_flags);
	uint64_t start = PAGE_DOWN(ph->p_vaddr + bias);
	uint64_t file_end = ph->p_vaddr + bias + ph->p_filesz;
	uint64_t mem_end = ph->p_vaddr + bias + ph->p_memsz;
	bool partial = ph->p_memsz > ph->p_filesz && file_end % GUEST_PAGE;

	if (ph->p_filesz) {
		uint64_t len = PAGE_UP(file_end) - start;
		int hp = host_prot(prot) | (partial ? PROT_READ | PROT_WRITE : 0);
		void *p = mmap((void *)(uintptr_t)start, len, hp, MAP_PRIVATE | MAP_FIXED, fd,
			       PAGE_DOWN(ph->p_offset));
		if (p == MAP_FAILED)
			return -errno;
		if (partial) {
			memset((void *)(uintptr_t)file_end, 0, PAGE_UP(file_end) - file_end);
			mprotect(p, len, host_prot(prot));
		}
		gmap_insert(&(struct gmap){.start = start,
					   .end = PAGE_UP(file_end),
					   .prot = prot,
					   .offset = PAGE_DOWN(ph->p_offset),
					   .dev = st->st_dev,
					   .ino = st->st_ino,
					   .path = name});
		start = PAGE_UP(file_end);
	}
	if (PAGE_UP(mem_end) > start) {
		void *p = mmap((void *)(uintptr_t)start, PAGE_UP(mem_end) - start, host_prot(prot),
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
		gmap_insert(&(struct gmap){.start = start, .end = PAGE_UP(mem_end), .prot = prot});
	}
	return 0;
}

static int load(int fd, const char *path, bool is_interp, struct elf_image *img,
		const Elf64_Ehdr *eh, const Elf64_Phdr *ph, const char **why)
{
	uint64_t lo = UINT64_MAX, hi = 0, align = GUEST_PAGE;
	bool pie = eh->e_type == ET_DYN;

	memset(img, 0, sizeof *img);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_GNU_STACK)
			img->exec_stack = ph[i].p_flags & PF_X;
		if (ph[i].p_type == PT_INTERP && !is_interp) {
			if (ph[i].p_filesz < 2 || ph[i].p_filesz > PATH_MAX)
				return *why = "bad PT_INTERP", -ENOEXEC;
			img->interp = malloc(ph[i].p_filesz);
			if (!img->interp)
				return -ENOMEM;
			if (pread(fd, img->interp, ph[i].p_filesz, ph[i].p_offset) !=
				    (ssize_t)ph[i].p_filesz ||
			    img->interp[ph[i].p_filesz - 1])
				return *why = "bad PT_INTERP", -ENOEXEC;
		}
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz ||
		    (ph[i].p_vaddr - ph[i].p_offset) % GUEST_PAGE ||
		    ph[i].p_vaddr + ph[i].p_memsz < ph[i].p_vaddr)
			return *why = "bad PT_LOAD", -ENOEXEC;
		if (PAGE_DOWN(ph[i].p_vaddr) < lo)
			lo = PAGE_DOWN(ph[i].p_vaddr);
		if (ph[i].p_vaddr + ph[i].p_memsz > hi)
			hi = ph[i].p_vaddr + ph[i].p_memsz;
		if (ph[i].p_align > align && !(ph[i].p_align & (ph[i].p_align - 1)))
			align = ph[i].p_align;
	}
	if (hi <= lo)
		return *why = "no PT_LOAD", -ENOEXEC;
	uint64_t span = PAGE_UP(hi) - lo;
	int rflags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

	/* Reserve the span: at its link address for ET_EXEC; for a PIE with
	 * an interpreter at ELF_ET_DYN_BASE (randomised) when that is free;
	 * else (ld.so, static-pie) where mmap would put it. */
	uint64_t bias = 0;
	if (!pie) {
		if (lo < MMAP_MIN_ADDR || PAGE_UP(hi) > rt_layout.guest_top)
			return *why = "segments outside the user address space", -ENOMEM;
		long r = place_exact(lo, span, PROT_NONE, rflags, -1, 0);
		if (r)
			return *why = "its fixed address range is in use",
			       r == -EEXIST ? -ENOMEM : (int)r;
	} else {
		long r = -EEXIST;
		if (img->interp) {
			/* The runtime's own early heap may sit at ELF_ET_DYN_BASE
			 * (the kernel puts a static-pie's brk there, randomised by
			 * up to 1 GiB): then 1 GiB higher, still in the PIE area. */
			uint64_t hint =
				(X86_ELF_ET_DYN_BASE + layout_random(1ull << 40)) & ~(align - 1);
			for (int i = 0; i < 2 && r == -EEXIST; i++, hint += 1ull << 30)
				if ((r = place_exact(hint, span, PROT_NONE, rflags, -1, 0)) == 0)
					r = (long)hint;
		}
		if (r < 0)
			r = place_anywhere(0, span, MMAP_MIN_ADDR, rt_layout.guest_top, align,
					   PROT_NONE, rflags, -1, 0);
		if (r < 0)
			return *why = "no room in the address space", (int)r;
		bias = r - lo;
	}

	struct stat st;
	if (fstat(fd, &st))
		return -errno;
	const char *name = place_fd_name(fd, path);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		int r = map_segment(fd, &ph[i], bias, &st, name);
		if (r)
			return *why = "cannot map a segment", r;
	}
	gmap_holes(lo + bias, PAGE_UP(hi) + bias, unmap_hole, NULL);
	for (int i = 0; i < eh->e_phnum && image_mapped; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && ph[i].p_filesz)
			image_mapped(fd, PAGE_DOWN(ph[i].p_vaddr + bias),
				     PAGE_UP(ph[i].p_vaddr + bias + ph[i].p_filesz) -
					     PAGE_DOWN(ph[i].p_vaddr + bias),
				     PAGE_DOWN(ph[i].p_offset));

	img->bias = bias;
	img->entry = eh->e_entry + bias;
	img->phnum = eh->e_phnum;
	img->phent = eh->e_phentsize;
	img->end = hi + bias;
	img->pie = pie;
	for (int i = 0; i < eh->e_phnum && !img->phdr; i++)
		if (ph[i].p_type == PT_PHDR)
			img->phdr = ph[i].p_vaddr + bias;
	for (int i = 0; i < eh->e_phnum && !img->phdr; i++)
		if (ph[i].p_type == PT_LOAD && eh->e_phoff >= ph[i].p_offset &&
		    eh->e_phoff - ph[i].p_offset < ph[i].p_filesz)
			img->phdr = ph[i].p_vaddr + (eh->e_phoff - ph[i].p_offset) + bias;
	return 0;
}

int elf_load(int fd, const char *path, bool is_interp, struct elf_image *img, const char **why)
{
	Elf64_Ehdr eh;
	*why = NULL;
	if (pread(fd, &eh, sizeof eh, 0) != sizeof eh || !elf_is_x86_64(&eh, sizeof eh))
		return *why = "not an x86-64 ELF executable", -ENOEXEC;
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || !eh.e_phnum ||
	    eh.e_phnum > 65536 / sizeof(Elf64_Phdr))
		return *why = "bad program headers", -ENOEXEC;
	size_t sz = eh.e_phnum * sizeof(Elf64_Phdr);
	Elf64_Phdr *ph = malloc(sz);
	if (!ph)
		return -ENOMEM;
	int r = -ENOEXEC;
	if (pread(fd, ph, sz, eh.e_phoff) == (ssize_t)sz)
		r = load(fd, path, is_interp, img, &eh, ph, why);
	else
		*why = "short program headers";
	free(ph);
	return r;
}
