# py-mp.py — multiprocessing with the fork start method: shared memory
# with a lock, pipes, queues, events, terminate and abort exit codes, a
# manager process, a process pool and concurrent.futures.
import multiprocessing as mp, os, signal, time, concurrent.futures as cf
def add(v, lock, n):
    for _ in range(n):
        with lock: v.value += 1
def echo(conn):
    while (m := conn.recv()) is not None: conn.send(m * 2)
def sq(x): return x * x
def sleeper(ev): ev.set(); time.sleep(30)
if __name__ == "__main__":
    mp.set_start_method("fork")
    v = mp.Value("i", 0); lock = mp.Lock()
    ps = [mp.Process(target=add, args=(v, lock, 500)) for _ in range(4)]
    [p.start() for p in ps]; [p.join() for p in ps]
    print("value", v.value, [p.exitcode for p in ps])
    a, b = mp.Pipe(); p = mp.Process(target=echo, args=(b,)); p.start()
    for i in range(3): a.send(i); print("pipe", a.recv())
    a.send(None); p.join(); print("echo exit", p.exitcode)
    q = mp.Queue(); ps = [mp.Process(target=q.put, args=(i,)) for i in range(5)]
    [p.start() for p in ps]; print("queue", sorted(q.get() for _ in ps)); [p.join() for p in ps]
    ev = mp.Event(); p = mp.Process(target=sleeper, args=(ev,)); p.start(); ev.wait()
    p.terminate(); p.join(); print("terminated", p.exitcode)
    p = mp.Process(target=os.kill, args=(0, 0)); p.start(); p.join()
    p = mp.Process(target=os.abort); p.start(); p.join(); print("abort", p.exitcode)
    with mp.Manager() as m:
        d = m.dict(); l = m.list(range(3)); d["k"] = sum(l); print("manager", dict(d), list(l))
    with cf.ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as ex:
        print("futures", list(ex.map(sq, range(8))))
    with mp.Pool(2) as pool:
        print("imap", sorted(pool.imap_unordered(sq, range(10))), pool.apply_async(pow, (2, 10)).get(5))
    p = mp.Process(target=exit, args=(3,)); p.start(); p.join(); print("exit", p.exitcode)
