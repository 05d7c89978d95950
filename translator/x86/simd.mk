# MMX/SSE/AES/PCLMUL semantics and their tests
