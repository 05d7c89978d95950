/* module.c — the x86-64 ELF module xlatec translates: its segments and
 * what its headers, symbols, dynamic section and relocations say about
 * where code starts. Everything read is bounds-checked: the module is
 * untrusted input. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "translator/aot/aot.h"

/* Guest offsets are stored as 32 bits in images and code maps. */
#define OFFSET_LIMIT (1ull << 32)

static const struct segment *seg_of(const struct module *m, uint64_t off)
{
	for (size_t i = 0; i < m->nsegs; i++)
		if (off >= m->segs[i].vaddr && off - m->segs[i].vaddr < m->segs[i].memsz)
			return &m->segs[i];
	return NULL;
}

/* File bytes at vaddr `off`, `len` of them, or NULL. */
static const uint8_t *module_bytes(const struct module *m, uint64_t off, size_t len)
{
	const struct segment *s = seg_of(m, off);
	if (!s || off - s->vaddr > s->filesz || s->filesz - (off - s->vaddr) < len)
		return NULL;
	return m->data + s->offset + (off - s->vaddr);
}

const uint8_t *module_code(const struct module *m, uint64_t off, size_t *avail)
{
	const struct segment *s = seg_of(m, off);
	if (!s || !(s->flags & PF_X) || off - s->vaddr >= s->filesz)
		return NULL;
	*avail = s->filesz - (off - s->vaddr);
	return m->data + s->offset + (off - s->vaddr);
}

bool module_is_code(const struct module *m, uint64_t off)
{
	const struct segment *s = seg_of(m, off);
	return s && (s->flags & PF_X) && off - s->vaddr < s->filesz;
}

void module_add_range(struct module *m, uint64_t start, uint64_t size)
{
	if (!size || !module_is_code(m, start))
		return;
	m->ranges = xrealloc(m->ranges, (m->nranges + 1) * sizeof *m->ranges);
	m->ranges[m->nranges].start = start;
	m->ranges[m->nranges].size = size;
	m->nranges++;
	offs_add(&m->starts, start);
}

static void add_start(struct module *m, uint64_t off)
{
	if (module_is_code(m, off))
		offs_add(&m->starts, off);
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* ---- sections (when the module has them) ---- */

static void scan_symbols(struct module *m, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t n;
	if (!d || !sh->sh_entsize)
		return;
	n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym s;
		if (!gelf_getsym(d, (int)i, &s) || s.st_shndx == SHN_UNDEF)
			continue;
		if (GELF_ST_TYPE(s.st_info) != STT_FUNC && GELF_ST_TYPE(s.st_info) != STT_GNU_IFUNC)
			continue;
		if (s.st_size)
			module_add_range(m, s.st_value, s.st_size);
		else
			add_start(m, s.st_value);
	}
}

static void scan_relocs(struct module *m, Elf_Data *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		GElf_Rela r;
		if (!gelf_getrela(d, (int)i, &r))
			continue;
		/* A relocated pointer into code is a function pointer (vtables,
		 * init arrays, callbacks) or an IFUNC resolver. */
		if (GELF_R_TYPE(r.r_info) == R_X86_64_RELATIVE ||
		    GELF_R_TYPE(r.r_info) == R_X86_64_IRELATIVE)
			add_start(m, (uint64_t)r.r_addend);
	}
}

static void scan_sections(struct module *m, Elf *e)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	static const char *const plt_names[] = {".plt", ".plt.sec", ".plt.got", ".iplt"};

	if (elf_getshdrstrndx(e, &shstrndx))
		return;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name;
		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM)
			scan_symbols(m, scn, &sh);
		else if (sh.sh_type == SHT_RELA && sh.sh_entsize) {
			Elf_Data *d = elf_getdata(scn, NULL);
			if (d)
				scan_relocs(m, d, sh.sh_size / sh.sh_entsize);
		}
		if (!name || sh.sh_type == SHT_NOBITS)
			continue;
		if (!strcmp(name, ".eh_frame") && sh.sh_offset <= m->size &&
		    sh.sh_size <= m->size - sh.sh_offset)
			ehframe_scan(m, m->data + sh.sh_offset, sh.sh_size, sh.sh_addr);
		for (size_t k = 0; k < sizeof plt_names / sizeof *plt_names; k++)
			if (!strcmp(name, plt_names[k]) && m->nplt < 4 && sh.sh_size) {
				m->plt[m->nplt].lo = sh.sh_addr;
				m->plt[m->nplt].hi = sh.sh_addr + sh.sh_size;
				m->nplt++;
			}
	}
}

/* ---- program headers: the dynamic section and PT_GNU_EH_FRAME ---- */

/* Pointer-size entries of an init/fini array at `addr`. */
static void scan_array(struct module *m, uint64_t addr, uint64_t size)
{
	for (uint64_t i = 0; i + 8 <= size && i < (1u << 20); i += 8) {
		const uint8_t *p = module_bytes(m, addr + i, 8);
		if (p)
			add_start(m, rd64(p));
	}
}

static void scan_dynamic(struct module *m, const GElf_Phdr *ph)
{
	uint64_t init_array = 0, init_sz = 0, fini_array = 0, fini_sz = 0, pre = 0, pre_sz = 0;
	const uint8_t *p;
	if (ph->p_offset > m->size || ph->p_filesz > m->size - ph->p_offset)
		return;
	p = m->data + ph->p_offset;
	for (uint64_t i = 0; i + 16 <= ph->p_filesz; i += 16) {
		uint64_t tag = rd64(p + i), val = rd64(p + i + 8);
		switch (tag) {
		case DT_NULL: i = ph->p_filesz; break;
		case DT_INIT:
		case DT_FINI: add_start(m, val); break;
		case DT_INIT_ARRAY: init_array = val; break;
		case DT_INIT_ARRAYSZ: init_sz = val; break;
		case DT_FINI_ARRAY: fini_array = val; break;
		case DT_FINI_ARRAYSZ: fini_sz = val; break;
		case DT_PREINIT_ARRAY: pre = val; break;
		case DT_PREINIT_ARRAYSZ: pre_sz = val; break;
		}
	}
	scan_array(m, init_array, init_sz);
	scan_array(m, fini_array, fini_sz);
	scan_array(m, pre, pre_sz);
}

/* PT_GNU_EH_FRAME is .eh_frame_hdr; its second word locates .eh_frame,
 * whose size it does not give: scan to the end of its segment (the
 * terminator stops the scan earlier). */
static void scan_eh_frame_hdr(struct module *m, const GElf_Phdr *ph, bool have_sections)
{
	const uint8_t *h = module_bytes(m, ph->p_vaddr, 8);
	const struct segment *s;
	uint64_t at;
	if (have_sections || !h || h[0] != 1 || h[1] != 0x1b) /* version 1, pcrel sdata4 */
		return;
	at = ph->p_vaddr + 4 +
	     (uint64_t)(int64_t)(int32_t)(h[4] | h[5] << 8 | h[6] << 16 | (uint32_t)h[7] << 24);
	s = seg_of(m, at);
	if (!s || at - s->vaddr >= s->filesz)
		return;
	ehframe_scan(m, m->data + s->offset + (at - s->vaddr), s->filesz - (at - s->vaddr), at);
}

static int cmp_range(const void *a, const void *b)
{
	const struct symbol_range *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

int module_open(const char *path, struct module *m)
{
	struct stat st;
	Elf *e = NULL;
	GElf_Ehdr eh;
	size_t phnum;
	bool have_sections;
	int err = -EINVAL;

	memset(m, 0, sizeof *m);
	m->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (m->fd < 0) {
		err = -errno;
		aot_err("%s: %s", path, strerror(errno));
		return err;
	}
	if (fstat(m->fd, &st) || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		aot_err("%s: not a regular ELF file", path);
		goto fail;
	}
	m->size = (size_t)st.st_size;
	m->data = mmap(NULL, m->size, PROT_READ, MAP_PRIVATE, m->fd, 0);
	if (m->data == MAP_FAILED) {
		err = -errno;
		m->data = NULL;
		aot_err("%s: mmap: %s", path, strerror(errno));
		goto fail;
	}
	elf_version(EV_CURRENT);
	e = elf_memory((char *)m->data, m->size);
	if (!e || elf_kind(e) != ELF_K_ELF || gelf_getclass(e) != ELFCLASS64 ||
	    !gelf_getehdr(e, &eh) || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_X86_64 || (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) ||
	    elf_getphdrnum(e, &phnum)) {
		aot_err("%s: not an x86-64 ELF executable or shared object", path);
		goto fail;
	}
	m->pie = eh.e_type == ET_DYN;
	m->entry = eh.e_entry;
	m->lo = UINT64_MAX;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (ph.p_offset > m->size || ph.p_filesz > m->size - ph.p_offset ||
		    ph.p_filesz > ph.p_memsz || ph.p_vaddr >= OFFSET_LIMIT ||
		    ph.p_memsz > OFFSET_LIMIT - ph.p_vaddr) {
			aot_err("%s: bad PT_LOAD segment", path);
			goto fail;
		}
		m->segs = xrealloc(m->segs, (m->nsegs + 1) * sizeof *m->segs);
		m->segs[m->nsegs++] = (struct segment){ph.p_vaddr, ph.p_memsz, ph.p_offset,
						       ph.p_filesz, ph.p_flags};
		if (ph.p_vaddr < m->lo)
			m->lo = ph.p_vaddr;
		if (ph.p_vaddr + ph.p_memsz > m->hi)
			m->hi = ph.p_vaddr + ph.p_memsz;
	}
	if (!m->nsegs) {
		aot_err("%s: no loadable segments", path);
		goto fail;
	}
	have_sections = eh.e_shnum > 0;
	if (have_sections)
		scan_sections(m, e);
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph))
			continue;
		if (ph.p_type == PT_DYNAMIC)
			scan_dynamic(m, &ph);
		else if (ph.p_type == PT_GNU_EH_FRAME)
			scan_eh_frame_hdr(m, &ph, have_sections);
	}
	add_start(m, m->entry);
	offs_sort(&m->starts);
	if (m->nranges)
		qsort(m->ranges, m->nranges, sizeof *m->ranges, cmp_range);
	elf_end(e);
	return 0;
fail:
	if (e)
		elf_end(e);
	module_close(m);
	return err;
}

void module_close(struct module *m)
{
	if (m->data)
		munmap((void *)m->data, m->size);
	if (m->fd >= 0)
		close(m->fd);
	free(m->segs);
	free(m->ranges);
	offs_free(&m->starts);
	memset(m, 0, sizeof *m);
	m->fd = -1;
}
