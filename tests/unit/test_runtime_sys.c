/* test_runtime_sys.c — the system calls the runtime answers itself,
 * called as the guest would (x86-64 arguments), checked against what
 * x86-64 Linux does and against the host state they must leave. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/fake_x86.h"
#include "translator/runtime/abi.h"
#include "translator/runtime/runtime.h"
#include "translator/runtime/syscalls.h"

static struct cpu cpu;

/* As the runtime's fault handler does, bad guest pointers become EFAULT;
 * cmocka installs its own handler around every test, so each call puts
 * this one back. */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	guest_copy_fault();
	abort();
}

static long call(sys_fn fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER};
	sigaction(SIGSEGV, &sa, NULL);
	const uint64_t a[6] = {a0, a1, a2, a3, 0, 0};
	return fn(&cpu, a);
}

static char *slurp_fd(int fd, size_t *len)
{
	static char buf[1 << 16];
	size_t n = 0;
	ssize_t r;
	while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	buf[n] = 0;
	*len = n;
	return buf;
}

static void test_uname_is_x86_64(void **state)
{
	struct utsname u, host;
	uname(&host);
	assert_int_equal(call(sys_uname, (uintptr_t)&u, 0, 0, 0), 0);
	assert_string_equal(u.machine, "x86_64");
	assert_string_equal(u.release, host.release);
	assert_int_equal(call(sys_uname, 8, 0, 0, 0), -EFAULT);
}

static void test_personality(void **state)
{
	rt_proc.personality = PER_LINUX;
	assert_int_equal(call(sys_personality, 0xffffffff, 0, 0, 0), PER_LINUX);
	assert_int_equal(call(sys_personality, PER_LINUX32, 0, 0, 0), PER_LINUX);
	struct utsname u;
	call(sys_uname, (uintptr_t)&u, 0, 0, 0);
	assert_string_equal(u.machine, "i686");
	/* The host keeps its own execution domain. */
	assert_int_equal(personality(0xffffffff) & PER_MASK, PER_LINUX);
	assert_int_equal(call(sys_personality, PER_LINUX, 0, 0, 0), PER_LINUX32);
}

static void test_arch_prctl(void **state)
{
	uint64_t v = 0;
	assert_int_equal(call(sys_arch_prctl, 0x1002, 0x7f0012345000, 0, 0), 0);
	assert_int_equal(cpu.fs_base, 0x7f0012345000);
	assert_int_equal(call(sys_arch_prctl, 0x1003, (uintptr_t)&v, 0, 0), 0);
	assert_int_equal(v, 0x7f0012345000);
	assert_int_equal(call(sys_arch_prctl, 0x1001, 0x1234, 0, 0), 0);
	assert_int_equal(cpu.gs_base, 0x1234);
	assert_int_equal(call(sys_arch_prctl, 0x1002, 1ull << 47, 0, 0), -EPERM);
	assert_int_equal(call(sys_arch_prctl, 0x1004, 8, 0, 0), -EFAULT);
	assert_int_equal(call(sys_arch_prctl, 0x1011, 0, 0, 0), 1);
	assert_int_equal(call(sys_arch_prctl, 0x1012, 0, 0, 0), -ENODEV);
	assert_int_equal(call(sys_arch_prctl, 0x1021, (uintptr_t)&v, 0, 0), 0);
	assert_int_equal(v, 7); /* the fake CPU's XSAVE features: x87, SSE, AVX */
	assert_int_equal(call(sys_arch_prctl, 0x1023, 2, 0, 0), 0);
	assert_int_equal(call(sys_arch_prctl, 0x1023, 18, 0, 0), -EOPNOTSUPP);
	assert_int_equal(call(sys_arch_prctl, 0x3001, 0, 0, 0), -EINVAL);
}

static void test_sigprocmask_keeps_fault_signals(void **state)
{
	uint64_t set = 1ull << (SIGSEGV - 1) | 1ull << (SIGUSR1 - 1) | 1ull << (SIGKILL - 1);
	uint64_t old = 0, host = 0;
	assert_int_equal(call(sys_rt_sigprocmask, SIG_BLOCK, (uintptr_t)&set, 0, 8), 0);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &host, 8);
	/* The host never blocks the runtime's fault signal; SIGKILL never. */
	assert_int_equal(host & (1ull << (SIGSEGV - 1)), 0);
	assert_int_not_equal(host & (1ull << (SIGUSR1 - 1)), 0);
	assert_int_equal(call(sys_rt_sigprocmask, SIG_UNBLOCK, 0, (uintptr_t)&old, 8), 0);
	assert_int_equal(old, set & ~(1ull << (SIGKILL - 1)));
	assert_int_equal(call(sys_rt_sigprocmask, SIG_SETMASK, (uintptr_t) & (uint64_t){0}, 0, 8),
			 0);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &host, 8);
	assert_int_equal(host & (1ull << (SIGUSR1 - 1)), 0);
	assert_int_equal(call(sys_rt_sigprocmask, 7, (uintptr_t)&set, 0, 8), -EINVAL);
	assert_int_equal(call(sys_rt_sigprocmask, SIG_BLOCK, (uintptr_t)&set, 0, 4), -EINVAL);
}

static void test_sigaction(void **state)
{
	struct abi_x86_sigaction ign = {1, 0, 0, 0}, handler = {0x401000, 0x04000004, 0x401100, 6},
				 old;
	struct sigaction host;
	assert_int_equal(call(sys_rt_sigaction, SIGPIPE, (uintptr_t)&ign, 0, 8), 0);
	sigaction(SIGPIPE, NULL, &host);
	assert_ptr_equal(host.sa_handler, SIG_IGN);
	/* A guest handler is recorded (and read back); the host gets the
	 * runtime's, which defers delivery, always restarting (sigdeliver.c). */
	assert_int_equal(call(sys_rt_sigaction, SIGPIPE, (uintptr_t)&handler, (uintptr_t)&old, 8),
			 0);
	assert_int_equal(old.handler, 1);
	sigaction(SIGPIPE, NULL, &host);
	assert_ptr_not_equal(host.sa_handler, SIG_DFL);
	assert_ptr_not_equal(host.sa_handler, SIG_IGN);
	assert_int_not_equal((uintptr_t)host.sa_sigaction, handler.handler);
	assert_int_equal(host.sa_flags & (SA_SIGINFO | SA_RESTART), SA_SIGINFO | SA_RESTART);
	assert_int_equal(call(sys_rt_sigaction, SIGPIPE, 0, (uintptr_t)&old, 8), 0);
	assert_memory_equal(&old, &handler, sizeof old);
	/* SIGBUS (like SIGSEGV) stays the runtime's on the host. */
	struct sigaction mine = {.sa_handler = SIG_IGN};
	sigaction(SIGBUS, &mine, NULL);
	assert_int_equal(
		call(sys_rt_sigaction, SIGBUS, (uintptr_t) & (struct abi_x86_sigaction){0}, 0, 8),
		0);
	sigaction(SIGBUS, NULL, &host);
	assert_ptr_equal(host.sa_handler, SIG_IGN);
	signal(SIGBUS, SIG_DFL);
	assert_int_equal(call(sys_rt_sigaction, SIGKILL, (uintptr_t)&ign, 0, 8), -EINVAL);
	assert_int_equal(call(sys_rt_sigaction, 65, 0, 0, 8), -EINVAL);
	assert_int_equal(call(sys_rt_sigaction, SIGPIPE, 8, 0, 8), -EFAULT);
	call(sys_rt_sigaction, SIGPIPE, (uintptr_t) & (struct abi_x86_sigaction){0}, 0, 8);
}

static void test_sigaltstack(void **state)
{
	struct {
		uint64_t sp;
		int32_t flags, pad;
		uint64_t size;
	} ss = {0x7000000, 0, 0, 1 << 16}, old;
	assert_int_equal(call(sys_sigaltstack, 0, (uintptr_t)&old, 0, 0), 0);
	assert_int_equal(old.flags, 2); /* SS_DISABLE */
	assert_int_equal(call(sys_sigaltstack, (uintptr_t)&ss, 0, 0, 0), 0);
	assert_int_equal(call(sys_sigaltstack, 0, (uintptr_t)&old, 0, 0), 0);
	assert_int_equal(old.sp, 0x7000000);
	assert_int_equal(old.size, 1 << 16);
	ss.size = 1000;
	assert_int_equal(call(sys_sigaltstack, (uintptr_t)&ss, 0, 0, 0), -ENOMEM);
	ss.flags = 5;
	assert_int_equal(call(sys_sigaltstack, (uintptr_t)&ss, 0, 0, 0), -EINVAL);
}

static void test_proc_self_files(void **state)
{
	static char *argv[] = {"/usr/bin/prog", "--flag", "x y", NULL};
	static const uint64_t auxv[] = {6, 4096, 25, 0x1234, 0, 0};
	rt_proc.argc = 3;
	rt_proc.argv = argv;
	rt_proc.auxv = auxv;
	rt_proc.auxv_bytes = sizeof auxv;
	rt_proc.exe_path = "/usr/bin/prog";

	char buf[64];
	assert_int_equal(call(sys_readlink, (uintptr_t) "/proc/self/exe", (uintptr_t)buf, 64, 0),
			 13);
	assert_memory_equal(buf, "/usr/bin/prog", 13);
	assert_int_equal(
		call(sys_readlinkat, AT_FDCWD, (uintptr_t) "/proc/self/exe", (uintptr_t)buf, 4), 4);
	long fd = call(sys_open, (uintptr_t) "/proc/self/cmdline", O_RDONLY | O_CLOEXEC, 0, 0);
	assert_true(fd >= 0);
	assert_int_equal(fcntl((int)fd, F_GETFD), FD_CLOEXEC);
	size_t len;
	char *s = slurp_fd((int)fd, &len);
	assert_int_equal(len, sizeof "/usr/bin/prog\0--flag\0x y");
	assert_memory_equal(s, "/usr/bin/prog\0--flag\0x y", len);
	close((int)fd);
	fd = call(sys_openat, AT_FDCWD, (uintptr_t) "/proc/self/auxv", O_RDONLY, 0);
	s = slurp_fd((int)fd, &len);
	assert_int_equal(len, sizeof auxv);
	assert_memory_equal(s, auxv, len);
	close((int)fd);
	assert_int_equal(call(sys_open, (uintptr_t) "/proc/self/maps", O_RDWR, 0, 0), -EACCES);
	/* Anything else is the host's. */
	fd = call(sys_open, (uintptr_t) "/proc/self/status", O_RDONLY, 0, 0);
	s = slurp_fd((int)fd, &len);
	assert_non_null(strstr(s, "Name:"));
	close((int)fd);
	assert_int_equal(call(sys_open, 8, O_RDONLY, 0, 0), -EFAULT);

	uint64_t out[8];
	assert_int_equal(call(sys_prctl, 0x41555856, (uintptr_t)out, sizeof out, 0), sizeof auxv);
	assert_memory_equal(out, auxv, sizeof auxv);
}

static void test_shebang(void **state)
{
	char a[] = "#!/usr/bin/env  -S  python3 -u \nprint()", *interp, *arg;
	assert_true(exec_shebang(a, sizeof a - 1, &interp, &arg));
	assert_string_equal(interp, "/usr/bin/env");
	assert_string_equal(arg, "-S  python3 -u");
	char b[] = "#!/bin/sh\n", c[] = "#! \n",
	     d[] = "\x7f"
		   "ELF";
	assert_true(exec_shebang(b, sizeof b - 1, &interp, &arg));
	assert_string_equal(interp, "/bin/sh");
	assert_null(arg);
	assert_false(exec_shebang(c, sizeof c - 1, &interp, &arg));
	assert_false(exec_shebang(d, sizeof d - 1, &interp, &arg));
}

static void test_vsyscall(void **state)
{
	uint64_t stack[2] = {0x401234, 0};
	uint64_t t = 0;
	memset(&cpu, 0, sizeof cpu);
	cpu.rip = VSYSCALL_ADDR + 0x400; /* time(&t) */
	cpu.gpr[X86_RDI] = (uintptr_t)&t;
	cpu.gpr[X86_RSP] = (uintptr_t)stack;
	cpu.fault = (struct x86_fault){.signo = X86_SIGSEGV, .addr = cpu.rip};
	assert_true(vsyscall_emulate(&cpu));
	assert_int_equal(cpu.rip, 0x401234);
	assert_int_equal(cpu.gpr[X86_RSP], (uintptr_t)&stack[1]);
	assert_int_equal(cpu.gpr[X86_RAX], t);
	assert_true(t > 1600000000);
	cpu.rip = VSYSCALL_ADDR + 0x10;
	cpu.fault.addr = cpu.rip;
	assert_false(vsyscall_emulate(&cpu));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uname_is_x86_64),
		cmocka_unit_test(test_personality),
		cmocka_unit_test(test_arch_prctl),
		cmocka_unit_test(test_sigprocmask_keeps_fault_signals),
		cmocka_unit_test(test_sigaction),
		cmocka_unit_test(test_sigaltstack),
		cmocka_unit_test(test_proc_self_files),
		cmocka_unit_test(test_shebang),
		cmocka_unit_test(test_vsyscall),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
