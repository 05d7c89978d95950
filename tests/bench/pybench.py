# pybench.py — CPU-bound pure-Python work for tests/bench/run.sh.
#
#   python3 pybench.py SCALE
#
# Fixed work proportional to SCALE, no imports beyond sys (an imported
# extension module would be one more shared object for the warm mode to
# find, and timing would then measure the loader as much as the
# interpreter). Prints one checksum per part so that a wrong result in any
# mode shows up as a difference from the native output.
import sys


def sieve(limit):
    # Integer arithmetic and list indexing: the interpreter's hottest paths.
    flags = bytearray([1]) * (limit + 1)
    flags[0:2] = b"\0\0"
    for i in range(2, int(limit**0.5) + 1):
        if flags[i]:
            flags[i * i :: i] = bytes(len(range(i * i, limit + 1, i)))
    total = 0
    for i, f in enumerate(flags):
        if f:
            total = (total * 31 + i) % 1000000007
    return total


def words(count):
    # Dict and string work: hashing, concatenation, sorting by key.
    seed = 12345
    freq = {}
    for _ in range(count):
        seed = (seed * 1103515245 + 12345) % 2147483648
        w = "w" + format(seed % 5003, "x") + chr(97 + seed % 26)
        freq[w] = freq.get(w, 0) + 1
    ranked = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))
    return len(freq), ranked[0], ranked[-1]


class Body:
    __slots__ = ("x", "y", "vx", "vy", "m")

    def __init__(self, x, y, vx, vy, m):
        self.x, self.y, self.vx, self.vy, self.m = x, y, vx, vy, m


def orbit(steps):
    # Floating point through attribute access: method calls and float boxing.
    bodies = [Body(float(i), float(i * i % 7), 0.01 * i, -0.02 * i, 1.0 + i) for i in range(6)]
    dt = 0.001
    for _ in range(steps):
        for a in bodies:
            for b in bodies:
                if a is b:
                    continue
                dx, dy = b.x - a.x, b.y - a.y
                d2 = dx * dx + dy * dy + 0.01
                f = b.m / (d2 * d2**0.5)
                a.vx += dx * f * dt
                a.vy += dy * f * dt
        for a in bodies:
            a.x += a.vx * dt
            a.y += a.vy * dt
    # Rounded: the sum is exact IEEE arithmetic, but printing 12 digits keeps
    # the line short and still catches any wrong operation.
    return round(sum(b.x + b.y for b in bodies), 9)


def queens(n):
    # Recursion and small-list churn.
    def place(row, cols, d1, d2):
        if row == n:
            return 1
        count = 0
        for c in range(n):
            if c not in cols and row + c not in d1 and row - c not in d2:
                count += place(row + 1, cols | {c}, d1 | {row + c}, d2 | {row - c})
        return count

    return place(0, frozenset(), frozenset(), frozenset())


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: pybench.py SCALE (a positive integer)")
    scale = int(sys.argv[1])
    print("sieve", sieve(20000 * scale))
    print("words", *words(4000 * scale))
    print("orbit", orbit(200 * scale))
    print("queens", sum(queens(8) for _ in range(scale)))


main()
