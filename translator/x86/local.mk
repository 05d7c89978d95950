# translator/x86 — files of this component (included by the top Makefile.am)
