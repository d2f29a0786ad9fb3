/*
 * Fused recurrent kernels of RNN Lab, native build: the same operations, arguments and memory
 * layout as the WebAssembly kernels (src-main/engine/fused/kernels/rnn.ts), so the JS drivers run
 * either. Every pointer argument is a byte offset into one linear memory (`mem`), every leading
 * dimension (ld*) is in floats, all matrices are row-major f32.
 *
 * This header is compiled once per instruction set by kernels_<isa>.c, which defines
 *   VW      floats per vector (16 AVX-512, 8 AVX2, 4 SSE / NEON)
 *   NV      vectors per column panel of the matmul micro-kernel (4 rows × NV·VW columns)
 *   ISA     the name suffix (avx512, avx2, base)
 * and sets the target with a pragma. GCC / Clang vector extensions: no intrinsics, one source.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#define K(name) CAT(name, ISA)

/* aligned(4): loads and stores through these pointers are unaligned moves; may_alias: of floats. */
typedef float vf __attribute__((vector_size(VW * 4), aligned(4), may_alias));
typedef int32_t vi __attribute__((vector_size(VW * 4), aligned(4), may_alias));

#define F(p) ((float *)(mem + (size_t)(p)))

static inline vf K(vld)(const float *p) { return *(const vf *)p; }
static inline void K(vst)(float *p, vf v) { *(vf *)p = v; }
/* n < VW lanes (the ragged tail of a row); the other lanes are zero. */
static inline vf K(vldn)(const float *p, int n) {
  float t[VW] = {0};
  memcpy(t, p, (size_t)n * 4);
  return K(vld)(t);
}
static inline void K(vstn)(float *p, vf v, int n) {
  float t[VW];
  K(vst)(t, v);
  memcpy(p, t, (size_t)n * 4);
}
/* x − (+0) is x for every x (−0 included): GCC / Clang emit one broadcast (a per-lane loop compiles
 * to VW masked inserts, which made the matmul's inner loop several times slower). */
static inline vf K(splat)(float x) { return x - (vf){0}; }
static inline vf K(vmin)(vf a, vf b) {
  vi m = a < b;
  return (vf)(((vi)a & m) | ((vi)b & ~m));
}
static inline vf K(vmax)(vf a, vf b) {
  vi m = a > b;
  return (vf)(((vi)a & m) | ((vi)b & ~m));
}

/* exp: Cephes expf polynomial, Cody-Waite reduction (as the wasm kernels). */
static inline vf K(vexp)(vf x0) {
  vf x = K(vmin)(K(vmax)(x0, K(splat)(-87.0f)), K(splat)(88.0f));
  vf fx = x * 1.44269504088896341f;
  fx = (fx + 12582912.0f) - 12582912.0f; /* round to nearest */
  vf r = x - fx * 0.693359375f;
  r = r - fx * -2.12194440e-4f;
  vf y = K(splat)(1.9875691500e-4f);
  y = y * r + 1.3981999507e-3f;
  y = y * r + 8.3334519073e-3f;
  y = y * r + 4.1665795894e-2f;
  y = y * r + 1.6666665459e-1f;
  y = y * r + 5.0000001201e-1f;
  y = y * r * r + r + 1.0f;
  vi n = __builtin_convertvector(fx, vi);
  vi p2 = (n + 127) << 23;
  return y * (vf)p2;
}
static inline vf K(vsigmoid)(vf x) { return 1.0f / (1.0f + K(vexp)(-x)); }
/* tanh: Eigen's rational approximation (TensorFlow CPU), as the wasm kernels. */
static inline vf K(vtanh)(vf x0) {
  vf x = K(vmin)(K(vmax)(x0, K(splat)(-7.90531110763549805f)), K(splat)(7.90531110763549805f));
  vf x2 = x * x;
  vf p = K(splat)(-2.76076847742355e-16f);
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  p = p * x;
  vf q = K(splat)(1.19825839466702e-06f);
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  return p / q;
}

/* ---------------------------------------------------------------------------------------------
 * Matrix products */

#define KC 256 /* K block: a 256 × NV·VW panel of B stays in L1/L2 */

/* C[MR, NW vectors] (add ? += : =) A[MR, 0..kn) · B[0..kn, NW vectors]: accumulators in registers.
 * A's element (r, k) is a[r·ars + k·aks] (aks = 1: row-major A; ars = 1: A stored transposed). */
#define MICRO(NAME, MR, NW)                                                                          \
  static inline void K(NAME)(const float *a, const float *b, float *c, int kn, size_t ars, size_t aks, int ldb, \
                             int ldc, int add) {                                                     \
    vf acc[MR][NW];                                                                                  \
    _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++)                                            \
      _Pragma("GCC unroll 16") for (int v = 0; v < NW; v++) acc[r][v] = (vf){0};                     \
    for (int k = 0; k < kn; k++) {                                                                   \
      vf bv[NW];                                                                                     \
      _Pragma("GCC unroll 16") for (int v = 0; v < NW; v++) bv[v] = K(vld)(b + (size_t)k * ldb + v * VW); \
      _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++) {                                        \
        vf s = K(splat)(a[r * ars + k * aks]);                                                       \
        _Pragma("GCC unroll 16") for (int v = 0; v < NW; v++) acc[r][v] += s * bv[v];                \
      }                                                                                              \
    }                                                                                                \
    _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++)                                            \
      _Pragma("GCC unroll 16") for (int v = 0; v < NW; v++) {                                        \
        float *p = c + (size_t)r * ldc + v * VW;                                                     \
        vf o = acc[r][v];                                                                            \
        if (add) o += K(vld)(p);                                                                     \
        K(vst)(p, o);                                                                                \
      }                                                                                              \
  }
MICRO(micro4P, 4, NV)
MICRO(micro1P, 1, NV)
#if VW == 16
/* AVX-512's 32 registers hold 6 × NV accumulators: fewer loads per multiply-add. */
MICRO(micro6P, 6, NV)
/* 6-row blocks up to M6 rows (rows6): the rest a multiple of 4 where one exists (32 = 4·6 + 2·4, not 5·6 + 2·1). */
#define ROWS6(M6) for (; i + 6 <= m6; i += 6) K(M6)(a + i * ars + k0 * aks, bk + j, c + (size_t)i * ldc + j, kn, ars, aks, ldb, ldc, add);
#else
#define ROWS6(M6)
#endif
#define NO_ROWS6(M6)
#if NV != 1
MICRO(micro41, 4, 1)
MICRO(micro11, 1, 1)
#endif

/* One column panel of W = NW·VW columns for all M rows: 6-row blocks (ROWS6 on AVX-512, full-width
 * panels), 4-row blocks, then single rows. */
#define PANEL(SIX, M4, M1)                                                                                \
  {                                                                                                  \
    int i = 0;                                                                                       \
    SIX(micro6P)                                                                                     \
    for (; i + 4 <= M; i += 4) K(M4)(a + i * ars + k0 * aks, bk + j, c + (size_t)i * ldc + j, kn, ars, aks, ldb, ldc, add); \
    for (; i < M; i++) K(M1)(a + i * ars + k0 * aks, bk + j, c + (size_t)i * ldc + j, kn, ars, aks, ldb, ldc, add); \
  }

/* C[M, N] (acc ? += : =) A[M, Kd] · B[Kd, N], A's element (i, k) at a[i·ars + k·aks]. Inlined into
 * matmul (aks = 1) and matmulAtB (ars = 1), so each is compiled for its constant stride. */
static inline __attribute__((always_inline)) void K(matmulStrided)(char *mem, size_t pa, size_t pb, size_t pc, int M,
                                                                    int Kd, int N, size_t ars, size_t aks, int ldb,
                                                                    int ldc, int acc) {
  const float *a = F(pa), *b = F(pb);
  float *c = F(pc);
  const int WP = NV * VW;
  const int NP = N - N % WP, N1 = N - N % VW;
  int m6 = (M / 6) * 6;
  while (m6 > 0 && (M - m6) % 4 != 0) m6 -= 6;
  if (m6 <= 0 && M >= 6) m6 = (M / 6) * 6;
  (void)m6; /* unused where ROWS6 is empty (no AVX-512) */
  for (int k0 = 0; k0 < Kd || k0 == 0; k0 += KC) {
    int kn = Kd - k0 < KC ? Kd - k0 : KC;
    int add = k0 > 0 || acc;
    const float *bk = b + (size_t)k0 * ldb;
    for (int j = 0; j < NP; j += WP) PANEL(ROWS6, micro4P, micro1P)
#if NV != 1
    for (int j = NP; j < N1; j += VW) PANEL(NO_ROWS6, micro41, micro11)
#endif
    for (int j = N1; j < N; j++) { /* the last N % VW columns: 4 rows at a time (4 independent sums) */
      int i = 0;
      for (; i + 4 <= M; i += 4) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int k = 0; k < kn; k++) {
          float bv = b[(size_t)(k0 + k) * ldb + j];
          const float *ak = a + i * ars + (k0 + k) * aks;
          s0 += ak[0] * bv;
          s1 += ak[ars] * bv;
          s2 += ak[2 * ars] * bv;
          s3 += ak[3 * ars] * bv;
        }
        float *p = c + (size_t)i * ldc + j;
        p[0] = add ? p[0] + s0 : s0;
        p[ldc] = add ? p[ldc] + s1 : s1;
        p[2 * (size_t)ldc] = add ? p[2 * (size_t)ldc] + s2 : s2;
        p[3 * (size_t)ldc] = add ? p[3 * (size_t)ldc] + s3 : s3;
      }
      for (; i < M; i++) {
        float s = 0;
        for (int k = 0; k < kn; k++) s += a[i * ars + (k0 + k) * aks] * b[(size_t)(k0 + k) * ldb + j];
        float *p = c + (size_t)i * ldc + j;
        *p = add ? *p + s : s;
      }
    }
    if (Kd == 0) break;
  }
}

static void K(matmul)(char *mem, size_t pa, size_t pb, size_t pc, int M, int Kd, int N, int lda, int ldb, int ldc,
                      int acc) {
  K(matmulStrided)(mem, pa, pb, pc, M, Kd, N, (size_t)lda, 1, ldb, ldc, acc);
}

/* C[M, N] (acc ? += : =) Aᵀ · B with A [Kd, M] (row stride lda): weight gradients without a transpose. */
static void K(matmulAtB)(char *mem, size_t pa, size_t pb, size_t pc, int M, int Kd, int N, int lda, int ldb, int ldc,
                         int acc) {
  K(matmulStrided)(mem, pa, pb, pc, M, Kd, N, 1, (size_t)lda, ldb, ldc, acc);
}

static void K(matmulSparseA)(char *mem, size_t pa, size_t pb, size_t pc, int M, int Kd, int N, int lda, int ldb,
                             int ldc) {
  const float *a = F(pa), *b = F(pb);
  float *c = F(pc);
  for (int i = 0; i < M; i++) {
    float *ci = c + (size_t)i * ldc;
    for (int k = 0; k < Kd; k++) {
      float s = a[(size_t)i * lda + k];
      if (s == 0) continue;
      const float *bk = b + (size_t)k * ldb;
      for (int j = 0; j < N; j++) ci[j] += s * bk[j];
    }
  }
}

static void K(matmulAtBSparse)(char *mem, size_t pa, size_t pb, size_t pc, int M, int Kd, int N, int lda, int ldb,
                               int ldc) {
  const float *a = F(pa), *b = F(pb);
  float *c = F(pc);
  for (int i = 0; i < M; i++) {
    const float *bi = b + (size_t)i * ldb;
    for (int k = 0; k < Kd; k++) {
      float s = a[(size_t)i * lda + k];
      if (s == 0) continue;
      float *ck = c + (size_t)k * ldc;
      for (int j = 0; j < N; j++) ck[j] += s * bi[j];
    }
  }
}

static void K(transpose)(char *mem, size_t ps, size_t pd, int R, int Cc, int lds, int ldd) {
  const float *s = F(ps);
  float *d = F(pd);
  for (int r0 = 0; r0 < R; r0 += 32)
    for (int c0 = 0; c0 < Cc; c0 += 32) {
      int r1 = R < r0 + 32 ? R : r0 + 32, c1 = Cc < c0 + 32 ? Cc : c0 + 32;
      for (int r = r0; r < r1; r++)
        for (int cc = c0; cc < c1; cc++) d[(size_t)cc * ldd + r] = s[(size_t)r * lds + cc];
    }
}

static void K(fillRows)(char *mem, size_t pc, size_t pv, int M, int N, int ldc) {
  for (int i = 0; i < M; i++) memmove(F(pc) + (size_t)i * ldc, F(pv), (size_t)N * 4);
}

static void K(colSumAcc)(char *mem, size_t pa, size_t po, int M, int N, int lda) {
  const float *a = F(pa);
  float *o = F(po);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) o[j] += a[(size_t)i * lda + j];
}

static void K(transposeHPrev)(char *mem, size_t h0, size_t H, size_t HT, int B, int T, int U, int ldd) {
  size_t uB = (size_t)U * 4;
  for (int b = 0; b < B; b++) {
    size_t col = HT + (size_t)b * T * 4;
    K(transpose)(mem, h0 + b * uB, col, 1, U, U, ldd);
    if (T > 1) K(transpose)(mem, H + (size_t)b * T * uB, col + 4, T - 1, U, U, ldd);
  }
}

/* Elementwise loops over u in [0, U): full vectors, then one partial vector. */
#define LD(p) (n == VW ? K(vld)(p) : K(vldn)(p, n))
#define ST(p, v) (n == VW ? K(vst)(p, v) : K(vstn)(p, v, n))
#define FOR_LANES(U) for (int u = 0, n = (U) < VW ? (U) : VW; u < (U); u += VW, n = (U) - u < VW ? (U) - u : VW)

/* ---------------------------------------------------------------------------------------------
 * LSTM (Keras gate order i, f, c, o) */

static void K(lstmForwardSteps)(char *mem, int B, int T, int U, size_t R, size_t h0, size_t c0, size_t acts, size_t H,
                                size_t C, size_t TC) {
  int G = 4 * U;
  for (int t = 0; t < T; t++) {
    size_t zt = acts + (size_t)t * G * 4;
    if (t == 0) K(matmul)(mem, h0, R, zt, B, U, G, U, G, T * G, 1);
    else K(matmul)(mem, H + (size_t)(t - 1) * U * 4, R, zt, B, U, G, T * U, G, T * G, 1);
    for (int b = 0; b < B; b++) {
      size_t row = (size_t)b * T + t;
      float *z = F(acts + row * G * 4);
      const float *cp = t == 0 ? F(c0) + (size_t)b * U : F(C) + (row - 1) * U;
      float *pc = F(C) + row * U, *ph = F(H) + row * U, *ptc = F(TC) + row * U;
      FOR_LANES(U) {
        vf ig = K(vsigmoid)(LD(z + u)), fg = K(vsigmoid)(LD(z + U + u));
        vf gg = K(vtanh)(LD(z + 2 * U + u)), og = K(vsigmoid)(LD(z + 3 * U + u));
        vf cc = fg * LD(cp + u) + ig * gg;
        vf tc = K(vtanh)(cc);
        ST(z + u, ig);
        ST(z + U + u, fg);
        ST(z + 2 * U + u, gg);
        ST(z + 3 * U + u, og);
        ST(pc + u, cc);
        ST(ptc + u, tc);
        ST(ph + u, og * tc);
      }
    }
  }
}

static void K(lstmBackwardSteps)(char *mem, int B, int T, int U, size_t RT, size_t c0, size_t acts, size_t C, size_t TC,
                                 size_t dH, int seq, size_t dG, size_t dh, size_t dc) {
  int G = 4 * U;
  memset(F(dc), 0, (size_t)B * U * 4);
  if (seq) memset(F(dh), 0, (size_t)B * U * 4);
  else memmove(F(dh), F(dH), (size_t)B * U * 4);
  for (int t = T - 1; t >= 0; t--) {
    for (int b = 0; b < B; b++) {
      size_t row = (size_t)b * T + t;
      const float *a = F(acts) + row * G;
      float *g = F(dG) + row * G;
      const float *cp = t == 0 ? F(c0) + (size_t)b * U : F(C) + (row - 1) * U;
      const float *ptc = F(TC) + row * U, *pdo = F(dH) + row * U;
      float *pdh = F(dh) + (size_t)b * U, *pdc = F(dc) + (size_t)b * U;
      FOR_LANES(U) {
        vf dhv = LD(pdh + u);
        if (seq) dhv = dhv + LD(pdo + u);
        vf ig = LD(a + u), fg = LD(a + U + u), gg = LD(a + 2 * U + u), og = LD(a + 3 * U + u);
        vf tc = LD(ptc + u);
        vf dov = dhv * tc;
        vf dcv = LD(pdc + u) + (dhv * og) * (1.0f - tc * tc);
        vf di = dcv * gg, dgg = dcv * ig, df = dcv * LD(cp + u);
        ST(pdc + u, dcv * fg);
        ST(g + u, di * (ig * (1.0f - ig)));
        ST(g + U + u, df * (fg * (1.0f - fg)));
        ST(g + 2 * U + u, dgg * (1.0f - gg * gg));
        ST(g + 3 * U + u, dov * (og * (1.0f - og)));
      }
    }
    K(matmul)(mem, dG + (size_t)t * G * 4, RT, dh, B, G, U, T * G, U, U, 0);
  }
}

/* ---------------------------------------------------------------------------------------------
 * GRU, Keras reset_after=True (z, r, h) */

static void K(gruForwardSteps)(char *mem, int B, int T, int U, size_t R, size_t bRec, size_t h0, size_t acts, size_t H,
                               size_t RH, size_t RZ) {
  int G = 3 * U;
  for (int t = 0; t < T; t++) {
    K(fillRows)(mem, RZ, bRec, B, G, G);
    if (t == 0) K(matmul)(mem, h0, R, RZ, B, U, G, U, G, G, 1);
    else K(matmul)(mem, H + (size_t)(t - 1) * U * 4, R, RZ, B, U, G, T * U, G, G, 1);
    for (int b = 0; b < B; b++) {
      size_t row = (size_t)b * T + t;
      float *z = F(acts) + row * G;
      const float *rz = F(RZ) + (size_t)b * G;
      const float *hp = t == 0 ? F(h0) + (size_t)b * U : F(H) + (row - 1) * U;
      float *ph = F(H) + row * U, *prh = F(RH) + row * U;
      FOR_LANES(U) {
        vf zg = K(vsigmoid)(LD(z + u) + LD(rz + u));
        vf rg = K(vsigmoid)(LD(z + U + u) + LD(rz + U + u));
        vf rh = LD(rz + 2 * U + u);
        vf hh = K(vtanh)(LD(z + 2 * U + u) + rg * rh);
        vf hpv = LD(hp + u);
        ST(z + u, zg);
        ST(z + U + u, rg);
        ST(z + 2 * U + u, hh);
        ST(prh + u, rh);
        ST(ph + u, hh + zg * (hpv - hh));
      }
    }
  }
}

static void K(gruBackwardSteps)(char *mem, int B, int T, int U, size_t RT, size_t h0, size_t acts, size_t H, size_t RH,
                                size_t dH, int seq, size_t dG, size_t dGR, size_t dh) {
  int G = 3 * U;
  if (seq) memset(F(dh), 0, (size_t)B * U * 4);
  else memmove(F(dh), F(dH), (size_t)B * U * 4);
  for (int t = T - 1; t >= 0; t--) {
    for (int b = 0; b < B; b++) {
      size_t row = (size_t)b * T + t;
      const float *a = F(acts) + row * G;
      float *g = F(dG) + row * G, *gr = F(dGR) + row * G;
      const float *hp = t == 0 ? F(h0) + (size_t)b * U : F(H) + (row - 1) * U;
      const float *prh = F(RH) + row * U, *pdo = F(dH) + row * U;
      float *pdh = F(dh) + (size_t)b * U;
      FOR_LANES(U) {
        vf dhv = LD(pdh + u);
        if (seq) dhv = dhv + LD(pdo + u);
        vf zg = LD(a + u), rg = LD(a + U + u), hh = LD(a + 2 * U + u);
        vf rh = LD(prh + u), hpv = LD(hp + u);
        vf dz = dhv * (hpv - hh);
        vf dah = (dhv * (1.0f - zg)) * (1.0f - hh * hh);
        vf dr = dah * rh;
        vf dzp = dz * (zg * (1.0f - zg));
        vf drp = dr * (rg * (1.0f - rg));
        ST(g + u, dzp);
        ST(g + U + u, drp);
        ST(g + 2 * U + u, dah);
        ST(gr + u, dzp);
        ST(gr + U + u, drp);
        ST(gr + 2 * U + u, dah * rg);
        ST(pdh + u, dhv * zg);
      }
    }
    K(matmul)(mem, dGR + (size_t)t * G * 4, RT, dh, B, G, U, T * G, U, U, 1);
  }
}

/* ---------------------------------------------------------------------------------------------
 * SimpleRNN (tanh) */

static void K(rnnForwardSteps)(char *mem, int B, int T, int U, size_t R, size_t h0, size_t acts, size_t H) {
  for (int t = 0; t < T; t++) {
    size_t zt = acts + (size_t)t * U * 4;
    if (t == 0) K(matmul)(mem, h0, R, zt, B, U, U, U, U, T * U, 1);
    else K(matmul)(mem, H + (size_t)(t - 1) * U * 4, R, zt, B, U, U, T * U, U, T * U, 1);
    for (int b = 0; b < B; b++) {
      size_t row = (size_t)b * T + t;
      const float *z = F(acts) + row * U;
      float *ph = F(H) + row * U;
      FOR_LANES(U) ST(ph + u, K(vtanh)(LD(z + u)));
    }
  }
}

static void K(rnnBackwardSteps)(char *mem, int B, int T, int U, size_t RT, size_t H, size_t dH, int seq, size_t dG,
                                size_t dh) {
  if (seq) memset(F(dh), 0, (size_t)B * U * 4);
  else memmove(F(dh), F(dH), (size_t)B * U * 4);
  for (int t = T - 1; t >= 0; t--) {
    for (int b = 0; b < B; b++) {
      size_t row = (size_t)b * T + t;
      float *g = F(dG) + row * U;
      const float *ph = F(H) + row * U, *pdo = F(dH) + row * U;
      const float *pdh = F(dh) + (size_t)b * U;
      FOR_LANES(U) {
        vf dhv = LD(pdh + u);
        if (seq) dhv = dhv + LD(pdo + u);
        vf hv = LD(ph + u);
        ST(g + u, dhv * (1.0f - hv * hv));
      }
    }
    K(matmul)(mem, dG + (size_t)t * U * 4, RT, dh, B, U, U, T * U, U, U, 0);
  }
}

#include "train_kernels.h"

/* ---------------------------------------------------------------------------------------------
 * The op list: [opcode, argc, args...] per call, opcodes in the order of OPS in
 * src-main/engine/fused/kernel-ops.ts. Returns 0, or -1 on an unknown opcode. */

int K(exec)(char *mem, const double *cmd, int nops) {
  size_t p = 0;
  for (int i = 0; i < nops; i++) {
    int op = (int)cmd[p], argc = (int)cmd[p + 1];
    const double *x = cmd + p + 2;
#define Z(j) ((size_t)x[j])
#define I(j) ((int)x[j])
    switch (op) {
    case 0: K(matmul)(mem, Z(0), Z(1), Z(2), I(3), I(4), I(5), I(6), I(7), I(8), I(9)); break;
    case 1: K(matmulSparseA)(mem, Z(0), Z(1), Z(2), I(3), I(4), I(5), I(6), I(7), I(8)); break;
    case 2: K(matmulAtBSparse)(mem, Z(0), Z(1), Z(2), I(3), I(4), I(5), I(6), I(7), I(8)); break;
    case 3: K(transpose)(mem, Z(0), Z(1), I(2), I(3), I(4), I(5)); break;
    case 4: K(transposeHPrev)(mem, Z(0), Z(1), Z(2), I(3), I(4), I(5), I(6)); break;
    case 5: K(fillRows)(mem, Z(0), Z(1), I(2), I(3), I(4)); break;
    case 6: K(colSumAcc)(mem, Z(0), Z(1), I(2), I(3), I(4)); break;
    case 7: K(lstmForwardSteps)(mem, I(0), I(1), I(2), Z(3), Z(4), Z(5), Z(6), Z(7), Z(8), Z(9)); break;
    case 8: K(lstmBackwardSteps)(mem, I(0), I(1), I(2), Z(3), Z(4), Z(5), Z(6), Z(7), Z(8), I(9), Z(10), Z(11), Z(12)); break;
    case 9: K(gruForwardSteps)(mem, I(0), I(1), I(2), Z(3), Z(4), Z(5), Z(6), Z(7), Z(8), Z(9)); break;
    case 10: K(gruBackwardSteps)(mem, I(0), I(1), I(2), Z(3), Z(4), Z(5), Z(6), Z(7), Z(8), I(9), Z(10), Z(11), Z(12)); break;
    case 11: K(rnnForwardSteps)(mem, I(0), I(1), I(2), Z(3), Z(4), Z(5), Z(6)); break;
    case 12: K(rnnBackwardSteps)(mem, I(0), I(1), I(2), Z(3), Z(4), Z(5), I(6), Z(7), Z(8)); break;
    case 13: K(softmaxXent)(mem, Z(0), Z(1), Z(2), Z(3), I(4), I(5), I(6), (float)x[7]); break;
    case 14: K(mseLoss)(mem, Z(0), Z(1), Z(2), Z(3), I(4), I(5), I(6), (float)x[7]); break;
    case 15:
      K(adam)(mem, Z(0), Z(1), Z(2), Z(3), I(4), (float)x[5], (float)x[6], (float)x[7], (float)x[8], (float)x[9], (float)x[10],
              (float)x[11], (float)x[12], (float)x[13]);
      break;
    case 16: K(addInto)(mem, Z(0), Z(1), I(2)); break;
    case 17: K(zero)(mem, Z(0), I(1)); break;
    case 18: K(matmulAtB)(mem, Z(0), Z(1), Z(2), I(3), I(4), I(5), I(6), I(7), I(8), I(9)); break;
    case 19: K(hPrevRows)(mem, Z(0), Z(1), Z(2), I(3), I(4), I(5)); break;
    case 20: K(gatherRowsAdd)(mem, Z(0), Z(1), Z(2), I(3), I(4), I(5), I(6)); break;
    case 21: K(scatterRowsAdd)(mem, Z(0), Z(1), Z(2), I(3), I(4), I(5), I(6)); break;
    default: return -1;
    }
#undef Z
#undef I
    p += 2 + (size_t)argc;
  }
  return 0;
}
