/* syscalls.h — the guest system calls the runtime handles itself; every
 * other call goes to abi_syscall(). Each takes the x86-64 arguments
 * (rdi, rsi, rdx, r10, r8, r9) and returns rax: a value or -errno. */
#ifndef XLATE_SYSCALLS_H
#define XLATE_SYSCALLS_H

#include "translator/runtime/runtime.h"

#define SYS(name) long sys_##name(struct cpu *cpu, const uint64_t a[6])

/* sys_mem.c */
SYS(brk);
SYS(mmap);
SYS(munmap);
SYS(mprotect);
SYS(mremap);
SYS(madvise);
SYS(shmat);
SYS(shmdt);

/* sys_proc.c */
SYS(exit);
SYS(exit_group);
SYS(arch_prctl);
SYS(fork);
SYS(vfork);
SYS(clone);
SYS(clone3);
SYS(execve);
SYS(execveat);
SYS(rseq);
SYS(prctl);
SYS(seccomp);
SYS(personality);
SYS(uname);
SYS(set_tid_address);
SYS(enosys);

/* signal.c */
SYS(rt_sigaction);
SYS(rt_sigprocmask);
SYS(sigaltstack);
SYS(rt_sigreturn);
SYS(rt_sigpending);
SYS(rt_sigsuspend);
SYS(rt_sigtimedwait);

/* sys_pwait.c */
SYS(ppoll);
SYS(pselect6);
SYS(epoll_pwait);
SYS(epoll_pwait2);

/* sys_file.c */
SYS(open);
SYS(openat);
SYS(openat2);
SYS(readlink);
SYS(readlinkat);
SYS(stat);
SYS(newfstatat);
SYS(statx);

#undef SYS
#endif
