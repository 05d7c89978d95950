/* xlimage.c — reads and checks an image file (the format of xlimage.h).
 * libc, <elf.h> and libxlcache's hash only: xlatec checks and seals what
 * it wrote with it, and the static runtime checks what it is about to
 * map. */
#include <elf.h>
#include <string.h>

#include "cache/xlcache.h"
#include "translator/aot/xlimage.h"

#define FAIL(msg)                                                                                  \
	do {                                                                                       \
		*why = (msg);                                                                      \
		return -1;                                                                         \
	} while (0)

/* File bytes of [vaddr, vaddr + len) when they lie in one segment's file
 * part; NULL otherwise. `wr` asks for a writable segment. */
static const uint8_t *at(const uint8_t *file, const struct xlimage_info *info, uint64_t vaddr,
			 uint64_t len, int need_write)
{
	const Elf64_Phdr *ph = info->phdr;
	for (unsigned i = 0; i < info->phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (vaddr < ph[i].p_vaddr || vaddr - ph[i].p_vaddr > ph[i].p_filesz ||
		    ph[i].p_filesz - (vaddr - ph[i].p_vaddr) < len)
			continue;
		if (need_write && !(ph[i].p_flags & PF_W))
			return NULL;
		return file + ph[i].p_offset + (vaddr - ph[i].p_vaddr);
	}
	return NULL;
}

/* Whether [vaddr, vaddr + len) lies in a writable segment (file part or
 * not: .bss takes relocations too). */
static int writable(const struct xlimage_info *info, uint64_t vaddr, uint64_t len)
{
	const Elf64_Phdr *ph = info->phdr;
	for (unsigned i = 0; i < info->phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_W) && vaddr >= ph[i].p_vaddr &&
		    vaddr - ph[i].p_vaddr <= ph[i].p_memsz &&
		    ph[i].p_memsz - (vaddr - ph[i].p_vaddr) >= len)
			return 1;
	return 0;
}

int xlimage_parse(const uint8_t *file, uint64_t size, unsigned machine, struct xlimage_info *info,
		  const char **why)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
	const Elf64_Phdr *ph;
	const struct xlimage_header *h;
	uint64_t dyn_off = 0, dyn_size = 0;

	memset(info, 0, sizeof *info);
	if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		FAIL("not an ELF64 little-endian file");
	if (eh->e_type != ET_DYN || eh->e_machine != machine)
		FAIL("not a shared object for this host");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
	    (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum || eh->e_phoff % 8)
		FAIL("bad program headers");
	ph = (const Elf64_Phdr *)(file + eh->e_phoff);
	info->machine = machine;
	info->phdr = ph;
	info->phnum = eh->e_phnum;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		switch (ph[i].p_type) {
		case PT_LOAD:
			if (ph[i].p_offset > size || ph[i].p_filesz > size - ph[i].p_offset ||
			    ph[i].p_filesz > ph[i].p_memsz || ph[i].p_vaddr > (1ull << 40) ||
			    ph[i].p_memsz > (1ull << 40) || (ph[i].p_vaddr - ph[i].p_offset) % 4096)
				FAIL("bad PT_LOAD segment");
			if (ph[i].p_vaddr + ph[i].p_memsz > info->span)
				info->span = ph[i].p_vaddr + ph[i].p_memsz;
			break;
		case PT_DYNAMIC:
			dyn_off = ph[i].p_offset;
			dyn_size = ph[i].p_filesz;
			if (dyn_off > size || dyn_size > size - dyn_off || dyn_off % 8)
				FAIL("bad PT_DYNAMIC");
			break;
		case PT_INTERP: FAIL("image has an interpreter");
		case PT_TLS: FAIL("image has thread-local storage");
		default: break; /* notes, stack, relro, eh_frame_hdr */
		}
	}
	for (uint64_t i = 0; i + sizeof(Elf64_Dyn) <= dyn_size; i += sizeof(Elf64_Dyn)) {
		const Elf64_Dyn *d = (const Elf64_Dyn *)(file + dyn_off + i);
		uint64_t v = d->d_un.d_val;
		if (d->d_tag == DT_NULL)
			break;
		switch (d->d_tag) {
		case DT_NEEDED: FAIL("image needs a library");
		case DT_TEXTREL: FAIL("image has text relocations");
		case DT_REL:
		case DT_RELR: FAIL("image has REL or RELR relocations");
		case DT_FLAGS:
			if (v & DF_TEXTREL)
				FAIL("image has text relocations");
			break;
		case DT_PLTREL:
			if (v != DT_RELA)
				FAIL("image has REL PLT relocations");
			break;
		case DT_RELA: info->rela = v; break;
		case DT_RELASZ: info->relasz = v; break;
		case DT_JMPREL: info->jmprel = v; break;
		case DT_PLTRELSZ: info->pltrelsz = v; break;
		case DT_SYMTAB: info->symtab = v; break;
		case DT_STRTAB: info->strtab = v; break;
		case DT_STRSZ: info->strsz = v; break;
		case DT_INIT:
		case DT_FINI:
		case DT_INIT_ARRAY:
		case DT_FINI_ARRAY:
		case DT_PREINIT_ARRAY: FAIL("image has initialisers");
		default: break;
		}
	}
	if ((info->relasz && !at(file, info, info->rela, info->relasz, 0)) ||
	    (info->pltrelsz && !at(file, info, info->jmprel, info->pltrelsz, 0)) ||
	    (info->strsz && !at(file, info, info->strtab, info->strsz, 0)))
		FAIL("relocation tables outside the file");
	info->header = eh->e_entry;
	h = xlimage_file_header(file, info);
	if (!h)
		FAIL("no image header at the entry point");
	if (memcmp(h->magic, XLIMAGE_MAGIC, sizeof h->magic))
		FAIL("bad image magic");
	if (h->abi != XLIMAGE_ABI || h->header_size != sizeof *h)
		FAIL("image of another format version");
	if (h->machine != machine)
		FAIL("image header names another machine");
	return 0;
}

const struct xlimage_header *xlimage_file_header(const uint8_t *file,
						 const struct xlimage_info *info)
{
	if (info->header % 8)
		return NULL;
	return (const struct xlimage_header *)at(file, info, info->header,
						 sizeof(struct xlimage_header), 0);
}

static int name_ok(const char *s, uint64_t max)
{
	uint64_t n = 0;
	for (; n < max && s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return 0;
	return n > 0 && n < max;
}

static int one_table(const uint8_t *file, const struct xlimage_info *info, uint64_t vaddr,
		     uint64_t size, int (*fn)(const struct xlimage_reloc *, void *), void *arg,
		     const char **why)
{
	const Elf64_Rela *r = (const Elf64_Rela *)at(file, info, vaddr, size, 0);
	unsigned rel_relative =
		info->machine == EM_AARCH64 ? R_AARCH64_RELATIVE : R_X86_64_RELATIVE;

	if (!size)
		return 0;
	if (!r || vaddr % 8 || size % sizeof *r)
		FAIL("bad relocation table");
	for (uint64_t i = 0; i < size / sizeof *r; i++) {
		uint64_t type = ELF64_R_TYPE(r[i].r_info), sym = ELF64_R_SYM(r[i].r_info);
		struct xlimage_reloc x = {r[i].r_offset, r[i].r_addend, NULL};
		int rc;
		if (!writable(info, r[i].r_offset, 8) || r[i].r_offset % 8)
			FAIL("relocation outside writable data");
		if (type == rel_relative) {
			if (sym || (uint64_t)r[i].r_addend >= info->span)
				FAIL("bad RELATIVE relocation");
		} else if ((info->machine == EM_X86_64 &&
			    (type == R_X86_64_GLOB_DAT || type == R_X86_64_JUMP_SLOT ||
			     type == R_X86_64_64)) ||
			   (info->machine == EM_AARCH64 &&
			    (type == R_AARCH64_GLOB_DAT || type == R_AARCH64_JUMP_SLOT ||
			     type == R_AARCH64_ABS64))) {
			const Elf64_Sym *s;
			const char *strs;
			if (!sym || !info->symtab)
				FAIL("symbol relocation without a symbol");
			s = (const Elf64_Sym *)at(file, info, info->symtab + sym * sizeof *s,
						  sizeof *s, 0);
			strs = (const char *)at(file, info, info->strtab, info->strsz, 0);
			if (!s || !strs || s->st_shndx != SHN_UNDEF || s->st_name >= info->strsz ||
			    !name_ok(strs + s->st_name, info->strsz - s->st_name) ||
			    ELF64_ST_TYPE(s->st_info) == STT_TLS)
				FAIL("relocation against a bad symbol");
			x.name = strs + s->st_name;
			if (type != R_X86_64_64 && type != R_AARCH64_ABS64)
				x.addend = 0; /* GLOB_DAT and JUMP_SLOT: the symbol's address */
		} else {
			FAIL("relocation of a type images may not use");
		}
		rc = fn(&x, arg);
		if (rc)
			return rc;
	}
	return 0;
}

int xlimage_relocs(const uint8_t *file, const struct xlimage_info *info,
		   int (*fn)(const struct xlimage_reloc *r, void *arg), void *arg, const char **why)
{
	int rc = one_table(file, info, info->rela, info->relasz, fn, arg, why);
	if (!rc)
		rc = one_table(file, info, info->jmprel, info->pltrelsz, fn, arg, why);
	return rc;
}

void xlimage_seal(const uint8_t *file, uint64_t size, uint8_t out[XLIMAGE_TRAILER_BYTES])
{
	struct xlc_key k;
	xlc_key_from_bytes(file, (size_t)size, &k);
	memcpy(out, XLIMAGE_TRAILER_MAGIC, 8);
	for (int i = 0; i < 8; i++)
		out[8 + i] = (uint8_t)(size >> (8 * i));
	memcpy(out + 16, k.b, 16);
}

int xlimage_unseal(const uint8_t *file, uint64_t size, uint64_t *payload, const char **why)
{
	uint8_t want[XLIMAGE_TRAILER_BYTES];
	if (size < XLIMAGE_TRAILER_BYTES ||
	    memcmp(file + size - XLIMAGE_TRAILER_BYTES, XLIMAGE_TRAILER_MAGIC, 8))
		FAIL("no image trailer");
	*payload = size - XLIMAGE_TRAILER_BYTES;
	xlimage_seal(file, *payload, want);
	if (memcmp(file + *payload, want, sizeof want))
		FAIL("image checksum mismatch");
	return 0;
}
