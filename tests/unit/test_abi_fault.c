/* test_abi_fault.c — bad guest pointers give EFAULT, as from the kernel,
 * also where the layer copies a structure itself: with fault-catching copy
 * functions installed (as the runtime installs its own), a pointer running
 * into an unmapped page fails the call instead of the process. */
#include "test_abi.h"

#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <unistd.h>

static __thread sigjmp_buf *volatile recover;

static void on_segv(int sig)
{
	sigjmp_buf *r = recover;
	if (!r) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	recover = NULL;
	siglongjmp(*r, 1);
}

static long copy_read(void *dst, uint64_t src, size_t len)
{
	sigjmp_buf jb;
	if (sigsetjmp(jb, 0))
		return -X_EFAULT;
	recover = &jb;
	memcpy(dst, (const void *)(uintptr_t)src, len);
	recover = NULL;
	return 0;
}

static long copy_write(uint64_t dst, const void *src, size_t len)
{
	sigjmp_buf jb;
	if (sigsetjmp(jb, 0))
		return -X_EFAULT;
	recover = &jb;
	memcpy((void *)(uintptr_t)dst, src, len);
	recover = NULL;
	return 0;
}

void test_guest_copy(void)
{
	struct sigaction sa = {.sa_handler = on_segv, .sa_flags = SA_NODEFER}, old;
	CHECK_EQ(sigaction(SIGSEGV, &sa, &old), 0);
	abi_set_guest_copy(&(struct abi_guest_copy){copy_read, copy_write});

	/* A mapped page followed by a hole. */
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(page != MAP_FAILED);
	CHECK_EQ(munmap(page + 4096, 4096), 0);
	uint64_t hole = (uint64_t)(page + 4096);

	/* struct stat: the host's 128 bytes fit, the x86-64 layout's 144 not. */
	CHECK_ERR(SYS(X_stat, test_dir, hole - 128), X_EFAULT);
	CHECK_EQ(SYS(X_stat, test_dir, hole - 144), 0);
	CHECK_ERR(SYS(X_time, hole - 4), X_EFAULT);
	CHECK_ERR(SYS(X_utimes, test_dir, hole - 16), X_EFAULT);
	fd_set r;
	FD_ZERO(&r);
	CHECK_ERR(SYS(X_select, 0, &r, NULL, NULL, hole - 8), X_EFAULT);
	if (SYS(X_sysfs, 3) != -X_ENOSYS) /* x86-64 kernels may lack sysfs(2) */
		CHECK_ERR(SYS(X_sysfs, 1, hole), X_EFAULT);

	long ep = SYS(X_epoll_create, 1);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(SYS(X_epoll_ctl, ep, EPOLL_CTL_ADD, p[1], hole - 4), X_EFAULT);
	struct x_epoll_event ev = {EPOLLOUT, 1};
	CHECK_EQ(SYS(X_epoll_ctl, ep, EPOLL_CTL_ADD, p[1], &ev), 0);
	CHECK_ERR(SYS(X_epoll_wait, ep, hole, 1, 0), X_EFAULT);
	CHECK_EQ(SYS(X_epoll_wait, ep, hole - 12, 1, 0), 1);
	close(ep);
	close(p[0]);
	close(p[1]);

	int id = semget(IPC_PRIVATE, 1, 0600);
	if (id >= 0) {
		CHECK_ERR(SYS(X_semctl, id, 0, 2 /* IPC_STAT */, hole - 64), X_EFAULT);
		CHECK_ERR(SYS(X_semctl, id, 0, 1 /* IPC_SET */, hole - 64), X_EFAULT);
		semctl(id, 0, IPC_RMID);
	}

	CHECK_EQ(munmap(page, 4096), 0);
	CHECK_EQ(sigaction(SIGSEGV, &old, NULL), 0);
}
