/* abi.h — the guest's system call ABI (x86-64 Linux) on this host.
 *
 * The runtime intercepts the calls that touch the translator's own state
 * (memory layout, threads, signals, exec, CPU state, /proc identity) and
 * hands every other guest system call to abi_syscall(). On an x86-64 host
 * that is a raw passthrough; on an aarch64 host a table converts numbers,
 * flags, structure layouts and argument order.
 *
 * Guest memory is identity-mapped: guest pointers in the arguments are host
 * pointers. Errno values and signal numbers are the same on x86-64 and
 * aarch64 (both use the generic tables; abi_aarch64_consts.c checks every
 * one at compile time), so results need no errno translation.
 *
 * Where a converted call copies a structure between guest memory and a
 * host-layout buffer itself (epoll events, select timeouts, semid_ds, ...),
 * it uses the copy functions installed with abi_set_guest_copy(). */
#ifndef XLATE_ABI_H
#define XLATE_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* x86-64 system call numbers: ABI_NR_read, ABI_NR_write, ... */
enum abi_nr {
#define X(name, nr) ABI_NR_##name = nr,
#include "translator/runtime/sysnums.def"
#undef X
	ABI_NR_COUNT /* one past the highest number we know */
};

/* Performs guest system call x86_nr (rax; as on x86-64 Linux, only eax
 * counts) with arguments a[0..5] (rdi, rsi, rdx, r10, r8, r9) on this
 * host; returns what x86-64 Linux returns in rax: a value, or -errno.
 * Calls the runtime must handle itself (ABI_RUNTIME below) and calls with
 * no host equivalent return -ENOSYS; reporting those (once per number,
 * under XLATE_DEBUG) is the caller's job, with abi_syscall_kind() telling
 * which case it is. Thread-safe. */
long abi_syscall(long x86_nr, const uint64_t a[6]);

/* How the layer reads and writes guest memory for the structures it
 * converts: each returns 0 or -EFAULT. The runtime installs its
 * fault-catching copies once, before the guest runs, so that a bad guest
 * pointer gives EFAULT as the kernel would. The default is a plain copy:
 * NULL, the first page and addresses above x86-64's user half still give
 * EFAULT, but other unmapped addresses fault in the translator. */
struct abi_guest_copy {
	long (*read)(void *dst, uint64_t src, size_t len);
	long (*write)(uint64_t dst, const void *src, size_t len);
};
void abi_set_guest_copy(const struct abi_guest_copy *copy);

/* How abi_syscall() serves a number on this host. */
enum abi_kind {
	ABI_UNKNOWN = 0, /* not in the x86-64 table: the host kernel's answer (x86-64) or ENOSYS */
	ABI_ENOSYS,	 /* no equivalent on this host: -ENOSYS */
	ABI_DIRECT,	 /* the host call with the same arguments (maybe another number) */
	ABI_CONVERTED,	 /* the host call, with flags, structures or argument order converted */
	ABI_EMULATED,	 /* built from other host calls (open -> openat, select -> pselect6) */
	ABI_RUNTIME,	 /* the runtime's (clone, execve, rt_sigaction, brk, ...): -ENOSYS here */
};
enum abi_kind abi_syscall_kind(long x86_nr);
const char *abi_kind_name(enum abi_kind kind);

/* "read", "write", ...; NULL for numbers not in the x86-64 table. */
const char *abi_syscall_name(long x86_nr);

/* open(2) flags (also openat2's how.flags, fcntl F_GETFL/F_SETFL, pipe2,
 * fanotify_init's event_f_flags): O_DIRECT, O_LARGEFILE, O_DIRECTORY and
 * O_NOFOLLOW have other values on aarch64; every other bit is the same. */
int abi_open_flags_to_host(int x86_flags);
int abi_open_flags_from_host(int host_flags);

/* struct stat as x86-64 Linux stores it (144 bytes). */
struct abi_x86_stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	int64_t st_atime_sec, st_atime_nsec;
	int64_t st_mtime_sec, st_mtime_nsec;
	int64_t st_ctime_sec, st_ctime_nsec;
	int64_t unused[3];
};
/* Fills *dst from a host struct stat (as fstat/fstatat fill it). */
void abi_stat_to_x86(struct abi_x86_stat *dst, const struct stat *src);

/* clone(2): x86-64 takes (flags, stack, parent_tid, child_tid, tls), aarch64
 * (flags, stack, parent_tid, tls, child_tid). Fills host[0..5] in this
 * host's order from the guest's x86[0..5]; returns the host's clone number. */
long abi_clone_args_to_host(const uint64_t x86[6], uint64_t host[6]);
/* fork and vfork (x86_nr ABI_NR_fork / ABI_NR_vfork) as x86-64 clone
 * arguments, for the runtime's clone path (aarch64 has neither call).
 * vfork gets CLONE_VM | CLONE_VFORK: the runtime must not return into C
 * code shared with the parent in the child; it may use fork's form instead. */
void abi_fork_as_clone(long x86_nr, uint64_t x86[6]);

/* struct sigaction as the x86-64 kernel reads it. The aarch64 kernel's is
 * the same layout (arm64 defines SA_RESTORER, so sa_restorer is present),
 * and the SA_* bits, signal numbers and the 64-bit sigset_t coincide:
 * signal code can use this one definition on both hosts. What differs is
 * MINSIGSTKSZ/SIGSTKSZ (x86-64 2048/8192, aarch64 5120/16384) and the frame
 * and ucontext layouts, which are the runtime's to build. */
struct abi_x86_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

#endif
