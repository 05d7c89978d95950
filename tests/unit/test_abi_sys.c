/* test_abi_sys.c — time, identity, System V IPC, process information,
 * clone's argument order, the obsolete calls, and what is refused. */
#include "test_abi.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;
static void on_alarm(int sig)
{
	alarms++;
}

void test_sys_time(void)
{
	int64_t t = 0;
	time_t before = time(NULL);
	long r = SYS(X_time, &t);
	CHECK(r >= before - 1 && r <= time(NULL) + 1);
	CHECK_EQ(t, r);
	CHECK(SYS(X_time, NULL) >= before - 1);
	CHECK_ERR(SYS(X_time, 8), X_EFAULT);

	/* alarm: the previous alarm's seconds, rounded, never 0 if pending. */
	CHECK_EQ(SYS(X_alarm, 0), 0);
	CHECK_EQ(SYS(X_alarm, 100), 0);
	CHECK_EQ(SYS(X_alarm, 50), 100);
	struct itimerval it;
	CHECK_EQ(getitimer(ITIMER_REAL, &it), 0);
	CHECK(it.it_value.tv_sec <= 50 && it.it_value.tv_sec >= 48);
	CHECK_EQ(SYS(X_alarm, 0), 50);
	CHECK_EQ(getitimer(ITIMER_REAL, &it), 0);
	CHECK_EQ(it.it_value.tv_sec | it.it_value.tv_usec, 0);
	struct itimerval tiny = {.it_value = {0, 300000}};
	CHECK_EQ(setitimer(ITIMER_REAL, &tiny, NULL), 0);
	CHECK_EQ(SYS(X_alarm, 0), 1);

	/* pause returns EINTR once a handled signal arrives. */
	struct sigaction sa = {.sa_handler = on_alarm}, old;
	CHECK_EQ(sigaction(SIGALRM, &sa, &old), 0);
	struct itimerval soon = {.it_value = {0, 20000}};
	CHECK_EQ(setitimer(ITIMER_REAL, &soon, NULL), 0);
	CHECK_ERR(SYS(X_pause), X_EINTR);
	CHECK_EQ(alarms, 1);
	CHECK_EQ(sigaction(SIGALRM, &old, NULL), 0);
}

void test_sys_identity(void)
{
	struct utsname h, x;
	CHECK_EQ(uname(&h), 0);
	memset(&x, 0x5a, sizeof(x));
	CHECK_EQ(SYS(X_uname, &x), 0);
	CHECK(strcmp(x.machine, "x86_64") == 0);
	CHECK(strcmp(x.sysname, h.sysname) == 0);
	CHECK(strcmp(x.release, h.release) == 0);
	CHECK(strcmp(x.nodename, h.nodename) == 0);
	CHECK_ERR(SYS(X_uname, NULL), X_EFAULT);
	CHECK_EQ(SYS(X_getpgrp), getpgrp());

	char name[16] = "";
	CHECK_EQ(SYS(X_prctl, PR_GET_NAME, name), 0);
	char hname[16] = "";
	CHECK_EQ(prctl(PR_GET_NAME, hname), 0);
	CHECK(strcmp(name, hname) == 0);
}

void test_sys_ipc(void)
{
	int id = semget(IPC_PRIVATE, 3, 0600);
	if (id < 0) {
		test_skip("no System V semaphores");
		return;
	}
	struct x_semid_ds x;
	memset(&x, 0xa5, sizeof(x));
	CHECK_EQ(SYS(X_semctl, id, 0, 2 /* IPC_STAT */, &x), 0);
	CHECK_EQ(x.nsems, 3);
	CHECK_EQ(x.perm.mode, 0600);
	CHECK_EQ(x.perm.uid, getuid());
	CHECK_EQ(x.perm.cgid, getgid());
	CHECK_EQ(x.otime, 0);
	CHECK(x.ctime > 0 && x.ctime <= time(NULL));
	x.perm.mode = 0640;
	CHECK_EQ(SYS(X_semctl, id, 0, 1 /* IPC_SET */, &x), 0);
	struct semid_ds h;
	CHECK_EQ(semctl(id, 0, IPC_STAT, &h), 0);
	CHECK_EQ(h.sem_perm.mode & 0777, 0640);
	CHECK_EQ(h.sem_nsems, 3);
	CHECK_EQ(SYS(X_semctl, id, 1, 16 /* SETVAL */, 7), 0);
	CHECK_EQ(semctl(id, 1, GETVAL), 7);
	CHECK_EQ(SYS(X_semctl, id, 1, 12 /* GETVAL */), 7);
	CHECK_ERR(SYS(X_semctl, id, 0, 2, NULL), X_EFAULT);
	CHECK_EQ(SYS(X_semctl, id, 0, 0 /* IPC_RMID */), 0);
	CHECK_ERR(SYS(X_semctl, id, 0, 2, &x), X_EINVAL);

	int q = msgget(IPC_PRIVATE, 0600);
	CHECK(q >= 0);
	struct msqid_ds hq;
	CHECK_EQ(msgctl(q, IPC_STAT, &hq), 0);
	struct x_msqid_ds xq;
	memset(&xq, 0xa5, sizeof(xq));
	CHECK_EQ(SYS(X_msgctl, q, 2, &xq), 0);
	CHECK_EQ(xq.qbytes, hq.msg_qbytes);
	CHECK_EQ(xq.qnum, 0);
	CHECK_EQ(xq.perm.mode & 0777, 0600);
	CHECK_EQ(xq.ctime, hq.msg_ctime);
	CHECK_EQ(msgctl(q, IPC_RMID, NULL), 0);

	int s = shmget(IPC_PRIVATE, 8192, 0600);
	CHECK(s >= 0);
	struct x_shmid_ds xs;
	memset(&xs, 0xa5, sizeof(xs));
	CHECK_EQ(SYS(X_shmctl, s, 2, &xs), 0);
	CHECK_EQ(xs.segsz, 8192);
	CHECK_EQ(xs.cpid, getpid());
	CHECK_EQ(xs.nattch, 0);
	CHECK_EQ(shmctl(s, IPC_RMID, NULL), 0);
}

void test_sys_info(void)
{
	struct rlimit h;
	uint64_t x[2];
	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &h), 0);
	CHECK_EQ(SYS(X_getrlimit, 7 /* RLIMIT_NOFILE */, x), 0);
	CHECK_EQ(x[0], h.rlim_cur);
	CHECK_EQ(x[1], h.rlim_max);

	/* struct rusage: two timevals then 14 longs; ru_maxrss at 32. */
	int64_t ru[18];
	CHECK_EQ(SYS(X_getrusage, 0, ru), 0);
	struct rusage hr;
	CHECK_EQ(getrusage(RUSAGE_SELF, &hr), 0);
	CHECK(ru[4] > 0 && ru[4] <= hr.ru_maxrss);

	/* struct sysinfo: totalram at 32, procs (u16) at 80, mem_unit at 104. */
	unsigned char si[112];
	CHECK_EQ(SYS(X_sysinfo, si), 0);
	struct sysinfo hs;
	CHECK_EQ(sysinfo(&hs), 0);
	uint64_t total;
	uint32_t unit;
	memcpy(&total, si + 32, 8);
	memcpy(&unit, si + 104, 4);
	CHECK_EQ(total, hs.totalram);
	CHECK_EQ(unit, hs.mem_unit);
}

/* The runtime's clone path: x86-64 (flags, stack, ptid, ctid, tls) put in
 * the host's order, here run as a fork that records both tids. */
void test_sys_clone(void)
{
	int32_t ptid = 0, ctid = 0;
	uint64_t x86[6] = {SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID,
			   0,
			   (uint64_t)&ptid,
			   (uint64_t)&ctid,
			   0,
			   0};
	uint64_t host[6];
	long nr = abi_clone_args_to_host(x86, host);
	CHECK_EQ(nr, SYS_clone);
	long pid = syscall(nr, host[0], host[1], host[2], host[3], host[4], host[5]);
	if (pid == 0)
		_exit(ctid == (int32_t)syscall(SYS_gettid) ? 0 : 1);
	CHECK(pid > 0);
	int status = -1;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* qemu-user stores the parent's tid in the child's memory instead. */
	CHECK(ptid == pid || ON_AARCH64);
	CHECK_EQ(ctid, 0); /* the child's copy, not ours */

	abi_fork_as_clone(ABI_NR_fork, x86);
	CHECK_EQ(x86[0], SIGCHLD);
	nr = abi_clone_args_to_host(x86, host);
	pid = syscall(nr, host[0], host[1], host[2], host[3], host[4], host[5]);
	if (pid == 0)
		_exit(42);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	abi_fork_as_clone(ABI_NR_vfork, x86);
	CHECK_EQ(x86[0], SIGCHLD | CLONE_VM | CLONE_VFORK);
	CHECK_EQ(abi_syscall_kind(ABI_NR_fork), ABI_RUNTIME);
	CHECK_EQ(abi_syscall_kind(ABI_NR_clone), ABI_RUNTIME);
}

/* Names from /proc/filesystems, in order: sysfs(2)'s indices. */
static int fs_types(char names[][128], int max)
{
	FILE *f = fopen("/proc/filesystems", "r");
	if (!f)
		return -1;
	char line[128];
	int n = 0;
	while (fgets(line, sizeof(line), f) && n < max) {
		char *tab = strchr(line, '\t');
		snprintf(names[n++], 128, "%s", tab ? tab + 1 : line);
		names[n - 1][strcspn(names[n - 1], "\n")] = 0;
	}
	fclose(f);
	return n;
}

void test_sys_obsolete(void)
{
	static char names[128][128];
	int n = fs_types(names, 128);
	long count = SYS(X_sysfs, 3);
	if (count == -X_ENOSYS && !ON_AARCH64) {
		test_skip("host kernel built without sysfs(2)");
	} else if (n < 0) {
		test_skip("no /proc");
	} else {
		CHECK_EQ(count, n);
		char buf[64];
		for (int i = 0; i < n; i += n / 4 + 1) {
			memset(buf, 0, sizeof(buf));
			CHECK_EQ(SYS(X_sysfs, 2, i, buf), 0);
			CHECK(strcmp(buf, names[i]) == 0);
			CHECK_EQ(SYS(X_sysfs, 1, names[i]), i);
		}
		CHECK_ERR(SYS(X_sysfs, 2, n, buf), X_EINVAL);
		CHECK_ERR(SYS(X_sysfs, 1, "no-such-filesystem"), X_EINVAL);
		CHECK_ERR(SYS(X_sysfs, 4), X_EINVAL);
	}

	/* ustat: free blocks and inodes of the file system holding a device. */
	struct stat st;
	CHECK_EQ(stat(test_dir, &st), 0);
	struct {
		int32_t tfree;
		uint64_t tinode;
		char fname[6], fpack[6];
	} u;
	memset(&u, 0xa5, sizeof(u));
	long r = SYS(X_ustat, (unsigned)st.st_dev, &u);
	struct statfs sf;
	CHECK_EQ(statfs(test_dir, &sf), 0);
	CHECK_EQ(r, 0);
	if (r == 0) {
		/* Others may be writing to this file system meanwhile. */
		int64_t d = (int64_t)u.tfree - (int32_t)sf.f_bfree;
		CHECK(d > -65536 && d < 65536);
		CHECK(u.tinode - sf.f_ffree + 65536 < 2 * 65536);
		CHECK_EQ(u.fname[0] | u.fpack[0], 0);
	}
	CHECK_ERR(SYS(X_ustat, makedev(4095, 0xffff0), &u), X_EINVAL);
	if (abi_syscall_kind(X_uselib) == ABI_ENOSYS)
		CHECK_ERR(SYS(X_uselib, "/nonexistent"), X_ENOSYS);
}

/* What aarch64 refuses: a guest seccomp filter would judge the translator's
 * own calls. Not exercised on x86-64, where the call is the kernel's. */
void test_sys_refused(void)
{
	if (!ON_AARCH64) {
		CHECK_EQ(abi_syscall_kind(X_seccomp), ABI_DIRECT);
		return;
	}
	CHECK_EQ(abi_syscall_kind(X_seccomp), ABI_ENOSYS);
	CHECK_ERR(SYS(X_seccomp, 0, 0, 0), X_ENOSYS);
	CHECK_ERR(SYS(X_prctl, PR_SET_SECCOMP, 2, 0), X_EINVAL);
	CHECK_EQ(SYS(X_prctl, PR_GET_SECCOMP), prctl(PR_GET_SECCOMP) < 0 ? -errno : 0);
	CHECK_EQ(abi_syscall_kind(ABI_NR_io_uring_setup), ABI_ENOSYS);
}
