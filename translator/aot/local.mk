# translator/aot — xlatec, the ahead-of-time compiler
