# py-subprocess.py — subprocess: large pipes, timeouts, new sessions,
# signals to children, environments, pass_fds, preexec_fn (and its
# failure), shell exec, exit statuses.
import subprocess as s, os, signal, sys
r = s.run(["cat"], input=b"x" * 1000000, capture_output=True); print("big", len(r.stdout), r.returncode)
try: s.run(["sleep", "10"], timeout=0.3)
except s.TimeoutExpired as e: print("timeout", round(e.timeout, 1))
p = s.Popen(["sleep", "10"], start_new_session=True); print("session", os.getsid(p.pid) == p.pid)
p.send_signal(signal.SIGINT); print("sigint", p.wait())
print(s.run(["sh", "-c", "echo $FOO"], env={"FOO": "bar"}, capture_output=True, text=True).stdout.strip())
r, w = os.pipe(); p = s.Popen(["sh", "-c", f"echo via fd >&{w}"], pass_fds=(w,)); os.close(w); p.wait(); print(os.read(r, 100))
print(s.run(["sh", "-c", "echo $PPID_OK"], preexec_fn=lambda: os.environ.__setitem__("PPID_OK", "pre"), capture_output=True, text=True).stdout.strip())
try: s.run(["true"], preexec_fn=lambda: 1 / 0)
except s.SubprocessError as e: print("preexec", type(e).__name__)
p = s.Popen("exec sh -c 'kill -KILL $$'", shell=True); print("killed", p.wait())
print(s.run([sys.executable, "-c", "import sys; sys.exit(sys.stdin.read().count('a'))"], input="aaab", text=True).returncode)
print(s.getstatusoutput("ls /nonexistent-dir >/dev/null 2>&1"))
try: s.run(["/nonexistent"])
except OSError as e: print(type(e).__name__, e.errno)
print(s.check_output("seq 3 | tac", shell=True))
