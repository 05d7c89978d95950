/* xlimage.h — the pretranslated image: what xlatec writes and the runtime
 * (translator/runtime/image*.c) loads. See DESIGN.md, "Keys and images".
 *
 * An image is an ELF64 shared object (ET_DYN) for the host architecture,
 * built by the C compiler from the lifted code of one x86-64 module. The
 * runtime maps it itself (it is static: no dlopen):
 *
 *   - e_entry is the address of the image header (struct xlimage_header),
 *     so nothing depends on section headers.
 *   - PT_LOAD segments only, mapped at one base chosen by the loader.
 *   - PT_DYNAMIC: relocations (DT_RELA/DT_RELASZ, DT_JMPREL/DT_PLTRELSZ) of
 *     three kinds only: RELATIVE; GLOB_DAT/JUMP_SLOT/ABS64 against a symbol
 *     named in the runtime's export table (the out-of-line helpers the
 *     semantics call, and libc's mem* functions); nothing else. xlatec
 *     refuses to write anything else, and the loader refuses to load it.
 *   - Header fields up to `regions` are plain data, readable before
 *     relocation; the pointers after them are relocated.
 *
 * A module's code is cut into regions (a guest function, or a piece of
 * one); each region is one host function with several entry points (guest
 * offsets it may be entered at: its start, the instructions after calls
 * and syscalls, branch targets). Guest offsets are relative to the
 * module's load bias (the xlatefs.h code-map convention), so one image
 * serves the module at any load address: the loader writes the bias into
 * *bias before the first call.
 *
 * Calling convention of a region (both hosts return the two-word struct
 * in registers):
 *
 *     struct xl_exit fn(struct cpu *cpu, uint32_t entry, uint32_t depth);
 *
 * `entry` is xlimage_entry.index of the entry point; `depth` counts nested
 * host calls between regions (a region calls another directly for a guest
 * CALL and continues when it returns to the expected address; past
 * XLIMAGE_MAX_DEPTH it returns to the dispatcher instead). On return the
 * guest state in *cpu is exact at cpu->rip == exit.rip.
 *
 * Faults. Translated code keeps guest state in host registers; *cpu is
 * brought up to date ("synchronised") at every region exit and after
 * guest stores, so that *cpu always holds the exact state at some earlier
 * instruction boundary with no guest store between it and the current
 * instruction. A fault (a host SIGSEGV/SIGBUS in translated code, or one
 * raised by semantics) unwinds to the dispatcher, which replays the
 * instructions from cpu->rip in the interpreter: they re-raise the fault
 * with exact state.
 */
#ifndef XLATE_XLIMAGE_H
#define XLATE_XLIMAGE_H

#include <stdint.h>

struct cpu;

#define XLIMAGE_MAGIC "XLIMAGE\0" /* 8 bytes */
/* Version of this format and of the region calling convention; equal to
 * the "-v<N>" of the target name (XLATEFS_IMAGE_ABI). */
#define XLIMAGE_ABI	       1
#define XLIMAGE_BUILD_ID_BYTES 16
#define XLIMAGE_KEY_BYTES      16
#define XLIMAGE_SHA256_BYTES   32

/* Host calls nest at most this deep between regions. */
#define XLIMAGE_MAX_DEPTH 256

/* Why a region returned. */
enum xl_why {
	XL_NEXT = 0,	  /* continue at rip (dispatch) */
	XL_SYSCALL = 1,	  /* a SYSCALL: rip is after it, do the call then dispatch */
	XL_INTERRUPT = 2, /* cpu->interrupt was seen at a loop back edge */
};

struct xl_exit {
	uint64_t rip;
	uint64_t why; /* enum xl_why */
};

typedef struct xl_exit (*xl_region_fn)(struct cpu *cpu, uint32_t entry, uint32_t depth);

/* What the runtime's xl_lookup(rip) returns to translated code for an
 * indirect call or jump: the region entry at a guest address, or fn NULL. */
struct xl_target {
	xl_region_fn fn;
	uint64_t index;
};

/* Where the image's hash of its entries (xlrt.h, xl_hash) starts looking
 * for guest offset off, in a table of mask + 1 slots: xlatec fills the
 * table with it, lifted code probes with it. */
static inline uint32_t xl_hash_slot(uint32_t off, uint32_t mask)
{
	return (uint32_t)(((uint64_t)off * 0x9e3779b97f4a7c15ull) >> 40) & mask;
}

struct xlimage_region {
	xl_region_fn fn; /* NULL for a region left out (no entry names it) */
};

struct xlimage_entry {
	uint32_t off;	 /* guest offset; the table is sorted by it, no duplicates */
	uint32_t region; /* index into regions[] */
	uint32_t index;	 /* the `entry` argument */
};

struct xlimage_header {
	char magic[8];				  /* XLIMAGE_MAGIC */
	uint32_t abi;				  /* XLIMAGE_ABI */
	uint32_t header_size;			  /* sizeof(struct xlimage_header) */
	uint8_t build_id[XLIMAGE_BUILD_ID_BYTES]; /* the translator build (XL_BUILD_ID) */
	uint8_t key[XLIMAGE_KEY_BYTES];		  /* module key: XXH3-128, canonical form */
	uint8_t sha256[XLIMAGE_SHA256_BYTES];	  /* SHA-256 of the module's bytes */
	uint64_t module_size;			  /* bytes */
	uint32_t machine;			  /* host ELF machine: EM_X86_64, EM_AARCH64 */
	uint32_t nregions;
	uint32_t nentries;
	uint32_t ninsns; /* guest instructions translated (for statistics) */
	/* Relocated (the loader checks they point inside the image). */
	const struct xlimage_region *regions;
	const struct xlimage_entry *entries;
	uint64_t *bias; /* the loader stores the module's load bias here */
	/* Counting for the runtime's summary: each basic block begins with a
	 * count site, a no-op the loader patches into a jump to the block's
	 * counting code when the run counts (so counting costs nothing
	 * otherwise), which adds the block's instructions to counted[0] and 1
	 * to counted[1] (whole blocks: a fault or an early exit inside one
	 * still counts all of it), then goes on with the block. */
	uint64_t *counted; /* [2] */
	const struct xlimage_site *sites, *sites_end;
};

/* A count site: the no-op at `site` becomes a jump to `target`. Both are
 * relative to the field's own address (no relocation needed). The no-op
 * is XLIMAGE_SITE_NOP: 5 bytes on x86-64 (a jmp rel32 replaces it), one
 * instruction on aarch64 (a B). */
struct xlimage_site {
	int32_t site, target;
};
#define XLIMAGE_SITE_NOP_X86_64 0x0f, 0x1f, 0x44, 0x00, 0x00 /* nopl 0(%rax,%rax,1) */
#define XLIMAGE_SITE_NOP_AARCH64 0xd503201fu		      /* nop */

/* ---- reading an image file (xlimage.c: libc and libxlcache's hash, for
 * xlatec and the runtime). Everything is bounds-checked: a bad image is
 * refused with a reason, never trusted. ---- */

/* The file ends with a trailer that seals it: XLIMAGE_TRAILER_MAGIC, the
 * size of what precedes the trailer (little-endian 64-bit), and the
 * XXH3-128 of those bytes (canonical form). A store or share may verify
 * entries itself, but the runtime maps what it checked: any damaged byte,
 * in code too, makes the image a miss. */
#define XLIMAGE_TRAILER_MAGIC "XLIMGEND"
#define XLIMAGE_TRAILER_BYTES 32

/* The trailer for the `size` bytes of an unsealed image. */
void xlimage_seal(const uint8_t *file, uint64_t size, uint8_t out[XLIMAGE_TRAILER_BYTES]);
/* Checks the trailer of a sealed image of `size` bytes: 0 with *payload
 * the size of the image without it, or -1 with *why. */
int xlimage_unseal(const uint8_t *file, uint64_t size, uint64_t *payload, const char **why);

struct xlimage_info {
	unsigned machine; /* e_machine */
	uint64_t span;	  /* address space the PT_LOAD segments need, from 0 */
	uint64_t header;  /* vaddr of the header (e_entry) */
	const void *phdr; /* Elf64_Phdr[phnum] inside the file */
	unsigned phnum;
	uint64_t rela, relasz, jmprel, pltrelsz; /* vaddrs and sizes of relocations */
	uint64_t symtab, strtab, strsz;
};

/* Checks an image file: ELF64 little-endian ET_DYN for `machine`, PT_LOAD
 * segments inside the file, no interpreter, TLS, text relocations or
 * needed libraries, and a header of this format at e_entry. 0, or -1 with
 * *why set. */
int xlimage_parse(const uint8_t *file, uint64_t size, unsigned machine, struct xlimage_info *info,
		  const char **why);

/* The header inside the file (only the fields before `regions` are
 * meaningful before relocation). */
const struct xlimage_header *xlimage_file_header(const uint8_t *file,
						 const struct xlimage_info *info);

/* One relocation: *(uint64_t *)(base + offset) = base + addend (name
 * NULL), or = address of `name` + addend. */
struct xlimage_reloc {
	uint64_t offset;
	int64_t addend;
	const char *name;
};

/* Calls fn for every relocation, after checking it (an allowed type, a
 * target inside a writable segment, a RELATIVE addend inside the image,
 * an undefined symbol with a plain name). Stops at fn's nonzero return and
 * returns it; -1 with *why for a bad relocation. */
int xlimage_relocs(const uint8_t *file, const struct xlimage_info *info,
		   int (*fn)(const struct xlimage_reloc *r, void *arg), void *arg,
		   const char **why);

#endif
