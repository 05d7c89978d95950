# interpreter, CPU state, integer/control/system semantics, and their tests
