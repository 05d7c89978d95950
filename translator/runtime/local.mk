# translator/runtime — xlate, the x86-64 Linux user-mode translator
include translator/runtime/abi.mk
