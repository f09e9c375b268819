// tests/abi/header_test_main.cpp - the same checks as header_test_main.c,
// compiled as C++11 (-pedantic -Werror): the public headers must be usable
// from C++ (extern "C" linkage, INIT macros as aggregate initialisers).
#include "header_test_main.c"
