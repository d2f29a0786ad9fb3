/* The kernels for AVX-512 (F + VL + DQ) with FMA: 16 floats per vector. Chosen at run time by addon.c. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#ifdef __clang__
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512dq,avx2,fma"))), apply_to = function)
#else
#pragma GCC target("avx512f,avx512vl,avx512dq,avx2,fma")
#endif
#define VW 16
#define NV 4
#define ISA avx512
#include "kernels.h"
#ifdef __clang__
#pragma clang attribute pop
#endif
#endif
