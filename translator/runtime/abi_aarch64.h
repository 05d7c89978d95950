/* abi_aarch64.h — the converters of the aarch64 table (abi_aarch64.c), one
 * per x86-64 call that aarch64 lacks or that needs conversion. Each takes
 * the guest's six arguments and returns the x86-64 result. */
#ifndef XLATE_ABI_AARCH64_H
#define XLATE_ABI_AARCH64_H

#include "translator/runtime/abi_impl.h"

/* The aarch64 kernel's values of the open flags whose values differ from
 * x86-64's (glibc defines O_LARGEFILE as 0 on 64-bit hosts, so these are
 * spelled out; abi_aarch64_consts.c checks the others against the host). */
#define A64_O_DIRECTORY 0040000
#define A64_O_NOFOLLOW	0100000
#define A64_O_DIRECT	0200000
#define A64_O_LARGEFILE 0400000

// clang-format off
#define A64_CONVERTERS(F) \
	/* abi_aarch64_flags.c */ \
	F(openat) F(openat2) F(open_by_handle_at) F(fcntl) F(pipe2) F(fanotify_init) \
	/* abi_aarch64_struct.c */ \
	F(fstat) F(newfstatat) F(stat) F(lstat) F(epoll_ctl) F(epoll_wait) F(epoll_pwait) \
	F(epoll_pwait2) F(semctl) F(uname) F(getdents) \
	/* abi_aarch64_path.c */ \
	F(open) F(creat) F(access) F(readlink) F(symlink) F(link) F(unlink) F(rename) F(mkdir) \
	F(rmdir) F(mknod) F(chmod) F(chown) F(lchown) F(utime) F(utimes) F(futimesat) \
	/* abi_aarch64_emul.c */ \
	F(pipe) F(dup2) F(poll) F(select) F(epoll_create) F(inotify_init) F(eventfd) \
	F(signalfd) F(time) F(alarm) F(pause) F(getpgrp) F(prctl) \
	/* abi_aarch64_ioctl.c */ \
	F(ioctl) \
	/* abi_aarch64_proc.c */ \
	F(sysfs) F(ustat)
// clang-format on

#define F(name) long a64_##name(const uint64_t a[6]);
A64_CONVERTERS(F)
#undef F

#endif
