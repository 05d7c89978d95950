/* thread.c — guest threads and the run loop every thread executes.
 *
 * A guest thread (clone with CLONE_VM | CLONE_THREAD, as glibc's
 * pthread_create makes it) is a host pthread running its own struct cpu:
 * a copy of the creator's after the syscall, with rax 0, the new stack and
 * the new FS base. The host thread is a pthread so that the runtime's libc
 * and the interpreter have their per-thread state. The kernel's
 * CLONE_CHILD_CLEARTID duty (clear the tid word and wake a futex when the
 * thread is gone) is done here at the guest's exit: by then the thread
 * runs on its host stack and touches no guest memory again. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "translator/runtime/abi.h"
#include "translator/runtime/runtime.h"
#include "translator/runtime/syscalls.h"

/* The flags glibc's pthread_create passes, all of which pthreads give. */
#define THREAD_FLAGS                                                                               \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |        \
	 CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |          \
	 CLONE_DETACHED)
#define HOST_STACK (1 << 20)

struct start {
	struct cpu cpu;
	uint64_t flags, ptid, ctid;
	pid_t tid;
	sem_t started;
};

static __thread bool created;	    /* this host thread runs a clone()d guest thread */
static __thread uint64_t clear_tid; /* its CLONE_CHILD_CLEARTID word */
static __thread bool vfork_child;   /* runs a vfork child on its suspended parent's TLS */
static __thread struct cpu *own_cpu; /* a created thread's cpu, freed at its exit */

/* A vfork child shares its parent's memory, so the runtime's record of
 * the guest's signal dispositions too, but not the parent's kernel
 * dispositions. posix_spawn's child sets every handled signal to SIG_DFL
 * before it execs: that must change its own kernel disposition only. So
 * it reads the record, and SIG_DFL and SIG_IGN go to its kernel alone; a
 * handler it installs could never run before the exec and is refused. */
static long vfork_sigaction(struct cpu *cpu)
{
	int sig = (int)cpu->gpr[X86_RDI];
	uint64_t act = cpu->gpr[X86_RSI], handler;
	const uint64_t query[6] = {(uint64_t)sig, 0, cpu->gpr[X86_RDX], cpu->gpr[X86_R10]};
	long r = sys_rt_sigaction(cpu, query);
	if (r || !act)
		return r;
	if (guest_read(&handler, act, sizeof handler))
		return -EFAULT;
	if (handler > 1)
		return -EINVAL;
	if (sig == SIGSEGV || sig == SIGBUS)
		return 0; /* the runtime's own until the exec */
	return sigaction(sig, &(struct sigaction){.sa_handler = handler ? SIG_IGN : SIG_DFL}, NULL)
		       ? -errno
		       : 0;
}

_Noreturn void thread_run(struct cpu *cpu)
{
	signal_thread_start(cpu);
	for (;;) {
		switch (x86_run(cpu)) {
		case X86_EXIT_SYSCALL:
			if (vfork_child && cpu->gpr[X86_RAX] == ABI_NR_rt_sigaction)
				cpu->gpr[X86_RAX] = (uint64_t)vfork_sigaction(cpu);
			else
				syscall_dispatch(cpu);
			break;
		case X86_EXIT_FAULT: signal_fault(cpu); break;
		case X86_EXIT_INTERRUPT: signal_interrupt(cpu); break;
		}
	}
}

static void *thread_main(void *arg)
{
	struct start *s = arg;
	struct cpu *cpu = malloc(sizeof *cpu);
	if (!cpu)
		abort();
	*cpu = s->cpu;
	own_cpu = cpu;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	created = true;
	if (s->flags & CLONE_CHILD_SETTID)
		guest_write(s->ctid, &tid, sizeof tid);
	if (s->flags & CLONE_CHILD_CLEARTID)
		clear_tid = s->ctid;
	if (s->flags & CLONE_PARENT_SETTID)
		guest_write(s->ptid, &tid, sizeof tid);
	s->tid = tid;
	sem_post(&s->started); /* s belongs to the creator from here on */
	thread_run(cpu);
}

long thread_create(struct cpu *parent, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t ctid,
		   uint64_t tls)
{
	if ((flags & ~(THREAD_FLAGS | CSIGNAL)) ||
	    (flags & (CLONE_VM | CLONE_SIGHAND | CLONE_THREAD)) !=
		    (CLONE_VM | CLONE_SIGHAND | CLONE_THREAD)) {
		RT_DEBUG("clone flags %#llx: only threads as pthread_create makes them",
			 (unsigned long long)flags);
		return -EINVAL;
	}
	struct start *s = calloc(1, sizeof *s);
	if (!s)
		return -EAGAIN;
	s->cpu = *parent;
	s->cpu.gpr[X86_RAX] = 0;
	if (sp)
		s->cpu.gpr[X86_RSP] = sp;
	if (flags & CLONE_SETTLS)
		s->cpu.fs_base = tls;
	x86_set_interrupt(&s->cpu, 0);
	s->cpu.jmp = NULL;
	s->cpu.host = NULL;
	s->flags = flags;
	s->ptid = ptid;
	s->ctid = ctid;
	sem_init(&s->started, 0, 0);

	pthread_attr_t attr;
	pthread_t t;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, HOST_STACK);
	int err = pthread_create(&t, &attr, thread_main, s);
	pthread_attr_destroy(&attr);
	long r = -EAGAIN;
	if (!err) {
		while (sem_wait(&s->started) && errno == EINTR)
			;
		r = s->tid;
	}
	sem_destroy(&s->started);
	free(s);
	return r;
}

/* The guest thread ends (exit(2)): clear and wake its tid word, then end
 * the host thread. The initial thread ends with the raw call, so that the
 * process lives on while other threads run, as on Linux. */
_Noreturn void thread_exit(int status)
{
	signal_thread_exit();
	if (clear_tid) {
		const uint32_t zero = 0;
		if (!guest_write(clear_tid, &zero, sizeof zero))
			syscall(SYS_futex, clear_tid, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	if (created) {
		/* No signal may find the cpu it would interrupt freed. */
		sigset_t all;
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, NULL);
		free(own_cpu);
		pthread_exit(NULL);
	}
	for (;;)
		syscall(SYS_exit, status);
}

void thread_fork_child(bool vfork)
{
	/* Its cpu lives as long as the process. */
	own_cpu = NULL;
	created = false;
	clear_tid = 0;
	vfork_child = vfork;
}

bool thread_in_vfork_child(void)
{
	return vfork_child;
}

struct thread_state thread_state_save(void)
{
	return (struct thread_state){created, vfork_child, clear_tid, own_cpu};
}

void thread_state_restore(struct thread_state s)
{
	created = s.created;
	vfork_child = s.vfork_child;
	clear_tid = s.clear_tid;
	own_cpu = s.own_cpu;
}

long sys_set_tid_address(struct cpu *cpu, const uint64_t a[6])
{
	/* A created thread's host tid word is its pthread's; keep the guest's here. */
	if (!created)
		return abi_syscall(ABI_NR_set_tid_address, a);
	clear_tid = a[0];
	return syscall(SYS_gettid);
}
