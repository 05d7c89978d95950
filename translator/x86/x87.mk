# x87 semantics, 80-bit arithmetic, and their tests
