/* aot.h — internal interfaces of xlatec, the ahead-of-time compiler.
 *
 * Pipeline: module.c reads the x86-64 ELF module; discover.c finds where
 * code starts (eh_frame FDEs, symbols, entry point, init/fini arrays,
 * relocated code pointers, call targets, the code map); region.c decodes
 * and cuts the code into regions; effects.c says what each instruction
 * reads, writes and may raise; emit.c writes C; build.c compiles and links
 * it with the target's C compiler; check.c verifies the result.
 *
 * Addresses ("offsets") are the module's link-time virtual addresses
 * (p_vaddr space): guest address minus the load bias.
 */
#ifndef XLATE_AOT_H
#define XLATE_AOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "translator/x86/x86.h"

/* ---- util.c: small containers, reporting ---- */

extern const char *aot_prog; /* "xlatec", for messages */
void aot_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable vector of offsets; sorted and deduplicated by offs_sort. */
struct offs {
	uint64_t *v;
	size_t n, cap;
};
void offs_add(struct offs *o, uint64_t x);
void offs_sort(struct offs *o);
bool offs_has(const struct offs *o, uint64_t x); /* sorted only */
void offs_free(struct offs *o);

/* A set of offsets (open addressing). */
struct oset {
	uint64_t *v; /* 0 is free: members are stored + 1 */
	size_t n, cap;
};
/* Adds x; returns false if it was there already. */
bool oset_add(struct oset *s, uint64_t x);
bool oset_has(const struct oset *s, uint64_t x);
void oset_free(struct oset *s);

/* ---- module.c: the x86-64 ELF module ---- */

struct segment {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags; /* PF_X, PF_W, PF_R */
};

struct symbol_range {
	uint64_t start, size;
};

struct module {
	const uint8_t *data; /* the whole file */
	size_t size;
	int fd;
	bool pie; /* ET_DYN */
	uint64_t entry;
	struct segment *segs;
	size_t nsegs;
	uint64_t lo, hi; /* span of the PT_LOAD segments */

	/* What the ELF says about code (filled by module_open). */
	struct offs starts;	     /* function starts: symbols, entry, init/fini, code pointers */
	struct symbol_range *ranges; /* function ranges: FDEs and sized symbols */
	size_t nranges;
	struct {
		uint64_t lo, hi;
	} plt[4]; /* .plt, .plt.sec, .plt.got, .iplt: stubs are functions */
	size_t nplt;
};

/* Reads and checks the module (ELF64, little-endian, EM_X86_64, ET_EXEC or
 * ET_DYN, offsets below 4 GiB). Returns 0 or -errno with a message. */
int module_open(const char *path, struct module *m);
void module_close(struct module *m);
/* Bytes of an executable segment at `off`, and how many follow in the file
 * image of that segment; NULL if `off` is not in executable file bytes. */
const uint8_t *module_code(const struct module *m, uint64_t off, size_t *avail);
/* Whether `off` lies in an executable segment. */
bool module_is_code(const struct module *m, uint64_t off);

/* Records a function range (and its start) if it lies in code. */
void module_add_range(struct module *m, uint64_t start, uint64_t size);

/* ehframe.c: function ranges from .eh_frame (the section, or the one
 * PT_GNU_EH_FRAME points to). Appends to m->ranges. */
void ehframe_scan(struct module *m, const uint8_t *sec, size_t size, uint64_t sec_vaddr);

/* ---- codemap.c: the xlatefs code map (fs/xlatefs.h) ---- */

struct code_range {
	uint32_t off, len;
};
/* Reads a map file: 0 or -errno (a malformed map is -EINVAL). */
int codemap_read(const char *path, struct code_range **out, size_t *n);

/* ---- effects.c: what an instruction does, as the lifter needs it ---- */

/* Arithmetic flags as a mask (DF included: string ops read it). */
enum {
	FL_CF = 1 << 0,
	FL_PF = 1 << 1,
	FL_AF = 1 << 2,
	FL_ZF = 1 << 3,
	FL_SF = 1 << 4,
	FL_OF = 1 << 5,
	FL_DF = 1 << 6,
	FL_ALL = 0x7f,
};

/* State classes a region copies in and synchronises. */
enum {
	CL_GPR = 1 << 0, /* gpr[], rip, arithmetic flags: every region */
	CL_SEG = 1 << 1, /* fs_base, gs_base */
	CL_SSE = 1 << 2, /* xmm[], mxcsr */
	CL_AVX = 1 << 3, /* ymmh[] */
	CL_X87 = 1 << 4, /* fpr[], fcw, fsw, ftw, ftop, fop, fip, fdp */
	CL_SYS = 1 << 5, /* ac, id */
	CL_ALL = 0x3f,
};

/* Guest state a region may have to synchronise, as a mask: one bit per
 * GPR, the classes besides CL_GPR, and the arithmetic flags (FL_*). */
enum {
	ST_GPRS = 0xffff, /* bit r: gpr[r] */
	ST_MISC = 1u << 16,
	ST_SSE = 1u << 17,
	ST_AVX = 1u << 18,
	ST_X87 = 1u << 19,
	ST_STATE = 0xfffff, /* all of the above */
	ST_FLAGS_SHIFT = 24,
};
#define ST_FLAGS(fl) ((uint32_t)(fl) << ST_FLAGS_SHIFT)

enum ctl {
	CTL_NONE,     /* falls through */
	CTL_JMP,      /* direct jump */
	CTL_JCC,      /* conditional direct jump (JCC) */
	CTL_COND,     /* other ops with a direct target or the next insn (LOOP, JRCXZ) */
	CTL_CALL,     /* direct call */
	CTL_CALL_IND, /* indirect call */
	CTL_JMP_IND,  /* indirect jump */
	CTL_RET,
	CTL_SYSCALL,
	CTL_TRAP, /* raises: INT3, INT n, UD2... (may continue after it) */
	CTL_STOP, /* not translated: the interpreter runs it */
};

struct effects {
	enum ctl ctl;
	uint8_t flags_read, flags_kill; /* kill: always overwritten */
	uint8_t classes;		/* CL_* it touches */
	uint16_t xmm;			/* bit i: it may read or write xmm[i] or ymmh[i] */
	bool may_fault;			/* memory access, #DE, #GP, #XM, ... */
	bool stores;			/* may write guest memory */
	bool pure_store;		/* writes memory, reads none */
	bool on_real;			/* run on the real cpu (out-of-line use of cpu) */
	uint32_t writes;		/* ST_* it may write (a superset) */
};

/* Whether there are semantics for the op (else the interpreter runs it). */
bool effects_have_sem(unsigned op);
void effects_of(const struct x86_insn *in, struct effects *e);
/* The branch target of a CTL_JMP/JCC/COND/CALL instruction at `off`. */
uint64_t effects_target(const struct x86_insn *in, uint64_t off);

/* ---- region.c: decoding, regions and their entries ---- */

struct dinsn {
	uint64_t off;
	struct x86_insn in;
	struct effects fx;
	uint32_t unit; /* region.c: the function it is lifted in, + 1; 0: none yet */
	bool walked;   /* region.c: decoded as part of that function */
	bool ran;      /* the code map covers it */
};

struct region {
	uint64_t start;	     /* the first entry */
	struct dinsn **insn; /* by increasing offset */
	uint32_t n;
	uint8_t *leader; /* per instruction: a branch target or entry (a label) */
	uint32_t *entry; /* per instruction: entry index + 1, or 0 */
	uint32_t nentries;
	uint32_t id;
	uint8_t classes;   /* union of the classes of the instructions run in its copy */
	uint16_t xmm;	   /* union of their vector registers (effects.xmm) */
	uint8_t *live_out; /* per instruction: flags that may be observed after it */
	uint32_t *dirty;   /* per instruction: ST_* the local copy may hold unsynchronised
			    * before it */
};

struct program {
	struct module *m;
	struct region **regions;
	size_t nregions;
	uint64_t ninsns;
	/* Entry lookup: offset -> (region, index). */
	struct entry_ref {
		uint64_t off;
		uint32_t region, index;
	} * entries;
	size_t nentries;
	/* The decoded instructions regions point to (region.c owns them). */
	struct dinsn **dcache;
	size_t dcache_cap;
};

struct lift_opts {
	bool whole;		      /* everything discoverable, not just what the map names */
	const struct code_range *map; /* may be NULL */
	size_t nmap;
	/* With a map, not --whole: the blocks that ran and their successors,
	 * not whole functions. */
	bool blocks;
	uint32_t region_max; /* instructions per region before it is split */
};

/* Discovers, decodes and cuts the module into regions. 0 or -errno. */
int program_build(struct module *m, const struct lift_opts *o, struct program *p);
void program_free(struct program *p);
/* The entry at `off`, or NULL. */
const struct entry_ref *program_entry(const struct program *p, uint64_t off);
/* The state (ST_*) the local copy may hold unsynchronised after instruction
 * k of rg, as emit.c synchronises: an on-real instruction leaves the copy
 * and the real cpu equal; a guest store synchronises all but the flags
 * nobody may observe. The one statement of that rule for both files. */
uint32_t region_dirty_after(const struct region *rg, uint32_t k);
/* The index of the instruction at off in insn[0..n) (sorted by offset), or -1. */
int dinsn_index(struct dinsn *const *insn, uint32_t n, uint64_t off);

/* ---- emit.c: C for regions and the image header ---- */

#include <stdio.h>

/* Writes region r as a C function; sets used[i] for each region it
 * calls or jumps to and real_ops[op] for each op it runs out of line:
 * emit_decls declares them before the regions. */
void emit_region(FILE *f, const struct program *p, const struct region *r, uint8_t *used,
		 uint8_t *real_ops);
/* The prelude every generated file starts with. */
void emit_prelude(FILE *f);
void emit_decls(FILE *f, const uint8_t *used, size_t nregions, const uint8_t *real_ops);
/* Writes the image header, region and entry tables (one C file). */
void emit_tables(FILE *f, const struct program *p, const uint8_t build_id[16],
		 const uint8_t key[16], const uint8_t sha[32], uint64_t module_size,
		 unsigned machine, const bool *excluded);

/* ---- build.c: compile and link ---- */

struct target {
	const char *name; /* "x86_64-v1" */
	const char *arch; /* "x86_64" */
	unsigned machine; /* EM_X86_64 */
	const char *cc;	  /* compiler command */
};
/* Finds the target by name; NULL if unknown. */
const struct target *target_find(const char *name);

struct build_opts {
	const struct target *t;
	const char *cc; /* overrides t->cc when set */
	unsigned jobs;
	unsigned time_limit;  /* seconds of CPU per compiler job, 0: none */
	uint64_t mem_limit;   /* bytes of address space per compiler job, 0: none */
	bool progress;	      /* a progress line on stderr */
	bool keep;	      /* keep the work directory */
	const char *workdir;  /* parent of the work directory */
	unsigned chunk_insns; /* guest instructions per C file */
};

/* Generates, compiles and links the image into out_path. 0 or -errno. */
int build_image(const struct program *p, const struct build_opts *o, const uint8_t key[16],
		const uint8_t sha[32], const char *out_path);

/* headers.c (generated): the headers generated C includes. */
struct embedded_file {
	const char *path;
	const unsigned char *data;
	size_t size;
};
extern const struct embedded_file aot_headers[];
extern const size_t aot_nheaders;

#endif
