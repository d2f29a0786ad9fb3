/*
 * Training-step kernels (included by kernels.h once per instruction set): the loss of the Dense head
 * and its gradient, the optimizer update, and the small vector chores of one native training step
 * (src-main/engine/fused/native-train-step.ts). Same conventions as kernels.h: byte offsets into
 * `mem`, leading dimensions in floats, row-major f32.
 */

/* Sparse softmax cross-entropy over M rows of logits z [M, V] (row stride ld) with integer labels
 * (stored as floats; one out of [0, V) counts as no class, as tfjs's oneHot):
 * dz = (softmax(z) − onehot(label))·scale; *loss += Σ_rows (logsumexp(z) − z_label),
 * summed in row order (a double), so a half's sum never depends on the other half. */
static void K(softmaxXent)(char *mem, size_t pz, size_t plab, size_t pd, size_t ploss, int M, int V, int ld, float scale) {
  double total = 0;
  for (int i = 0; i < M; i++) {
    const float *z = F(pz) + (size_t)i * ld;
    float *d = F(pd) + (size_t)i * ld;
    int label = (int)F(plab)[i];
    /* max and sum in vector lanes (a scalar running max / sum is one long dependency chain) */
    vf mxv = K(splat)(z[0]);
    int j = 0;
    for (; j + VW <= V; j += VW) mxv = K(vmax)(mxv, K(vld)(z + j));
    float mx = mxv[0];
    for (int l = 1; l < VW; l++) mx = mxv[l] > mx ? mxv[l] : mx;
    for (; j < V; j++) mx = z[j] > mx ? z[j] : mx;
    vf mv = K(splat)(mx);
    FOR_LANES(V) ST(d + u, K(vexp)(LD(z + u) - mv));
    vf sv = (vf){0};
    for (j = 0; j + VW <= V; j += VW) sv += K(vld)(d + j);
    float sum = 0;
    for (int l = 0; l < VW; l++) sum += sv[l];
    for (; j < V; j++) sum += d[j];
    float inv = scale / sum;
    vf iv = K(splat)(inv);
    FOR_LANES(V) ST(d + u, LD(d + u) * iv);
    if (label < 0 || label >= V) continue; /* tfjs: oneHot of an out-of-range id is all zeros */
    d[label] -= scale;
    total += (double)logf(sum) - (double)(z[label] - mx);
  }
  F(ploss)[0] += (float)total;
}

/* Mean squared error of pred [M, N] (row stride ld) against target [M, N] (contiguous):
 * dp = 2·(p − t)·scale; *loss += Σ (p − t)². */
static void K(mseLoss)(char *mem, size_t pp, size_t pt, size_t pd, size_t ploss, int M, int N, int ld, float scale) {
  double total = 0;
  for (int i = 0; i < M; i++) {
    const float *p = F(pp) + (size_t)i * ld, *t = F(pt) + (size_t)i * N;
    float *d = F(pd) + (size_t)i * ld;
    for (int j = 0; j < N; j++) {
      float e = p[j] - t[j];
      d[j] = 2.0f * e * scale;
      total += (double)e * e;
    }
  }
  F(ploss)[0] += (float)total;
}

/* tfjs's Adam (AdamOptimizer.applyGradients), elementwise in the same order of operations:
 * g *= gscale; m = m·β1 + g·(1−β1); v = v·β2 + g²·(1−β2); w += (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε) · −lr. */
static void K(adam)(char *mem, size_t pw, size_t pg, size_t pm, size_t pv, int N, float lr, float b1, float c1, float b2,
                    float c2, float omab1, float omab2, float eps, float gscale) {
  float *w = F(pw), *m = F(pm), *v = F(pv);
  const float *g = F(pg);
  vf vb1 = K(splat)(b1), vc1 = K(splat)(c1), vb2 = K(splat)(b2), vc2 = K(splat)(c2);
  vf va1 = K(splat)(omab1), va2 = K(splat)(omab2), veps = K(splat)(eps), vlr = K(splat)(-lr), vs = K(splat)(gscale);
  FOR_LANES(N) {
    vf gv = LD(g + u) * vs;
    vf mv = LD(m + u) * vb1 + gv * vc1;
    vf vv = LD(v + u) * vb2 + (gv * gv) * vc2;
    vf vh = vv / va2;
    vf sq;
    for (int l = 0; l < VW; l++) sq[l] = __builtin_sqrtf(vh[l]);
    ST(m + u, mv);
    ST(v + u, vv);
    ST(w + u, ((mv / va1) / (sq + veps)) * vlr + LD(w + u));
  }
}

/* dst[0..N) += src[0..N) (a half's partial gradient onto half 0's). */
static void K(addInto)(char *mem, size_t pd, size_t ps, int N) {
  float *d = F(pd);
  const float *s = F(ps);
  FOR_LANES(N) ST(d + u, LD(d + u) + LD(s + u));
}

static void K(zero)(char *mem, size_t p, int N) { memset(F(p), 0, (size_t)N * 4); }

/* The previous hidden state of every (b, t) row, as rows: dst[b, t] = t ? H[b, t−1] : h0[b] ([B·T, U]),
 * the left operand of dR = H_prevᵀ · dG (matmulAtB) without a transpose. */
static void K(hPrevRows)(char *mem, size_t ph0, size_t pH, size_t pd, int B, int T, int U) {
  for (int b = 0; b < B; b++) {
    float *d = F(pd) + (size_t)b * T * U;
    memmove(d, F(ph0) + (size_t)b * U, (size_t)U * 4);
    if (T > 1) memmove(d + U, F(pH) + (size_t)b * T * U, (size_t)(T - 1) * U * 4);
  }
}

/* One-hot inputs given as class ids (floats): acts[i] += W[id_i] (the input projection, as
 * matmulSparseA does with a one-hot row: the same float operations) and dW[id_i] += dG[i] in row
 * order (as matmulAtBSparse). An id outside [0, V) is an all-zero row (tfjs's oneHot). */
static void K(gatherRowsAdd)(char *mem, size_t pids, size_t pw, size_t pc, int M, int V, int N, int ldc) {
  for (int i = 0; i < M; i++) {
    int id = (int)F(pids)[i];
    if (id < 0 || id >= V) continue;
    float *c = F(pc) + (size_t)i * ldc;
    const float *w = F(pw) + (size_t)id * N;
    FOR_LANES(N) ST(c + u, LD(c + u) + LD(w + u));
  }
}

static void K(scatterRowsAdd)(char *mem, size_t pids, size_t pg, size_t pdw, int M, int V, int N, int ldg) {
  for (int i = 0; i < M; i++) {
    int id = (int)F(pids)[i];
    if (id < 0 || id >= V) continue;
    float *d = F(pdw) + (size_t)id * N;
    const float *g = F(pg) + (size_t)i * ldg;
    FOR_LANES(N) ST(d + u, LD(d + u) + LD(g + u));
  }
}
