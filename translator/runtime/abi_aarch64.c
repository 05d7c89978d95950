/* abi_aarch64.c — the guest ABI on an aarch64 host: one table indexed by
 * x86-64 number. The generic table aarch64 uses lacks the calls that have
 * an *at, 2, p or 1 form (open, stat, pipe, poll, select, ...); those are
 * emulated through that form. Other calls keep their arguments and change
 * only number, unless a flag value or structure layout differs. */
#if defined(__aarch64__)
#include <errno.h>
#include <stddef.h>
#include <asm/unistd.h>

#include "translator/runtime/abi_aarch64.h"

struct entry {
	uint8_t kind;  /* enum abi_kind */
	uint16_t host; /* ABI_DIRECT: the host's number */
	long (*fn)(const uint64_t a[6]);
};

// clang-format off
#define D(name)		[ABI_NR_##name] = { ABI_DIRECT, __NR_##name, NULL }
/* Numbers newer than the host's kernel headers: from 424 on, one number
 * for every architecture. */
#define DN(name)	[ABI_NR_##name] = { ABI_DIRECT, ABI_NR_##name, NULL }
#define C(name)		[ABI_NR_##name] = { ABI_CONVERTED, 0, a64_##name }
#define E(name)		[ABI_NR_##name] = { ABI_EMULATED, 0, a64_##name }
#define N(name)		[ABI_NR_##name] = { ABI_ENOSYS, 0, NULL }
#define R(name)		[ABI_NR_##name] = { ABI_RUNTIME, 0, NULL },
static const struct entry table[ABI_NR_COUNT] = {
	ABI_RUNTIME_CALLS(R)
	D(read), D(write), E(open), D(close), E(stat), C(fstat), E(lstat), E(poll),
	D(lseek), D(mmap), D(mprotect), D(munmap), D(rt_sigprocmask), C(ioctl),
	D(pread64), D(pwrite64), D(readv), D(writev), E(access), E(pipe), E(select),
	D(sched_yield), D(mremap), D(msync), D(mincore), D(madvise),
	D(shmget), D(shmat), D(shmctl), D(dup), E(dup2), E(pause), D(nanosleep),
	D(getitimer), E(alarm), D(setitimer), D(getpid), D(sendfile),
	D(socket), D(connect), D(accept), D(sendto), D(recvfrom), D(sendmsg), D(recvmsg),
	D(shutdown), D(bind), D(listen), D(getsockname), D(getpeername), D(socketpair),
	D(setsockopt), D(getsockopt),
	D(exit), D(wait4), D(kill), C(uname),
	D(semget), D(semop), C(semctl), D(shmdt), D(msgget), D(msgsnd), D(msgrcv), D(msgctl),
	C(fcntl), D(flock), D(fsync), D(fdatasync), D(truncate), D(ftruncate),
	E(getdents), D(getcwd), D(chdir), D(fchdir), E(rename), E(mkdir), E(rmdir),
	E(creat), E(link), E(unlink), E(symlink), E(readlink), E(chmod), D(fchmod),
	E(chown), D(fchown), E(lchown), D(umask), D(gettimeofday), D(getrlimit),
	D(getrusage), D(sysinfo), D(times), N(ptrace), D(getuid), D(syslog), D(getgid),
	D(setuid), D(setgid), D(geteuid), D(getegid), D(setpgid), D(getppid), E(getpgrp),
	D(setsid), D(setreuid), D(setregid), D(getgroups), D(setgroups), D(setresuid),
	D(getresuid), D(setresgid), D(getresgid), D(getpgid), D(setfsuid), D(setfsgid),
	D(getsid), D(capget), D(capset),
	D(rt_sigpending), D(rt_sigtimedwait), D(rt_sigqueueinfo), D(rt_sigsuspend),
	E(utime), E(mknod), N(uselib), D(personality), E(ustat), D(statfs), D(fstatfs),
	E(sysfs), D(getpriority), D(setpriority),
	D(sched_setparam), D(sched_getparam), D(sched_setscheduler), D(sched_getscheduler),
	D(sched_get_priority_max), D(sched_get_priority_min), D(sched_rr_get_interval),
	D(mlock), D(munlock), D(mlockall), D(munlockall), D(vhangup), D(pivot_root),
	N(_sysctl), C(prctl), D(adjtimex), D(setrlimit), D(chroot), D(sync), D(acct),
	D(settimeofday), D(mount), D(umount2), D(swapon), D(swapoff), D(reboot),
	D(sethostname), D(setdomainname), N(iopl), N(ioperm), N(create_module),
	D(init_module), D(delete_module), N(get_kernel_syms), N(query_module), D(quotactl),
	N(nfsservctl), N(getpmsg), N(putpmsg), N(afs_syscall), N(tuxcall), N(security),
	D(gettid), D(readahead),
	D(setxattr), D(lsetxattr), D(fsetxattr), D(getxattr), D(lgetxattr), D(fgetxattr),
	D(listxattr), D(llistxattr), D(flistxattr), D(removexattr), D(lremovexattr),
	D(fremovexattr), D(tkill), E(time), D(futex), D(sched_setaffinity),
	D(sched_getaffinity), D(io_setup), D(io_destroy), D(io_getevents), D(io_submit),
	D(io_cancel), D(lookup_dcookie), E(epoll_create), N(epoll_ctl_old),
	N(epoll_wait_old), D(remap_file_pages), D(getdents64), D(set_tid_address),
	D(semtimedop), D(fadvise64), D(timer_create), D(timer_settime), D(timer_gettime),
	D(timer_getoverrun), D(timer_delete), D(clock_settime), D(clock_gettime),
	D(clock_getres), D(clock_nanosleep), D(exit_group), E(epoll_wait), C(epoll_ctl),
	D(tgkill), E(utimes), N(vserver), D(mbind), D(set_mempolicy), D(get_mempolicy),
	D(mq_open), D(mq_unlink), D(mq_timedsend), D(mq_timedreceive), D(mq_notify),
	D(mq_getsetattr), D(kexec_load), D(waitid), D(add_key), D(request_key), D(keyctl),
	D(ioprio_set), D(ioprio_get), E(inotify_init), D(inotify_add_watch),
	D(inotify_rm_watch), D(migrate_pages), C(openat), D(mkdirat), D(mknodat),
	D(fchownat), E(futimesat), C(newfstatat), D(unlinkat), D(renameat), D(linkat),
	D(symlinkat), D(readlinkat), D(fchmodat), D(faccessat), D(pselect6), D(ppoll),
	D(unshare), D(set_robust_list), D(get_robust_list), D(splice), D(tee),
	D(sync_file_range), D(vmsplice), D(move_pages), D(utimensat), C(epoll_pwait),
	E(signalfd), D(timerfd_create), E(eventfd), D(fallocate), D(timerfd_settime),
	D(timerfd_gettime), D(accept4), D(signalfd4), D(eventfd2), D(epoll_create1),
	D(dup3), C(pipe2), D(inotify_init1), D(preadv), D(pwritev), D(rt_tgsigqueueinfo),
	D(perf_event_open), D(recvmmsg), C(fanotify_init), D(fanotify_mark), D(prlimit64),
	D(name_to_handle_at), C(open_by_handle_at), D(clock_adjtime), D(syncfs),
	D(sendmmsg), D(setns), D(getcpu), D(process_vm_readv), D(process_vm_writev),
	D(kcmp), D(finit_module), D(sched_setattr), D(sched_getattr), D(renameat2),
	N(seccomp), D(getrandom), D(memfd_create), D(kexec_file_load), D(bpf),
	D(userfaultfd), D(membarrier), D(mlock2), D(copy_file_range), D(preadv2),
	D(pwritev2), N(pkey_mprotect), N(pkey_alloc), N(pkey_free), D(statx),
	D(io_pgetevents), D(rseq),
	D(pidfd_send_signal), N(io_uring_setup), N(io_uring_enter), N(io_uring_register),
	D(open_tree), D(move_mount), D(fsopen), D(fsconfig), D(fsmount), D(fspick),
	D(pidfd_open), D(close_range), C(openat2), D(pidfd_getfd), D(faccessat2),
	D(process_madvise), C(epoll_pwait2), D(mount_setattr), D(quotactl_fd),
	D(landlock_create_ruleset), D(landlock_add_rule), D(landlock_restrict_self),
	D(memfd_secret), D(process_mrelease), D(futex_waitv), D(set_mempolicy_home_node),
	DN(cachestat), DN(fchmodat2), N(map_shadow_stack), DN(futex_wake), DN(futex_wait),
	DN(futex_requeue), DN(statmount), DN(listmount), DN(lsm_get_self_attr),
	DN(lsm_set_self_attr), DN(lsm_list_modules), DN(mseal), DN(setxattrat),
	DN(getxattrat), DN(listxattrat), DN(removexattrat), DN(open_tree_attr),
	DN(file_getattr), DN(file_setattr),
};
// clang-format on

/* Why the ENOSYS entries have no host form:
 * - ptrace: the host would trace the translator, and hand out aarch64
 *   register sets; a guest debugger needs the runtime's guest state.
 * - seccomp: a guest filter tests x86-64 numbers and AUDIT_ARCH_X86_64, but
 *   the kernel would run it on the translator's aarch64 calls (prctl's
 *   PR_SET_SECCOMP is refused in a64_prctl for the same reason).
 * - io_uring_*: submission entries carry open flags and epoll_event in
 *   x86-64 layout that the kernel would read asynchronously, unconverted.
 * - iopl, ioperm: x86 I/O ports. pkey_*: the guest's PKRU is not emulated
 *   (CPUID does not offer PKU), and host keys would not follow guest code.
 *   map_shadow_stack: CET is not offered either.
 * - uselib, _sysctl, nfsservctl, create_module, get_kernel_syms,
 *   query_module, getpmsg, putpmsg, afs_syscall, tuxcall, security,
 *   vserver, epoll_ctl_old, epoll_wait_old: ENOSYS on x86-64 Linux too. */

long abi_syscall(long x86_nr, const uint64_t a[6])
{
	x86_nr = abi_x86_nr(x86_nr);
	if (x86_nr < 0 || x86_nr >= ABI_NR_COUNT)
		return -ENOSYS;
	const struct entry *e = &table[x86_nr];
	switch (e->kind) {
	case ABI_DIRECT: return abi_host_call(e->host, a);
	case ABI_CONVERTED:
	case ABI_EMULATED: return e->fn(a);
	default: return -ENOSYS;
	}
}

enum abi_kind abi_syscall_kind(long x86_nr)
{
	if (x86_nr < 0 || x86_nr >= ABI_NR_COUNT)
		return ABI_UNKNOWN;
	return table[x86_nr].kind;
}

long abi_clone_args_to_host(const uint64_t x86[6], uint64_t host[6])
{
	host[0] = x86[0];
	host[1] = x86[1];
	host[2] = x86[2];
	host[3] = x86[4];
	host[4] = x86[3];
	host[5] = x86[5];
	return __NR_clone;
}
#endif
