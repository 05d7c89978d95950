/* test_abi.h — what the guest syscall ABI tests share: a tiny assertion
 * kit, the call helper, and the x86-64 ABI's own numbers, values and
 * structure layouts, written from the x86-64 ABI independently of the
 * layer under test. */
#ifndef TEST_ABI_H
#define TEST_ABI_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "translator/runtime/abi.h"

/* ---- assertions -------------------------------------------------------- */
void test_check(int ok, const char *what, int line);
void test_check_eq(long long a, long long b, const char *as, const char *bs, int line);
void test_skip(const char *why);
#define CHECK(cond)	  test_check(!!(cond), #cond, __LINE__)
#define CHECK_EQ(a, b)	  test_check_eq((long long)(a), (long long)(b), #a, #b, __LINE__)
#define CHECK_ERR(r, err) CHECK_EQ(r, -(err))

/* ---- calls ------------------------------------------------------------- */
long test_sys(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
	      uint64_t a5);
#define SYS(...) sys_pad_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
#define sys_pad_(nr, a0, a1, a2, a3, a4, a5, ...)                                                  \
	test_sys(nr, (uint64_t)(a0), (uint64_t)(a1), (uint64_t)(a2), (uint64_t)(a3),               \
		 (uint64_t)(a4), (uint64_t)(a5))

/* A fresh path in the test's scratch directory. */
const char *tpath(const char *name);
extern const char *test_dir;

/* True when this program runs with the aarch64 conversions. */
#if defined(__aarch64__)
#define ON_AARCH64    1
#define H_O_LARGEFILE 0400000 /* the host's, which glibc spells 0 */
#else
#define ON_AARCH64    0
#define H_O_LARGEFILE 0100000
#endif

/* ---- x86-64 system call numbers ---------------------------------------- */
enum {
	X_read = 0,
	X_write = 1,
	X_open = 2,
	X_close = 3,
	X_stat = 4,
	X_fstat = 5,
	X_lstat = 6,
	X_poll = 7,
	X_ioctl = 16,
	X_access = 21,
	X_pipe = 22,
	X_select = 23,
	X_dup2 = 33,
	X_pause = 34,
	X_alarm = 37,
	X_sendmsg = 46,
	X_recvmsg = 47,
	X_uname = 63,
	X_semget = 64,
	X_semctl = 66,
	X_shmget = 29,
	X_shmctl = 31,
	X_msgget = 68,
	X_msgctl = 71,
	X_fcntl = 72,
	X_getdents = 78,
	X_rename = 82,
	X_mkdir = 83,
	X_rmdir = 84,
	X_creat = 85,
	X_link = 86,
	X_unlink = 87,
	X_symlink = 88,
	X_readlink = 89,
	X_chmod = 90,
	X_chown = 92,
	X_lchown = 94,
	X_getrlimit = 97,
	X_getrusage = 98,
	X_sysinfo = 99,
	X_getpgrp = 111,
	X_utime = 132,
	X_mknod = 133,
	X_uselib = 134,
	X_ustat = 136,
	X_statfs = 137,
	X_fstatfs = 138,
	X_sysfs = 139,
	X_prctl = 157,
	X_arch_prctl = 158,
	X_time = 201,
	X_epoll_create = 213,
	X_getdents64 = 217,
	X_epoll_wait = 232,
	X_epoll_ctl = 233,
	X_utimes = 235,
	X_inotify_init = 253,
	X_openat = 257,
	X_futimesat = 261,
	X_newfstatat = 262,
	X_epoll_pwait = 281,
	X_signalfd = 282,
	X_eventfd = 284,
	X_pipe2 = 293,
	X_fanotify_init = 300,
	X_open_by_handle_at = 304,
	X_seccomp = 317,
	X_openat2 = 437,
	X_epoll_pwait2 = 441,
};

/* ---- x86-64 values ----------------------------------------------------- */
enum {
	X_EPERM = 1,
	X_ENOENT = 2,
	X_EINTR = 4,
	X_EBADF = 9,
	X_EACCES = 13,
	X_EFAULT = 14,
	X_EEXIST = 17,
	X_ENOTDIR = 20,
	X_EINVAL = 22,
	X_ENOTTY = 25,
	X_ENOSYS = 38,
	X_ELOOP = 40,
};
#define X_O_RDONLY	      0
#define X_O_WRONLY	      01
#define X_O_RDWR	      02
#define X_O_CREAT	      0100
#define X_O_EXCL	      0200
#define X_O_TRUNC	      01000
#define X_O_APPEND	      02000
#define X_O_NONBLOCK	      04000
#define X_O_DIRECT	      040000
#define X_O_LARGEFILE	      0100000
#define X_O_DIRECTORY	      0200000
#define X_O_NOFOLLOW	      0400000
#define X_O_CLOEXEC	      02000000
#define X_O_TMPFILE	      (020000000 | X_O_DIRECTORY)
#define X_AT_FDCWD	      (-100)
#define X_AT_SYMLINK_NOFOLLOW 0x100
#define X_F_GETFD	      1
#define X_F_GETFL	      3
#define X_F_SETFL	      4

/* ---- x86-64 structures ------------------------------------------------- */
struct x_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	int64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t unused[3];
};
_Static_assert(sizeof(struct x_stat) == 144, "x86-64 struct stat");

struct x_epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));
_Static_assert(sizeof(struct x_epoll_event) == 12, "x86-64 struct epoll_event");

struct x_timeval {
	int64_t sec, usec;
};

struct x_statfs {
	int64_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree;
	int32_t fsid[2];
	int64_t namelen, frsize, flags, spare[4];
};
_Static_assert(sizeof(struct x_statfs) == 120, "x86-64 struct statfs");

struct x_ipc_perm {
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint16_t mode, pad1, seq, pad2;
	uint64_t unused1, unused2;
};
struct x_semid_ds {
	struct x_ipc_perm perm;
	int64_t otime;
	uint64_t unused1;
	int64_t ctime;
	uint64_t unused2;
	uint64_t nsems, unused3, unused4;
};
_Static_assert(sizeof(struct x_semid_ds) == 104, "x86-64 struct semid64_ds");
struct x_msqid_ds {
	struct x_ipc_perm perm;
	int64_t stime, rtime, ctime;
	uint64_t cbytes, qnum, qbytes;
	int32_t lspid, lrpid;
	uint64_t unused4, unused5;
};
_Static_assert(sizeof(struct x_msqid_ds) == 120, "x86-64 struct msqid64_ds");
struct x_shmid_ds {
	struct x_ipc_perm perm;
	uint64_t segsz;
	int64_t atime, dtime, ctime;
	int32_t cpid, lpid;
	uint64_t nattch, unused4, unused5;
};
_Static_assert(sizeof(struct x_shmid_ds) == 112, "x86-64 struct shmid64_ds");

/* struct termios as the kernel's TCGETS fills it. */
struct x_termios {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[19];
};
_Static_assert(sizeof(struct x_termios) == 36, "x86-64 kernel struct termios");

struct x_iovec {
	uint64_t base, len;
};
struct x_msghdr {
	uint64_t name;
	uint32_t namelen, pad;
	uint64_t iov, iovlen, control, controllen;
	int32_t flags, pad2;
};
_Static_assert(sizeof(struct x_msghdr) == 56, "x86-64 struct msghdr");

/* ---- the tests --------------------------------------------------------- */
void test_fs_stat(void);
void test_fs_open_flags(void);
void test_fs_paths(void);
void test_fs_times(void);
void test_fs_getdents(void);
void test_fs_statfs(void);
void test_io_pipe_dup(void);
void test_io_poll_select(void);
void test_io_epoll(void);
void test_io_fds(void);
void test_io_ioctl(void);
void test_io_msg(void);
void test_sys_time(void);
void test_sys_identity(void);
void test_sys_ipc(void);
void test_sys_info(void);
void test_sys_clone(void);
void test_sys_obsolete(void);
void test_sys_refused(void);
void test_guest_copy(void);

#endif
