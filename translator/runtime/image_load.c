/* image_load.c — maps an image the way a dynamic loader would, for the one
 * kind of object xlatec writes (translator/aot/xlimage.h): reserve its
 * span, map its PT_LOAD segments from the file, zero .bss, apply its
 * relocations (RELATIVE, and symbol relocations against the runtime's
 * export table), check the header and tables, and bind it to the module's
 * load bias. Any inconsistency is a miss, never a crash: the file is
 * checked before anything in it is used.
 *
 * Images are host memory of the runtime (mmap chooses where: the guest
 * can never map over runtime memory) and are never unmapped, so no thread
 * can be left running in a dropped one.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "translator/aot/buildid.h"
#include "translator/runtime/image.h"

#define HOST_PAGE 4096ull
#define PDOWN(x)  ((x) & ~(HOST_PAGE - 1))
#define PUP(x)	  (((x) + HOST_PAGE - 1) & ~(HOST_PAGE - 1))

#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define HOST_MACHINE EM_AARCH64
#endif

static int prot_of(uint32_t pf)
{
	return (pf & PF_R ? PROT_READ : 0) | (pf & PF_W ? PROT_WRITE : 0) |
	       (pf & PF_X ? PROT_EXEC : 0);
}

/* One relocation (checked by xlimage_relocs); 1 for an unknown name. */
static int apply(const struct xlimage_reloc *r, void *arg)
{
	uint8_t *base = arg;
	uint64_t v;
	if (r->name) {
		void *sym = image_export(r->name);
		if (!sym)
			return 1;
		v = (uint64_t)(uintptr_t)sym + (uint64_t)r->addend;
	} else {
		v = (uint64_t)(uintptr_t)base + (uint64_t)r->addend;
	}
	memcpy(base + r->offset, &v, sizeof v);
	return 0;
}

/* Whether [p, p + len) lies inside the mapped image. */
static bool inside(const struct loaded_image *img, const void *p, uint64_t len)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)img->base;
	return a >= b && a - b <= img->span && img->span - (a - b) >= len;
}

/* Whether fn points into an executable segment. */
static bool in_code(const struct loaded_image *img, const struct xlimage_info *info, const void *fn)
{
	const Elf64_Phdr *ph = info->phdr;
	uintptr_t a = (uintptr_t)fn - (uintptr_t)img->base;
	for (unsigned i = 0; i < info->phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && a >= ph[i].p_vaddr &&
		    a - ph[i].p_vaddr < ph[i].p_memsz)
			return true;
	return false;
}

/* The tables of a relocated image, checked. */
static int check_tables(struct loaded_image *img, const struct xlimage_info *info, const char **why)
{
	const struct xlimage_header *h = img->h;
	img->regions = h->regions;
	img->entries = h->entries;
	img->nregions = h->nregions;
	img->nentries = h->nentries;
	if (!inside(img, h->regions, (uint64_t)h->nregions * sizeof *h->regions) ||
	    !inside(img, h->entries, (uint64_t)h->nentries * sizeof *h->entries) ||
	    !inside(img, h->bias, sizeof *h->bias) || (uintptr_t)h->bias % 8 ||
	    !inside(img, h->counted, 2 * sizeof *h->counted) || (uintptr_t)h->counted % 8 ||
	    h->sites_end < h->sites || (uintptr_t)h->sites % 4 ||
	    !inside(img, h->sites, (uint64_t)(h->sites_end - h->sites) * sizeof *h->sites))
		return *why = "image tables outside the image", -1;
	for (uint32_t i = 0; i < h->nregions; i++)
		if (h->regions[i].fn && !in_code(img, info, (const void *)h->regions[i].fn))
			return *why = "image region outside its code", -1;
	for (uint32_t i = 0; i < h->nentries; i++) {
		const struct xlimage_entry *e = &h->entries[i];
		if (e->region >= h->nregions || !h->regions[e->region].fn ||
		    (i && e->off <= h->entries[i - 1].off))
			return *why = "bad image entry table", -1;
	}
	return 0;
}

/* Maps the segments, all writable until relocated. */
static int map_segments(int fd, uint64_t off, const struct xlimage_info *info, uint8_t *base)
{
	const Elf64_Phdr *ph = info->phdr;
	for (unsigned i = 0; i < info->phnum; i++) {
		uint64_t start, fend, mend;
		int prot;
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		prot = prot_of(ph[i].p_flags) | PROT_WRITE;
		start = PDOWN(ph[i].p_vaddr);
		fend = ph[i].p_vaddr + ph[i].p_filesz;
		mend = ph[i].p_vaddr + ph[i].p_memsz;
		if (ph[i].p_filesz &&
		    mmap(base + start, PUP(fend) - start, prot, MAP_PRIVATE | MAP_FIXED, fd,
			 (off_t)(off + PDOWN(ph[i].p_offset))) == MAP_FAILED)
			return -errno;
		if (mend > fend && ph[i].p_filesz) {
			/* .bss begins inside the last file page. */
			memset(base + fend, 0, PUP(fend) - fend);
		}
		if (PUP(mend) > PUP(fend) &&
		    mmap(base + PUP(fend), PUP(mend) - PUP(fend), prot,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			return -errno;
	}
	return 0;
}

static void final_protections(const struct xlimage_info *info, uint8_t *base)
{
	const Elf64_Phdr *ph = info->phdr;
	for (unsigned i = 0; i < info->phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_memsz)
			mprotect(base + PDOWN(ph[i].p_vaddr),
				 PUP(ph[i].p_vaddr + ph[i].p_memsz) - PDOWN(ph[i].p_vaddr),
				 prot_of(ph[i].p_flags));
}

/* Makes each count site a jump to its counting code (xlimage.h), for a
 * run with a summary; refuses an image whose sites are not no-ops in its
 * code. */
static int patch_count_sites(const struct loaded_image *img, const struct xlimage_info *info,
			     const char **why)
{
#if defined(__x86_64__)
	static const uint8_t nop[] = {XLIMAGE_SITE_NOP_X86_64};
#elif defined(__aarch64__)
	const uint32_t nop = XLIMAGE_SITE_NOP_AARCH64;
#endif
	for (const struct xlimage_site *s = img->h->sites; s < img->h->sites_end; s++) {
		uint8_t *site = (uint8_t *)&s->site + s->site;
		const uint8_t *target = (const uint8_t *)&s->target + s->target;
		int64_t rel = target - site;
		if (!in_code(img, info, site) || !in_code(img, info, site + sizeof nop - 1) ||
		    !in_code(img, info, target) || memcmp(site, &nop, sizeof nop))
			return *why = "bad count site", -1;
#if defined(__x86_64__)
		{ /* jmp rel32, from the end of the 5 bytes */
			int32_t rel32 = (int32_t)(rel - 5);
			site[0] = 0xe9;
			memcpy(site + 1, &rel32, 4);
		}
#elif defined(__aarch64__)
		{ /* B imm26, in instructions, within 128 MiB */
			uint32_t b = 0x14000000u | ((uint32_t)(rel >> 2) & 0x03ffffffu);
			if (rel % 4 || rel < -(INT64_C(1) << 27) || rel >= INT64_C(1) << 27)
				return *why = "bad count site", -1;
			memcpy(site, &b, 4);
			__builtin___clear_cache((char *)site, (char *)site + 4);
		}
#endif
	}
	return 0;
}

int image_load(int fd, uint64_t off, uint64_t size, const uint8_t key[XLIMAGE_KEY_BYTES],
	       uint64_t bias, bool counting, struct loaded_image *img, const char **why)
{
	static const uint8_t build_id[XLIMAGE_BUILD_ID_BYTES] = XL_BUILD_ID;
	struct xlimage_info info;
	const struct xlimage_header *fh;
	uint8_t *file, *base = NULL;
	uint64_t payload;
	int err;

	memset(img, 0, sizeof *img);
	if (off % HOST_PAGE || size < 64 || size > (1ull << 32))
		return *why = "bad image size", -1;
	file = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, (off_t)off);
	if (file == MAP_FAILED)
		return *why = "cannot map the image file", -1;
	err = xlimage_unseal(file, size, &payload, why);
	if (!err)
		err = xlimage_parse(file, payload, HOST_MACHINE, &info, why);
	if (err)
		goto out;
	fh = xlimage_file_header(file, &info);
	if (memcmp(fh->build_id, build_id, sizeof build_id)) {
		*why = "image of another translator build";
		err = -1;
		goto out;
	}
	if (memcmp(fh->key, key, XLIMAGE_KEY_BYTES)) {
		*why = "image of another module";
		err = -1;
		goto out;
	}
	img->span = PUP(info.span);
	base = mmap(NULL, img->span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		base = NULL;
		*why = "no address space for the image";
		err = -1;
		goto out;
	}
	img->base = base;
	if (map_segments(fd, off, &info, base)) {
		*why = "cannot map the image's segments";
		err = -1;
		goto out;
	}
	err = xlimage_relocs(file, &info, apply, base, why);
	if (err > 0)
		*why = "image needs a function this runtime does not export";
	if (err)
		goto out;
	img->h = (const struct xlimage_header *)(base + info.header);
	err = check_tables(img, &info, why);
	if (err)
		goto out;
	*img->h->bias = bias;
	if (counting && patch_count_sites(img, &info, why)) {
		err = -1;
		goto out;
	}
	final_protections(&info, base);
out:
	munmap(file, size);
	if (err) {
		if (base)
			munmap(base, img->span);
		memset(img, 0, sizeof *img);
		return -1;
	}
	return 0;
}

const struct xlimage_entry *image_entry(const struct loaded_image *img, uint64_t off)
{
	uint32_t lo = 0, hi = img->nentries;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (img->entries[mid].off < off)
			lo = mid + 1;
		else if (img->entries[mid].off > off)
			hi = mid;
		else
			return &img->entries[mid];
	}
	return NULL;
}
