/* runtime.h — internal interfaces of xlate, the x86-64 Linux runtime.
 *
 * Guest memory is identity-mapped. The guest sees the address space of an
 * x86-64 process, [0, guest_top) with guest_top at most 0x7ffffffff000;
 * the runtime's own image, heap and stacks live wherever the host kernel
 * puts them (the runtime is static-pie; see layout.c for why that is
 * safe on every host) and every guest mapping is placed or checked so that
 * it never lands on them.
 */
#ifndef XLATE_RUNTIME_H
#define XLATE_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "translator/x86/x86.h"

#define GUEST_PAGE   4096ull
#define PAGE_DOWN(x) ((uint64_t)(x) & ~(GUEST_PAGE - 1))
#define PAGE_UP(x)   (((uint64_t)(x) + GUEST_PAGE - 1) & ~(GUEST_PAGE - 1))

/* x86-64 Linux constants the guest ABI fixes, independent of the host. */
#define X86_TASK_SIZE	    0x7ffffffff000ull /* first address no x86-64 process may map */
#define X86_ELF_ET_DYN_BASE 0x555555554000ull /* PIE base (2/3 of the task size) */

/* ---- log.c: messages; RT_DEBUG only under XLATE_DEBUG (never when AT_SECURE) ---- */

extern int rt_debug_level;
void rt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define RT_DEBUG(...)                                                                              \
	do {                                                                                       \
		if (rt_debug_level)                                                                \
			rt_log(__VA_ARGS__);                                                       \
	} while (0)

/* ---- the process: what startup learned, shared by the syscall layer ---- */

struct rt_process {
	bool secure;	       /* AT_SECURE: ignore every XLATE_* variable */
	bool binfmt;	       /* started by binfmt_misc: x86-64 execs go back through it */
	bool randomize;	       /* address-space randomisation (personality allows it) */
	const char *self_path; /* absolute path of this translator, for standalone re-exec */
	const char *exe_path;  /* what the guest's /proc/self/exe names */
	int argc;	       /* the guest's argv, for /proc/self/cmdline */
	char **argv;
	const uint64_t *auxv; /* the guest's auxv (pairs, ending with AT_NULL) */
	size_t auxv_bytes;
	unsigned long personality; /* the guest's view of personality(2) */
};
extern struct rt_process rt_proc;

/* ---- layout.c: the guest address space on this host ---- */

struct rt_layout {
	uint64_t guest_top;  /* end of guest-usable addresses (X86_TASK_SIZE or less) */
	uint64_t mmap_base;  /* top-down mmap placement starts below this */
	uint64_t stack_top;  /* end of the guest's main stack */
	uint64_t stack_size; /* bytes reserved for it (RLIMIT_STACK, bounded) */
	uint64_t brk_start;  /* the guest's program break, emulated by sys_brk */
	uint64_t brk_cur;
};
extern struct rt_layout rt_layout;

/* Checks the host (4 KiB pages), finds guest_top, keeps the runtime's
 * malloc off brk, and picks the randomised bases. Returns -errno. */
int layout_init(void);
/* A page-aligned random offset below `range` (0 without randomisation). */
uint64_t layout_random(uint64_t range);

/* ---- mem.c: the guest's mappings (for /proc/self/maps and placement) ---- */

enum gmap_flags {
	GMAP_SHARED = 1 << 0,
	GMAP_STACK = 1 << 1, /* the main thread's stack: "[stack]" */
	GMAP_HEAP = 1 << 2,  /* the program break: "[heap]" */
	GMAP_GROWSDOWN = 1 << 3,
};

struct gmap {
	uint64_t start, end;
	uint32_t prot;	 /* guest PROT_* as the guest asked */
	uint32_t flags;	 /* enum gmap_flags */
	uint64_t offset; /* file offset of `start` */
	uint64_t dev, ino;
	const char *path; /* interned; NULL for anonymous memory */
};

/* Guards the table and guest placement against other guest threads.
 * Recursive. Order: the interpreter's lock (held around code_page) before
 * this one, so nothing may call x86_invalidate (codepage_forget) with it
 * held. */
void mem_lock(void);
void mem_unlock(void);
/* In the child of fork, with the lock taken before it. */
void mem_fork_child(void);
void gmap_insert(const struct gmap *m); /* replaces whatever it overlaps */
void gmap_remove(uint64_t start, uint64_t end);
/* Changes protection; -ENOMEM (nothing changed) unless fully mapped. */
int gmap_protect(uint64_t start, uint64_t end, uint32_t prot);
const struct gmap *gmap_find(uint64_t addr);
bool gmap_covered(uint64_t start, uint64_t end);
/* The holes of [start, end) not covered by guest mappings, lowest first:
 * calls fn for each; stops and returns fn's value when it is nonzero. */
int gmap_holes(uint64_t start, uint64_t end, int (*fn)(uint64_t, uint64_t, void *), void *arg);
/* The same for the parts of [start, end) that guest mappings cover. */
int gmap_parts(uint64_t start, uint64_t end, int (*fn)(uint64_t, uint64_t, void *), void *arg);
size_t gmap_count(void);
const struct gmap *gmap_at(size_t i);
const char *gmap_intern(const char *path);
/* Ranges known to hold memory that is not the guest's. */
void gmap_add_foreign(uint64_t start, uint64_t end);
/* Highest free, non-foreign, `align`-aligned start of `len` bytes in
 * [lo, hi), or 0 when there is none. */
uint64_t gmap_find_free(uint64_t len, uint64_t lo, uint64_t hi, uint64_t align);
void gmap_reset(void); /* tests */

/* ---- place.c: putting guest memory in the host address space ---- */

/* Host protection for a guest protection: x86 has no write-only or
 * execute-only pages, and the host never executes guest memory. */
int host_prot(uint32_t guest_prot);
/* mmap at exactly addr, only where nothing is mapped: 0 or -EEXIST/-errno. */
long place_exact(uint64_t addr, uint64_t len, int prot, int flags, int fd, off_t off);
/* mmap somewhere in [lo, hi) (hint first, when it fits): address or -errno. */
long place_anywhere(uint64_t hint, uint64_t len, uint64_t lo, uint64_t hi, uint64_t align, int prot,
		    int flags, int fd, off_t off);
/* Checks that the parts of [start, end) holding no guest mapping are free
 * on the host, reserving them (PROT_NONE) on success: 0 or -ENOMEM. */
int place_claim_holes(uint64_t start, uint64_t end);
/* The name /proc/self/maps shows for a mapping of fd (interned), or
 * `fallback` when the host cannot say. */
const char *place_fd_name(int fd, const char *fallback);

/* ---- codepage.c: write-protection of pages holding decoded code ---- */

void codepage_hook(uint64_t page); /* x86_hooks.code_page */
/* Guest memory in [start, end) changes (unmap, remap, protect, discard):
 * drops decoded blocks and forgets the write protection. */
void codepage_forget(uint64_t start, uint64_t end);
/* From the SIGSEGV handler: a write to a page we protected. Restores
 * write access and drops the page's blocks; true if it was ours. */
bool codepage_write_fault(uint64_t addr);
bool codepage_any(void);
/* Makes every protected page writable again (after a syscall hit one). */
void codepage_release_all(void);

/* ---- loader.c ---- */

struct elf_image {
	uint64_t bias; /* load address minus link address */
	uint64_t entry;
	uint64_t phdr; /* where the program headers are in guest memory */
	uint16_t phnum, phent;
	uint64_t end;	 /* end of the highest segment (before page rounding) */
	bool pie;	 /* ET_DYN */
	bool exec_stack; /* PT_GNU_STACK asks for an executable stack */
	char *interp;	 /* PT_INTERP path (malloc'd), or NULL */
};

/* Loads the x86-64 ELF open on fd where the x86-64 kernel would (an
 * interpreter like ld.so: in the mmap area). Returns 0, or -errno with a
 * message in *why. */
int elf_load(int fd, const char *path, bool is_interp, struct elf_image *img, const char **why);
/* Whether the first bytes are an x86-64 ELF executable header. */
bool elf_is_x86_64(const void *head, size_t len);

/* ---- stack.c: the initial stack of an x86-64 Linux process ---- */

struct stack_params {
	int argc;
	char *const *argv;
	char *const *envp;
	const char *execfn;
	const struct elf_image *exe, *interp;
	uint64_t hwcap, hwcap2, minsigstksz;
	uint64_t uid, euid, gid, egid, secure, clktck;
	const uint8_t *random16;
	uint64_t align_pad; /* the kernel's random stack offset, multiple of 16 */
};
/* Writes strings, auxv, envp, argv, argc below `top`; returns the
 * initial RSP, or 0 if it does not fit in `size` bytes. Stores where the
 * auxv went in *auxv and its size in *auxv_bytes. */
uint64_t stack_build(uint64_t top, uint64_t size, const struct stack_params *p,
		     const uint64_t **auxv, size_t *auxv_bytes);

/* ---- identity.c: what the guest learns about its CPU and kernel ---- */

uint64_t identity_hwcap(void);
uint64_t identity_hwcap2(void);
uint64_t identity_minsigstksz(void);
/* /proc/cpuinfo for `ncpu` processors into a malloc'd buffer. */
char *identity_cpuinfo(int ncpu, size_t *len);

/* ---- proc_files.c: the guest's view of /proc ---- */

enum proc_file { PROC_NONE, PROC_EXE, PROC_AUXV, PROC_MAPS, PROC_CMDLINE, PROC_CPUINFO };
/* Which virtual file the path names (relative paths never do). */
enum proc_file proc_classify(const char *path);
/* The file's contents in a malloc'd buffer; -errno. */
long proc_render(enum proc_file f, char **buf, size_t *len);
/* An fd reading the contents (memfd), cloexec as asked: fd or -errno. */
long proc_open(enum proc_file f, bool cloexec);

/* ---- guest.c: fault-safe access to guest memory from runtime code ---- */

/* Copies a NUL-terminated guest string of at most `size` bytes
 * (including the NUL): length, -EFAULT or -ENAMETOOLONG. */
long guest_strncpy(char *dst, uint64_t src, size_t size);
long guest_read(void *dst, uint64_t src, size_t len);	     /* 0 or -EFAULT */
long guest_write(uint64_t dst, const void *src, size_t len); /* 0 or -EFAULT */
/* From the SIGSEGV handler: a fault inside one of the above returns
 * -EFAULT from it; returns only when no copy was running. */
void guest_copy_fault(void);

/* ---- signal.c ---- */

void signal_init(void);
/* The calling host thread starts running guest code on cpu (its guest
 * mask is the host mask it was created with). */
void signal_thread_start(struct cpu *cpu);
/* The calling guest thread ends: signals sent to the process that it had
 * taken but not delivered go back to the process. */
void signal_thread_exit(void);
/* In the child of fork (vfork false) or of a vfork sharing memory. */
void signal_fork_child(bool vfork);
/* A vfork child runs on its parent's host thread state: the parent's
 * signal state is saved before and restored after (a malloc'd copy). */
void *signal_state_save(void);
void signal_state_restore(void *saved);
/* Around a guest system call passed to the host (result r): true when a
 * signal interrupted it that the kernel would restart it for (the guest's
 * handler has SA_RESTART), or came before the host call started (the ABI
 * layer's gate, armed here on cpu->interrupt, then refused to make it);
 * the caller then makes the guest execute its SYSCALL again, after the
 * handler. */
void signal_syscall_enter(struct cpu *cpu);
/* A signal is waiting that the guest does not block. */
bool signal_deliverable(void);
bool signal_syscall_restart(long r);
/* A guest fault (cpu->fault): delivered to the guest, or the process dies
 * exactly as natively. */
void signal_fault(struct cpu *cpu);
/* cpu->interrupt was set: deliver what is pending. */
void signal_interrupt(struct cpu *cpu);
/* Dies of `signo` with its default action (core dump and all). */
_Noreturn void signal_die(int signo);

/* ---- vsyscall.c ---- */

#define VSYSCALL_ADDR 0xffffffffff600000ull
/* A guest call into the vsyscall page (cpu->fault): performs it and
 * returns to the caller; false if the fault was something else. */
bool vsyscall_emulate(struct cpu *cpu);

/* ---- syscall.c ---- */

typedef long (*sys_fn)(struct cpu *cpu, const uint64_t a[6]);
void syscall_dispatch(struct cpu *cpu);

/* ---- thread.c ---- */

/* Runs guest code on this thread for good: syscalls, faults, signals. */
_Noreturn void thread_run(struct cpu *cpu);
/* clone() of a guest thread; returns its tid or -errno. */
long thread_create(struct cpu *parent, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t ctid,
		   uint64_t tls);
/* exit(2) of the calling guest thread. */
_Noreturn void thread_exit(int status);
/* In the child of fork or vfork: the thread is its process's only one,
 * and the kernel keeps its CLONE_CHILD_CLEARTID word (set_tid_address). */
void thread_fork_child(bool vfork);
/* The calling host thread's guest-thread state. A vfork child runs on its
 * parent's (CLONE_VM without a TLS of its own): the parent saves it before
 * and puts it back when the child has exec'd or exited. */
struct thread_state {
	bool created, vfork_child;
	uint64_t clear_tid;
	struct cpu *own_cpu;
};
struct thread_state thread_state_save(void);
/* Whether this is a vfork child, sharing its parent's memory until it
 * execs or exits. */
bool thread_in_vfork_child(void);
void thread_state_restore(struct thread_state s);

/* ---- exec.c ---- */

/* execve as the guest asked, applying standalone re-entry; returns -errno. */
long exec_guest(int dirfd, const char *path, uint64_t argv, uint64_t envp, int flags);
/* "#!interp arg" as the kernel parses the first `got` bytes of a file:
 * interp and the optional single argument, in place in head; false when
 * it is not a usable shebang line. */
bool exec_shebang(char *head, ssize_t got, char **interp, char **arg);

#endif
