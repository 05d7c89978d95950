# spawn.py — a program that runs others: every child is an x86-64 program
# that the translator starts again (re-entry), through each way a program
# asks for one: posix_spawn/vfork (subprocess), fork and execve, fexecve
# (execveat on a descriptor) and execveat relative to a directory.
import ctypes
import os
import subprocess
import sys

SYS_execveat = 322
AT_EMPTY_PATH = 0x1000


def run(*args, **kw):
    r = subprocess.run(*args, capture_output=True, text=True, **kw)
    print(f"status {r.returncode}: {r.stdout!r} {r.stderr!r}")


# A shell pipeline, its statuses, a subshell and a command substitution.
run(["/bin/bash", "-c",
     'seq 1 3000 | grep 7 | sort -rn | head -4 | tr 7 x; echo "${PIPESTATUS[@]}";'
     ' (cd tree && ls | wc -l); echo "$(echo sub; exit 3)" $?'])
# Python starting Python; an exit status and stdin through a pipe.
run([sys.executable, "-c", "import sys, zlib; d = sys.stdin.read();"
     " print(len(d), zlib.crc32(d.encode())); sys.exit(5)"], input="x" * 10000)
# A command that is not there, and one that is not a program.
run("exec /no/such/program", shell=True)
try:
    subprocess.run(["./words.txt"])
except OSError as e:
    print("spawn words.txt:", e.errno)


def child(fn):
    pid = os.fork()
    if pid == 0:
        try:
            fn()
        finally:
            os._exit(120)
    _, status = os.waitpid(pid, 0)
    print("child status", os.waitstatus_to_exitcode(status))


def fexecve():
    # Python opens descriptors close-on-exec: the runtime must keep the
    # program reachable across its own re-entry.
    fd = os.open("/usr/bin/printf", os.O_RDONLY)
    os.execve(fd, ["printf", "fexecve %s %s\n", "one", "two"], {})


def execveat(dirfd_path, name, flags=0):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(dirfd_path, os.O_RDONLY | os.O_DIRECTORY) if dirfd_path else -100
    argv = (ctypes.c_char_p * 4)(b"sh", b"-c", b"echo execveat $0", None)
    envp = (ctypes.c_char_p * 1)(None)
    libc.syscall(SYS_execveat, fd, name, argv, envp, flags)
    print("execveat failed:", ctypes.get_errno(), flush=True)


sys.stdout.flush()
child(fexecve)
child(lambda: execveat("/bin", b"dash"))
child(lambda: execveat("/bin", b"no-such-shell"))
