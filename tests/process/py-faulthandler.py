# py-faulthandler.py — faulthandler in child interpreters: fatal signals
# raised by guest code (null read, SIGSEGV, SIGABRT, SIGFPE, stack
# overflow on the alternate signal stack) in the main thread and in a
# thread, dump_traceback, a registered user signal, and the watchdog
# thread of dump_traceback_later. Thread ids differ from run to run.
import re, subprocess, sys

def run(code):
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    print(f"status {r.returncode}")
    print(r.stdout + re.sub(r"0x[0-9a-f]+", "TID", r.stderr), end="")

for fault in ("_read_null", "_sigsegv", "_sigabrt", "_sigfpe", "_stack_overflow"):
    run(f"import faulthandler; faulthandler.enable(); faulthandler.{fault}()")
# Only the faulting thread: where the main thread is then is a race.
for fault in ("_read_null", "_sigfpe"):
    run(f"""import faulthandler, threading
faulthandler.enable(all_threads=False)
t = threading.Thread(target=faulthandler.{fault}); t.start(); t.join()""")
run("""import faulthandler, os, signal
def f(): faulthandler.dump_traceback(all_threads=False)
f()
faulthandler.register(signal.SIGUSR1)
os.kill(os.getpid(), signal.SIGUSR1)
print("after SIGUSR1")""")
run("""import faulthandler, threading, time
def w(): time.sleep(3)
t = threading.Thread(target=w); t.start()
faulthandler.dump_traceback_later(0.3, exit=True)
t.join()""")
