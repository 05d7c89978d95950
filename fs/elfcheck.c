/* SPDX-License-Identifier: MIT */
/*
 * ELF checks on untrusted bytes: modules guests upload and what compilers
 * write. Every offset and count is checked against the buffer before use.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

#include "fs/internal.h"

// clang-format off
static const struct {
	const char *arch;
	int machine;
} arch_machines[] = {
	{XLATEFS_ARCH_AARCH64,	EM_AARCH64},
	{XLATEFS_ARCH_X86_64,	EM_X86_64},
};
// clang-format on

int xfs_target_machine(const char *target)
{
	for (size_t i = 0; i < sizeof(arch_machines) / sizeof(arch_machines[0]); i++) {
		size_t al = strlen(arch_machines[i].arch);
		const char *v = target + al;

		if (strncmp(target, arch_machines[i].arch, al) != 0 || strncmp(v, "-v", 2) != 0)
			continue;
		v += 2;
		if (*v < '1' || *v > '9')
			return -EINVAL;
		while (*v >= '0' && *v <= '9')
			v++;
		return *v ? -EINVAL : arch_machines[i].machine;
	}
	return -EINVAL;
}

/* [off, off + count * size) inside len, without overflow. */
static int table_in(uint64_t off, uint64_t count, uint64_t size, size_t len)
{
	if (count && size > (UINT64_MAX - off) / count)
		return 0;
	return off + count * size <= len;
}

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return -ENOEXEC;
}

/* The checks both kinds share: identification and header size. */
static int check_ident(const Elf64_Ehdr *eh, size_t len, const char **why)
{
	if (len < sizeof(Elf64_Ehdr))
		return fail(why, "shorter than an ELF header");
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return fail(why, "no ELF magic");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return fail(why, "not ELFCLASS64");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(why, "not little-endian");
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return fail(why, "bad ELF version");
	if (eh->e_ehsize != sizeof(Elf64_Ehdr))
		return fail(why, "bad e_ehsize");
	if (eh->e_phnum == PN_XNUM)
		return fail(why, "extended program header count");
	if (eh->e_phnum && (eh->e_phentsize != sizeof(Elf64_Phdr) ||
			    !table_in(eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr), len)))
		return fail(why, "program headers out of bounds");
	if (eh->e_shnum && (eh->e_shentsize != sizeof(Elf64_Shdr) ||
			    !table_in(eh->e_shoff, eh->e_shnum, sizeof(Elf64_Shdr), len)))
		return fail(why, "section headers out of bounds");
	return 0;
}

static int check_segments(const uint8_t *p, const Elf64_Ehdr *eh, size_t len, const char **why)
{
	int loads = 0, code = 0;

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, p + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		loads++;
		code |= (ph.p_flags & PF_X) != 0;
		if (ph.p_filesz && !table_in(ph.p_offset, 1, ph.p_filesz, len))
			return fail(why, "segment out of bounds");
		if (ph.p_filesz > ph.p_memsz || ph.p_vaddr > UINT64_MAX - ph.p_memsz)
			return fail(why, "bad segment size");
		if (ph.p_align > 1 &&
		    ((ph.p_align & (ph.p_align - 1)) || (ph.p_vaddr - ph.p_offset) % ph.p_align))
			return fail(why, "bad segment alignment");
	}
	if (!loads)
		return fail(why, "no loadable segment");
	if (!code)
		return fail(why, "no executable segment");
	return 0;
}

static int check_sections(const uint8_t *p, const Elf64_Ehdr *eh, size_t len, const char **why)
{
	/* With SHN_XINDEX the real index is in section 0's sh_link. */
	uint64_t strndx = eh->e_shstrndx;

	for (unsigned i = 0; i < eh->e_shnum; i++) {
		Elf64_Shdr sh;

		memcpy(&sh, p + eh->e_shoff + (uint64_t)i * sizeof(sh), sizeof(sh));
		if (i == 0 && strndx == SHN_XINDEX)
			strndx = sh.sh_link;
		if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
		    !table_in(sh.sh_offset, 1, sh.sh_size, len))
			return fail(why, "section out of bounds");
	}
	if (eh->e_shnum && strndx != SHN_UNDEF && strndx >= eh->e_shnum)
		return fail(why, "bad section name table index");
	return 0;
}

int xfs_elf_check_module(const void *buf, size_t len, const char **why)
{
	const uint8_t *p = buf;
	Elf64_Ehdr eh;
	int r;

	if (len < sizeof(eh))
		return fail(why, "shorter than an ELF header");
	memcpy(&eh, p, sizeof(eh));
	if ((r = check_ident(&eh, len, why)))
		return r;
	if (eh.e_ident[EI_OSABI] != ELFOSABI_SYSV && eh.e_ident[EI_OSABI] != ELFOSABI_GNU)
		return fail(why, "not a Linux ABI");
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return fail(why, "neither an executable nor a shared object");
	if (eh.e_machine != EM_X86_64)
		return fail(why, "not x86-64");
	if ((r = check_segments(p, &eh, len, why)))
		return r;
	return check_sections(p, &eh, len, why);
}

int xfs_elf_check_image(const void *buf, size_t len, int machine, const char **why)
{
	Elf64_Ehdr eh;
	int r;

	if (len < sizeof(eh))
		return fail(why, "shorter than an ELF header");
	memcpy(&eh, buf, sizeof(eh));
	if ((r = check_ident(&eh, len, why)))
		return r;
	if (eh.e_type != ET_DYN)
		return fail(why, "not a shared object");
	if (eh.e_machine != machine)
		return fail(why, "wrong machine");
	return 0;
}
