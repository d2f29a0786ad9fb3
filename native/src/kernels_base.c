/* The kernels for the compiler's baseline (SSE2 on x86-64, NEON on arm64): 4 floats per vector. */
#define VW 4
#define NV 2
#define ISA base
#include "kernels.h"
