# py-signals.py — Python's signal module: alarm and interval timers
# delivered to a loop that never makes a system call, a handler that
# interrupts a blocking sleep, sigwait/sigtimedwait/sigpending, signals
# between threads, and the wakeup fd.
import os, select, signal, socket, threading, time

got = []
def record(sig, frame):
    got.append(sig)

signal.signal(signal.SIGALRM, record)
signal.alarm(1)
start = time.monotonic()
while not got:
    pass
print("alarm", got, "in time", time.monotonic() - start < 5)

got.clear()
signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)
while len(got) < 5:
    pass
signal.setitimer(signal.ITIMER_REAL, 0)
print("real interval timer fired", len(got) >= 5, "cleared", signal.getitimer(signal.ITIMER_REAL))

got.clear()
signal.signal(signal.SIGVTALRM, record)
signal.setitimer(signal.ITIMER_VIRTUAL, 0.02)
while not got:
    pass
print("virtual timer", got)

class Late(Exception):
    pass
def late(sig, frame):
    raise Late("handler raised")
signal.signal(signal.SIGALRM, late)
signal.alarm(1)
try:
    time.sleep(10)
except Late as e:
    print("sleep interrupted:", e)
signal.setitimer(signal.ITIMER_REAL, 0.1)
try:
    select.select([], [], [], 10)
except Late as e:
    print("select interrupted:", e)

# PEP 475: a handler that returns lets the blocking call resume.
got.clear()
signal.signal(signal.SIGALRM, record)
signal.setitimer(signal.ITIMER_REAL, 0.1)
start = time.monotonic()
time.sleep(0.3)
print("sleep resumed after handler", got, time.monotonic() - start >= 0.3)

signal.signal(signal.SIGUSR1, record)
got.clear()
os.kill(os.getpid(), signal.SIGUSR1)
print("kill self", got)
print("sigtimedwait timeout", signal.sigtimedwait([signal.SIGUSR2], 0.01))
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])
os.kill(os.getpid(), signal.SIGUSR2)
print("pending", signal.sigpending(), "sigwait", signal.sigwait([signal.SIGUSR2]))
os.kill(os.getpid(), signal.SIGUSR2)
info = signal.sigwaitinfo([signal.SIGUSR2])
print("sigwaitinfo", info.si_signo, info.si_code == 0, info.si_pid == os.getpid())
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2])

# Handlers run in the main thread whichever thread the signal hits.
where = []
signal.signal(signal.SIGUSR1, lambda s, f: where.append(threading.current_thread().name))
for kill in (lambda: signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1),
             lambda: os.kill(os.getpid(), signal.SIGUSR1)):
    n = len(where)
    t = threading.Thread(target=kill, name="poker")
    t.start()
    t.join()
    while len(where) == n:
        time.sleep(0.01)
print("handled in", where)

a, b = socket.socketpair()
a.setblocking(False)
signal.set_wakeup_fd(a.fileno())
os.kill(os.getpid(), signal.SIGUSR1)
time.sleep(0.05)
print("wakeup fd", list(b.recv(16)))
signal.set_wakeup_fd(-1)

# The default action, in a forked child (the parent keeps Python's handlers).
pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)
    os._exit(0)
status = os.waitpid(pid, 0)[1]
print("child", os.WIFSIGNALED(status), os.WTERMSIG(status) == signal.SIGTERM)
