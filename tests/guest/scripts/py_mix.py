# py_mix.py — the standard library's pure and C parts: json, re, hashlib,
# zlib, decimal, math, struct, datetime, plus floats and big integers.
import datetime, decimal, hashlib, json, math, re, struct, zlib

text = open("text.txt", encoding="utf-8").read()
words = re.findall(r"\b[a-z]{5,}\b", text)
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
print(json.dumps({"top": top, "n": len(words)}, sort_keys=True, indent=1))
print(json.loads('{"a": [1, 2.5, null, true, "\\u00e9"], "b": 1e300}'))
print(hashlib.sha256(text.encode()).hexdigest(), hashlib.md5(b"abc").hexdigest())
print(hashlib.sha1(b"x" * 1000).hexdigest(), hashlib.blake2b(b"xlate").hexdigest()[:32])
z = zlib.compress(text.encode(), 9)
print(len(z), zlib.crc32(z), zlib.decompress(z) == text.encode(), zlib.adler32(b"hello"))
decimal.getcontext().prec = 50
print(decimal.Decimal(1) / decimal.Decimal(7), decimal.Decimal(2).sqrt())
print(math.pi, math.e, math.sqrt(2), math.sin(1e22), math.lgamma(0.5), math.fsum([0.1] * 10))
print(math.log1p(1e-10), math.expm1(1e-10), math.atan2(-0.0, -1.0), math.fmod(-7.5, 2))
print(repr(0.1 + 0.2), float("1e-320"), 2.0 ** -1074, (1 << 200) // 3 % 1000003, 3 ** 333 % 10 ** 12)
print(f"{1234567.891:,.2f} {6.02214076e23:.6e} {-0.0} {float('inf')} {1/3:.17g}")
print(struct.pack("<iqdf3sH", -5, 1 << 60, 2.5, -1.25, b"ab", 65535).hex())
print(struct.unpack(">IhBd", bytes(range(15))))
d = datetime.datetime(2024, 2, 29, 13, 45, 7, 123456)
print(d.isoformat(), (d + datetime.timedelta(days=400)).strftime("%A %d %B %Y %j"), d.weekday())
print(datetime.date.fromordinal(738000), datetime.datetime.utcfromtimestamp(1700000000))
print(sorted(set(w[::-1] for w in words[:200]))[:5], sum(len(w) for w in words) % 997)
