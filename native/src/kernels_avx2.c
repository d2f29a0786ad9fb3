/* The kernels for AVX2 with FMA: 8 floats per vector. Chosen at run time by addon.c. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC target("avx2,fma")
#endif
#define VW 8
#define NV 2
#define ISA avx2
#include "kernels.h"
#ifdef __clang__
#pragma clang attribute pop
#endif
#endif
