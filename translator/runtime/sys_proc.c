/* sys_proc.c — process-level calls the runtime owns: exit, the FS/GS
 * bases, fork and friends, and what the guest learns about its kernel
 * (uname, personality, prctl). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "translator/runtime/abi.h"
#include "translator/runtime/image.h"
#include "translator/runtime/runtime.h"
#include "translator/runtime/sigstate.h"
#include "translator/runtime/syscalls.h"

// clang-format off
enum {
	ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004,
	ARCH_GET_CPUID = 0x1011, ARCH_SET_CPUID = 0x1012,
	ARCH_GET_XCOMP_SUPP = 0x1021, ARCH_GET_XCOMP_PERM = 0x1022, ARCH_REQ_XCOMP_PERM = 0x1023,
};
// clang-format on
#define X86_PR_GET_AUXV 0x41555856

long sys_exit(struct cpu *cpu, const uint64_t a[6])
{
	thread_exit((int)a[0]);
}

long sys_exit_group(struct cpu *cpu, const uint64_t a[6])
{
	if (image_exit && !thread_in_vfork_child())
		image_exit(); /* a vfork child's parent's image lives on */
	for (;;)
		syscall(SYS_exit_group, (int)a[0]);
}

/* The XSAVE features the emulated CPU supports (CPUID.(EAX=0DH,ECX=0)). */
static uint64_t xfeatures(void)
{
	uint32_t r[4];
	x86_cpuid(1, 0, r);
	if (!(r[2] & (1u << 26)))
		return 3; /* x87 and SSE, as FXSAVE holds them */
	x86_cpuid(0xd, 0, r);
	return r[0] | (uint64_t)r[3] << 32;
}

long sys_arch_prctl(struct cpu *cpu, const uint64_t a[6])
{
	uint64_t v;
	switch (a[0]) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (a[1] >= X86_TASK_SIZE)
			return -EPERM;
		*(a[0] == ARCH_SET_FS ? &cpu->fs_base : &cpu->gs_base) = a[1];
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS:
		v = a[0] == ARCH_GET_FS ? cpu->fs_base : cpu->gs_base;
		return guest_write(a[1], &v, 8);
	case ARCH_GET_CPUID: return 1;
	case ARCH_SET_CPUID:
		/* CPUID faulting is not emulated: what a CPU without it says. */
		return a[1] ? 0 : -ENODEV;
	case ARCH_GET_XCOMP_SUPP:
	case ARCH_GET_XCOMP_PERM: v = xfeatures(); return guest_write(a[1], &v, 8);
	case ARCH_REQ_XCOMP_PERM: return a[1] < 64 && (xfeatures() >> a[1] & 1) ? 0 : -EOPNOTSUPP;
	}
	return -EINVAL;
}

/* A new host process for a guest fork or clone without CLONE_VM. The
 * libc's fork keeps the runtime's own libc state right (its locks, the
 * thread's tid); flags it cannot express take the raw call. Either way
 * the translator's locks must not be held by a thread the child does not
 * inherit (lock order: the interpreter's, memory, the image modules'). */
static long host_fork(uint64_t flags, uint64_t ptid, uint64_t ctid)
{
	const uint64_t plain = CSIGNAL | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
			       CLONE_PARENT_SETTID | CLONE_SETTLS;
	bool libc = (flags & CSIGNAL) == SIGCHLD && !(flags & ~plain);
	long pid;
	x86_fork_prepare();
	mem_lock();
	if (image_fork_prepare)
		image_fork_prepare();
	if (libc) {
		pid = fork();
	} else {
		uint64_t x86[6] = {flags & ~CLONE_SETTLS, 0, ptid, ctid, 0, 0}, host[6];
		long nr = abi_clone_args_to_host(x86, host);
		pid = syscall(nr, host[0], host[1], host[2], host[3], host[4], host[5]);
	}
	int err = errno;
	if (pid == 0) {
		if (image_fork_child)
			image_fork_child();
		mem_fork_child();
		x86_fork_child();
		thread_fork_child(false);
		signal_fork_child(false);
	} else {
		if (image_fork_parent)
			image_fork_parent();
		mem_unlock();
		x86_fork_parent();
	}
	if (pid < 0)
		return -err;
	if (!libc)
		return pid; /* the kernel did the tid words */
	if (pid == 0) {
		pid_t tid = (pid_t)syscall(SYS_gettid);
		if (flags & CLONE_CHILD_SETTID)
			guest_write(ctid, &tid, sizeof tid);
		if (flags & CLONE_CHILD_CLEARTID)
			syscall(SYS_set_tid_address, ctid);
	} else if (flags & CLONE_PARENT_SETTID) {
		pid_t p = (pid_t)pid;
		guest_write(ptid, &p, sizeof p);
	}
	return pid;
}

/* fork for the guest: the identity-mapped guest state copies itself.
 * The host child continues on its copy of the runtime's stack; the
 * guest's stack pointer and TLS come from the arguments. */
static long fork_guest(struct cpu *cpu, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t ctid,
		       uint64_t tls)
{
	long pid = host_fork(flags, ptid, ctid);
	if (pid == 0) {
		if (sp)
			cpu->gpr[X86_RSP] = sp;
		if (flags & CLONE_SETTLS)
			cpu->fs_base = tls;
	}
	return pid;
}

/* vfork (clone with CLONE_VM | CLONE_VFORK): a host vfork child sharing
 * all memory, as natively, so that what the child writes before it execs
 * (posix_spawn's error code) is there for the parent to read. It runs the
 * guest on a copy of the cpu and a host stack of its own, but on the host
 * thread's TLS: the parent is suspended until the exec or exit, and then
 * restores that TLS and frees the stack. */
#define VFORK_STACK (1 << 20)

struct vfork_child {
	struct cpu *cpu;
	void *stack;
	const void *parent_stack; /* for ASan: the stack the parent resumes on */
	size_t parent_stack_size;
};

/* ASan keeps one stack per thread, and the vfork child runs on a stack of
 * its own but on its parent's thread: each side says which stack it is on,
 * or every noreturn call in the child (exit, a failed exec) warns. The
 * child's frames leave their redzones marked in the shadow, which munmap
 * does not clear: the next child's stack at the same address would be
 * reported as overflowing, so the parent clears them. */
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
static void asan_on_stack(const void *bottom, size_t size, const void **old, size_t *old_size)
{
	__sanitizer_start_switch_fiber(NULL, bottom, size);
	__sanitizer_finish_switch_fiber(NULL, old, old_size);
}
static void asan_forget_stack(void *stack, size_t size)
{
	__asan_unpoison_memory_region(stack, size);
}
#else
static void asan_on_stack(const void *bottom, size_t size, const void **old, size_t *old_size)
{
	(void)bottom, (void)size, (void)old, (void)old_size;
}
static void asan_forget_stack(void *stack, size_t size)
{
	(void)stack, (void)size;
}
#endif

static int vfork_child_main(void *arg)
{
	struct vfork_child *vc = arg;
	asan_on_stack(vc->stack, VFORK_STACK, &vc->parent_stack, &vc->parent_stack_size);
	thread_fork_child(true);
	signal_fork_child(true);
	thread_run(vc->cpu);
}

static long vfork_shared(struct cpu *cpu, uint64_t flags, uint64_t sp, uint64_t ptid,
			 uint64_t ctid, uint64_t tls)
{
	const uint64_t pass = CSIGNAL | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
			      CLONE_CHILD_CLEARTID | CLONE_PARENT | CLONE_PIDFD | CLONE_VM |
			      CLONE_VFORK;
	if (flags & ~(pass | CLONE_SETTLS))
		return -EINVAL;
	struct cpu *child = malloc(sizeof *child);
	void *stack = mmap(NULL, VFORK_STACK, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (!child || stack == MAP_FAILED) {
		free(child);
		if (stack != MAP_FAILED)
			munmap(stack, VFORK_STACK);
		return -EAGAIN;
	}
	*child = *cpu;
	child->gpr[X86_RAX] = 0;
	if (sp)
		child->gpr[X86_RSP] = sp;
	if (flags & CLONE_SETTLS)
		child->fs_base = tls;
	x86_set_interrupt(child, 0);
	child->jmp = NULL;
	struct thread_state ts = thread_state_save();
	void *sigs = signal_state_save();
	struct x86_thread_saved xs;
	x86_thread_save(&xs);
	struct vfork_child vc = {.cpu = child, .stack = stack};
	int pid = clone(vfork_child_main, (char *)stack + VFORK_STACK, (int)(flags & pass), &vc,
			(pid_t *)(uintptr_t)ptid, NULL, (pid_t *)(uintptr_t)ctid);
	int err = errno;
	if (vc.parent_stack)
		asan_on_stack(vc.parent_stack, vc.parent_stack_size, NULL, NULL);
	x86_thread_restore(&xs);
	thread_state_restore(ts);
	signal_state_restore(sigs);
	asan_forget_stack(stack, VFORK_STACK);
	munmap(stack, VFORK_STACK);
	free(child);
	return pid < 0 ? -err : pid;
}

/* clone with CLONE_VFORK but without CLONE_VM: a fork whose parent waits
 * until the child has exec'd or exited (a close-on-exec pipe tells). */
static long vfork_guest(struct cpu *cpu, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t ctid,
			uint64_t tls)
{
	if (flags & CLONE_VM)
		return vfork_shared(cpu, flags, sp, ptid, ctid, tls);
	int p[2];
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	/* Out of the way of the fd numbers the guest expects to get. */
	for (int i = 0; i < 2; i++) {
		int hi = fcntl(p[i], F_DUPFD_CLOEXEC, 512);
		if (hi >= 0) {
			close(p[i]);
			p[i] = hi;
		}
	}
	long pid = fork_guest(cpu, flags & ~CLONE_VFORK, sp, ptid, ctid, tls);
	if (pid == 0) {
		close(p[0]);
		return 0;
	}
	close(p[1]);
	if (pid > 0) {
		char c;
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
	}
	close(p[0]);
	return pid;
}

long sys_fork(struct cpu *cpu, const uint64_t a[6])
{
	return fork_guest(cpu, SIGCHLD, 0, 0, 0, 0);
}

long sys_vfork(struct cpu *cpu, const uint64_t a[6])
{
	return vfork_guest(cpu, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

long sys_clone(struct cpu *cpu, const uint64_t a[6])
{
	uint64_t flags = a[0];
	if ((flags & CLONE_VFORK) && !(flags & (CLONE_THREAD | CLONE_SIGHAND)))
		return vfork_guest(cpu, flags, a[1], a[2], a[3], a[4]);
	if (flags & CLONE_VM)
		return thread_create(cpu, flags, a[1], a[2], a[3], a[4]);
	return fork_guest(cpu, flags, a[1], a[2], a[3], a[4]);
}

long sys_clone3(struct cpu *cpu, const uint64_t a[6])
{
	return -ENOSYS; /* glibc falls back to clone */
}

long sys_rseq(struct cpu *cpu, const uint64_t a[6])
{
	return -ENOSYS; /* the host's rseq area format is not the guest's to register */
}

long sys_seccomp(struct cpu *cpu, const uint64_t a[6])
{
	/* A filter over x86-64 numbers would judge the translator's own calls. */
	return -EINVAL;
}

long sys_prctl(struct cpu *cpu, const uint64_t a[6])
{
	switch (a[0]) {
	case X86_PR_GET_AUXV: {
		size_t n = rt_proc.auxv_bytes < a[2] ? rt_proc.auxv_bytes : a[2];
		if (a[3] || a[4])
			return -EINVAL;
		if (n && guest_write(a[1], rt_proc.auxv, n))
			return -EFAULT;
		return (long)rt_proc.auxv_bytes;
	}
	case PR_SET_SECCOMP: return -EINVAL;
	case PR_SET_MM: return -EPERM;
	}
	return abi_syscall(ABI_NR_prctl, a);
}

long sys_personality(struct cpu *cpu, const uint64_t a[6])
{
	unsigned long old = rt_proc.personality;
	if ((uint32_t)a[0] == 0xffffffff)
		return (long)old;
	/* The host keeps the flags (ADDR_NO_RANDOMIZE reaches exec'd
	 * programs); the execution domain is the guest's alone. */
	long r = personality(((uint32_t)a[0] & ~PER_MASK) | PER_LINUX);
	if (r < 0)
		return -errno;
	rt_proc.personality = (uint32_t)a[0];
	return (long)old;
}

long sys_uname(struct cpu *cpu, const uint64_t a[6])
{
	struct utsname u;
	if (uname(&u))
		return -errno;
	const char *machine = (rt_proc.personality & PER_MASK) == PER_LINUX32 ? "i686" : "x86_64";
	memset(u.machine, 0, sizeof u.machine);
	strcpy(u.machine, machine);
	return guest_write(a[0], &u, sizeof u);
}

long sys_execve(struct cpu *cpu, const uint64_t a[6])
{
	char path[4096];
	long r = guest_strncpy(path, a[0], sizeof path);
	if (r < 0)
		return r;
	return exec_guest(AT_FDCWD, path, a[1], a[2], 0);
}

long sys_execveat(struct cpu *cpu, const uint64_t a[6])
{
	char path[4096];
	long r = guest_strncpy(path, a[1], sizeof path);
	if (r < 0)
		return r;
	return exec_guest((int)a[0], path, a[2], a[3], (int)a[4]);
}
