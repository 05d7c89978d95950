/* abi_aarch64_ioctl.c — ioctl(2) on an aarch64 host.
 *
 * Both ABIs use the generic request encoding (dir:2 size:14 type:8 nr:8),
 * the generic tty and fd request numbers (asm-generic/ioctls.h) and, being
 * LP64 little-endian, the same layout for every structure not explicitly
 * arch-specific. A request whose argument size differs between the two is
 * a different number, which the host refuses with ENOTTY by itself. So
 * requests pass through, except families whose structures have the same
 * size but an arch-specific meaning. Checked below: the tty/fd requests
 * (numbers, struct termios/termios2/winsize/termio, the c_cc indices and
 * the mode bits), FIONREAD/FIONBIO/FIOCLEX/FIONCLEX/FIOASYNC/FIOQSIZE, the
 * socket fd requests, FS_IOC_GETFLAGS/SETFLAGS, FICLONE, BLKGETSIZE64. */
#if defined(__aarch64__)
#include <errno.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <asm/termbits.h>
#include <linux/fs.h>
#include <linux/sockios.h>
#include <asm/unistd.h>

#include "translator/runtime/abi_aarch64.h"

#define SAME(name, x86) _Static_assert((unsigned)(name) == (unsigned)(x86), #name)

// clang-format off
SAME(TCGETS, 0x5401); SAME(TCSETS, 0x5402); SAME(TCSETSW, 0x5403); SAME(TCSETSF, 0x5404);
SAME(TCGETA, 0x5405); SAME(TCSETA, 0x5406); SAME(TCSETAW, 0x5407); SAME(TCSETAF, 0x5408);
SAME(TCSBRK, 0x5409); SAME(TCXONC, 0x540a); SAME(TCFLSH, 0x540b); SAME(TIOCEXCL, 0x540c);
SAME(TIOCNXCL, 0x540d); SAME(TIOCSCTTY, 0x540e); SAME(TIOCGPGRP, 0x540f); SAME(TIOCSPGRP, 0x5410);
SAME(TIOCOUTQ, 0x5411); SAME(TIOCSTI, 0x5412); SAME(TIOCGWINSZ, 0x5413); SAME(TIOCSWINSZ, 0x5414);
SAME(TIOCMGET, 0x5415); SAME(TIOCMSET, 0x5418); SAME(FIONREAD, 0x541b); SAME(TIOCCONS, 0x541d);
SAME(FIONBIO, 0x5421); SAME(TIOCNOTTY, 0x5422); SAME(TIOCSETD, 0x5423); SAME(TIOCGETD, 0x5424);
SAME(TIOCGSID, 0x5429); SAME(TCGETS2, 0x802c542a); SAME(TCSETS2, 0x402c542b);
SAME(TIOCGPTN, 0x80045430); SAME(TIOCSPTLCK, 0x40045431); SAME(TIOCGPTPEER, 0x5441);
SAME(FIONCLEX, 0x5450); SAME(FIOCLEX, 0x5451); SAME(FIOASYNC, 0x5452); SAME(FIOQSIZE, 0x5460);
SAME(FIOSETOWN, 0x8901); SAME(FIOGETOWN, 0x8903); SAME(SIOCATMARK, 0x8905);
SAME(FS_IOC_GETFLAGS, 0x80086601); SAME(FS_IOC_SETFLAGS, 0x40086602); SAME(FICLONE, 0x40049409);
SAME(BLKGETSIZE64, 0x80081272); SAME(sizeof(struct termios), 36);
SAME(offsetof(struct termios, c_line), 16); SAME(offsetof(struct termios, c_cc), 17);
SAME(NCCS, 19); SAME(sizeof(struct termios2), 44); SAME(offsetof(struct termios2, c_ispeed), 36);
SAME(sizeof(struct winsize), 8); SAME(sizeof(struct termio), 18); SAME(VINTR, 0); SAME(VEOF, 4);
SAME(VTIME, 5); SAME(VMIN, 6); SAME(VSUSP, 10); SAME(ISIG, 1); SAME(ICANON, 2); SAME(ECHO, 010);
SAME(TOSTOP, 0400); SAME(IEXTEN, 0100000); SAME(ICRNL, 0400); SAME(IXON, 02000);
SAME(IUTF8, 040000); SAME(OPOST, 1); SAME(ONLCR, 4); SAME(CBAUD, 0010017); SAME(B38400, 017);
SAME(CSIZE, 060); SAME(CS8, 060); SAME(CREAD, 0200); SAME(CRTSCTS, 020000000000);
SAME(BOTHER, 0010000);
// clang-format on

/* KVM: an arm64 KVM would create aarch64 vCPUs for an x86-64 guest's
 * requests, and KVM_RUN, KVM_CREATE_VCPU, ... take the same sizes on both. */
#define KVMIO 0xae

long a64_ioctl(const uint64_t a[6])
{
	if (_IOC_TYPE((unsigned)a[1]) == KVMIO)
		return -ENOTTY;
	return abi_host_call(__NR_ioctl, a);
}
#endif
