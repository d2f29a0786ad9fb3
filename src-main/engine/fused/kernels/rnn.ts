// AssemblyScript (not TypeScript): fused recurrent kernels for RNN Lab, built by
// scripts/build-kernels.mjs into ../rnn-kernels.wasm (WebAssembly SIMD, --runtime stub).
//
// Memory is managed by the JS driver (src-main/engine/fused/wasm-kernels.ts): every pointer is a
// byte offset into the exported memory, every leading dimension (ld*) is in float elements.
// Nothing here allocates. All matrices are row-major f32.

// ---------------------------------------------------------------------------------------------
// SIMD math

// @ts-ignore: decorator
@inline function splat(x: f32): v128 {
  return f32x4.splat(x)
}

// exp(x), Cephes expf polynomial with Cody-Waite range reduction (rel. error ~1e-7 on [-87, 88]).
// @ts-ignore: decorator
@inline function vexp(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, splat(-87.0)), splat(88.0))
  const fx = f32x4.nearest(f32x4.mul(x, splat(1.44269504088896341)))
  let r = f32x4.sub(x, f32x4.mul(fx, splat(0.693359375)))
  r = f32x4.sub(r, f32x4.mul(fx, splat(-2.12194440e-4)))
  let y = splat(1.9875691500e-4)
  y = f32x4.add(f32x4.mul(y, r), splat(1.3981999507e-3))
  y = f32x4.add(f32x4.mul(y, r), splat(8.3334519073e-3))
  y = f32x4.add(f32x4.mul(y, r), splat(4.1665795894e-2))
  y = f32x4.add(f32x4.mul(y, r), splat(1.6666665459e-1))
  y = f32x4.add(f32x4.mul(y, r), splat(5.0000001201e-1))
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), splat(1.0))
  const n = i32x4.trunc_sat_f32x4_s(fx)
  const pow2n = i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23)
  return f32x4.mul(y, pow2n)
}

// @ts-ignore: decorator
@inline function vsigmoid(x: v128): v128 {
  return f32x4.div(splat(1.0), f32x4.add(splat(1.0), vexp(f32x4.neg(x))))
}

// tanh: Eigen's rational approximation (odd degree-13 / even degree-6 polynomials in x, input
// clamped to ±7.9053), as in TensorFlow's CPU kernels: abs. error < 4e-7 everywhere, no exp, one div.
// @ts-ignore: decorator
@inline function vtanh(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, splat(-7.90531110763549805)), splat(7.90531110763549805))
  const x2 = f32x4.mul(x, x)
  let p = splat(-2.76076847742355e-16)
  p = f32x4.add(f32x4.mul(p, x2), splat(2.00018790482477e-13))
  p = f32x4.add(f32x4.mul(p, x2), splat(-8.60467152213735e-11))
  p = f32x4.add(f32x4.mul(p, x2), splat(5.12229709037114e-08))
  p = f32x4.add(f32x4.mul(p, x2), splat(1.48572235717979e-05))
  p = f32x4.add(f32x4.mul(p, x2), splat(6.37261928875436e-04))
  p = f32x4.add(f32x4.mul(p, x2), splat(4.89352455891786e-03))
  p = f32x4.mul(p, x)
  let q = splat(1.19825839466702e-06)
  q = f32x4.add(f32x4.mul(q, x2), splat(1.18534705686654e-04))
  q = f32x4.add(f32x4.mul(q, x2), splat(2.26843463243900e-03))
  q = f32x4.add(f32x4.mul(q, x2), splat(4.89352518554385e-03))
  return f32x4.div(p, q)
}

// @ts-ignore: decorator
@inline function ld(p: usize): v128 {
  return v128.load(p)
}
// @ts-ignore: decorator
@inline function st(p: usize, v: v128): void {
  v128.store(p, v)
}

// ---------------------------------------------------------------------------------------------
// Matrix products

/** C[M,N] (acc ? += : =) A[M,K] · B[K,N]. Register-blocked 4×8, column panels outermost. */
export function matmul(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, lda: i32, ldb: i32, ldc: i32, acc: i32): void {
  const N8 = N & ~7
  const sa = (<usize>lda) << 2
  const sb = (<usize>ldb) << 2
  const sc = (<usize>ldc) << 2
  for (let j = 0; j < N8; j += 8) {
    const bj = b + ((<usize>j) << 2)
    let i = 0
    for (; i + 4 <= M; i += 4) {
      const a0 = a + (<usize>i) * sa
      const a1 = a0 + sa
      const a2 = a1 + sa
      const a3 = a2 + sa
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0)
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0)
      let pb = bj
      for (let k = 0; k < K; k++) {
        const kk = (<usize>k) << 2
        const b0 = v128.load(pb)
        const b1 = v128.load(pb, 16)
        pb += sb
        const x0 = v128.load32_splat(a0 + kk)
        c00 = f32x4.add(c00, f32x4.mul(x0, b0))
        c01 = f32x4.add(c01, f32x4.mul(x0, b1))
        const x1 = v128.load32_splat(a1 + kk)
        c10 = f32x4.add(c10, f32x4.mul(x1, b0))
        c11 = f32x4.add(c11, f32x4.mul(x1, b1))
        const x2 = v128.load32_splat(a2 + kk)
        c20 = f32x4.add(c20, f32x4.mul(x2, b0))
        c21 = f32x4.add(c21, f32x4.mul(x2, b1))
        const x3 = v128.load32_splat(a3 + kk)
        c30 = f32x4.add(c30, f32x4.mul(x3, b0))
        c31 = f32x4.add(c31, f32x4.mul(x3, b1))
      }
      const p0 = c + (<usize>i) * sc + ((<usize>j) << 2)
      const p1 = p0 + sc
      const p2 = p1 + sc
      const p3 = p2 + sc
      if (acc) {
        c00 = f32x4.add(c00, ld(p0)); c01 = f32x4.add(c01, v128.load(p0, 16))
        c10 = f32x4.add(c10, ld(p1)); c11 = f32x4.add(c11, v128.load(p1, 16))
        c20 = f32x4.add(c20, ld(p2)); c21 = f32x4.add(c21, v128.load(p2, 16))
        c30 = f32x4.add(c30, ld(p3)); c31 = f32x4.add(c31, v128.load(p3, 16))
      }
      st(p0, c00); v128.store(p0, c01, 16)
      st(p1, c10); v128.store(p1, c11, 16)
      st(p2, c20); v128.store(p2, c21, 16)
      st(p3, c30); v128.store(p3, c31, 16)
    }
    for (; i < M; i++) {
      const a0 = a + (<usize>i) * sa
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0)
      let pb = bj
      for (let k = 0; k < K; k++) {
        const x0 = v128.load32_splat(a0 + ((<usize>k) << 2))
        c00 = f32x4.add(c00, f32x4.mul(x0, v128.load(pb)))
        c01 = f32x4.add(c01, f32x4.mul(x0, v128.load(pb, 16)))
        pb += sb
      }
      const p0 = c + (<usize>i) * sc + ((<usize>j) << 2)
      if (acc) {
        c00 = f32x4.add(c00, ld(p0)); c01 = f32x4.add(c01, v128.load(p0, 16))
      }
      st(p0, c00); v128.store(p0, c01, 16)
    }
  }
  // Remaining columns (N not a multiple of 8): scalar.
  for (let j = N8; j < N; j++) {
    for (let i = 0; i < M; i++) {
      const a0 = a + (<usize>i) * sa
      let s: f32 = 0
      let pb = b + ((<usize>j) << 2)
      for (let k = 0; k < K; k++) {
        s += load<f32>(a0 + ((<usize>k) << 2)) * load<f32>(pb)
        pb += sb
      }
      const pc = c + (<usize>i) * sc + ((<usize>j) << 2)
      store<f32>(pc, acc ? load<f32>(pc) + s : s)
    }
  }
}

/** C[i,:] += sum_k A[i,k] · B[k,:], skipping zero A[i,k] (one-hot inputs). C must be initialised. */
export function matmulSparseA(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, lda: i32, ldb: i32, ldc: i32): void {
  const N4 = N & ~3
  for (let i = 0; i < M; i++) {
    const ai = a + (<usize>i) * ((<usize>lda) << 2)
    const ci = c + (<usize>i) * ((<usize>ldc) << 2)
    for (let k = 0; k < K; k++) {
      const s = load<f32>(ai + ((<usize>k) << 2))
      if (s == 0) continue
      const bk = b + (<usize>k) * ((<usize>ldb) << 2)
      const sv = splat(s)
      let j = 0
      for (; j < N4; j += 4) {
        const o = (<usize>j) << 2
        st(ci + o, f32x4.add(ld(ci + o), f32x4.mul(sv, ld(bk + o))))
      }
      for (; j < N; j++) {
        const o = (<usize>j) << 2
        store<f32>(ci + o, load<f32>(ci + o) + s * load<f32>(bk + o))
      }
    }
  }
}

/** C[K,N] += A[M,K]ᵀ · B[M,N], skipping zero A[i,k] (for one-hot inputs; dense inputs use transpose + matmul). */
export function matmulAtBSparse(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, lda: i32, ldb: i32, ldc: i32): void {
  const N4 = N & ~3
  for (let i = 0; i < M; i++) {
    const ai = a + (<usize>i) * ((<usize>lda) << 2)
    const bi = b + (<usize>i) * ((<usize>ldb) << 2)
    for (let k = 0; k < K; k++) {
      const s = load<f32>(ai + ((<usize>k) << 2))
      if (s == 0) continue
      const ck = c + (<usize>k) * ((<usize>ldc) << 2)
      const sv = splat(s)
      let j = 0
      for (; j < N4; j += 4) {
        const o = (<usize>j) << 2
        st(ck + o, f32x4.add(ld(ck + o), f32x4.mul(sv, ld(bi + o))))
      }
      for (; j < N; j++) {
        const o = (<usize>j) << 2
        store<f32>(ck + o, load<f32>(ck + o) + s * load<f32>(bi + o))
      }
    }
  }
}

/** dst[c, r] = src[r, c] for an R×Cc block (leading dims lds, ldd), in 4×4 tiles where possible. */
export function transpose(src: usize, dst: usize, R: i32, Cc: i32, lds: i32, ldd: i32): void {
  for (let r0 = 0; r0 < R; r0 += 32) {
    const r1 = min(R, r0 + 32)
    for (let c0 = 0; c0 < Cc; c0 += 32) {
      const c1 = min(Cc, c0 + 32)
      for (let r = r0; r < r1; r++) {
        const s = src + (<usize>r) * ((<usize>lds) << 2)
        for (let cc = c0; cc < c1; cc++) {
          store<f32>(dst + ((<usize>cc) * (<usize>ldd) + (<usize>r)) * 4, load<f32>(s + ((<usize>cc) << 2)))
        }
      }
    }
  }
}

/** Each of M rows (leading dim ldc) of C[:, 0..N) set to v[0..N). */
export function fillRows(c: usize, v: usize, M: i32, N: i32, ldc: i32): void {
  for (let i = 0; i < M; i++) memory.copy(c + (<usize>i) * ((<usize>ldc) << 2), v, (<usize>N) << 2)
}

/** out[0..N) += column sums of A[M,N] (leading dim lda). */
export function colSumAcc(a: usize, out: usize, M: i32, N: i32, lda: i32): void {
  const N4 = N & ~3
  for (let i = 0; i < M; i++) {
    const ai = a + (<usize>i) * ((<usize>lda) << 2)
    let j = 0
    for (; j < N4; j += 4) {
      const o = (<usize>j) << 2
      st(out + o, f32x4.add(ld(out + o), ld(ai + o)))
    }
    for (; j < N; j++) {
      const o = (<usize>j) << 2
      store<f32>(out + o, load<f32>(out + o) + load<f32>(ai + o))
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Elementwise helpers for ragged tails: a scalar lane processed with the vector formulas.

// @ts-ignore: decorator
@inline function ldx(p: usize, vec: bool): v128 {
  return vec ? v128.load(p) : v128.load32_splat(p)
}
// @ts-ignore: decorator
@inline function stx(p: usize, v: v128, vec: bool): void {
  if (vec) v128.store(p, v)
  else store<f32>(p, f32x4.extract_lane(v, 0))
}

// ---------------------------------------------------------------------------------------------
// LSTM (Keras gate order i, f, c, o; gates sigmoid, cell tanh)
//
// Forward buffers (batch-major): acts [B,T,4U] (in: x·W + b, out: gate activations i f g o),
// H [B,T,U] hidden states, C [B,T,U] cell states, TC [B,T,U] tanh(C). h0, c0: [B,U].

export function lstmForwardSteps(B: i32, T: i32, U: i32, R: usize, h0: usize, c0: usize, acts: usize, H: usize, C: usize, TC: usize): void {
  const G = 4 * U
  const uB = (<usize>U) << 2
  for (let t = 0; t < T; t++) {
    const zt = acts + ((<usize>t) * (<usize>G) << 2)
    if (t == 0) matmul(h0, R, zt, B, U, G, U, G, T * G, 1)
    else matmul(H + ((<usize>(t - 1)) * (<usize>U) << 2), R, zt, B, U, G, T * U, G, T * G, 1)
    for (let b = 0; b < B; b++) {
      const row = (<usize>b) * (<usize>T) + (<usize>t)
      const z = acts + row * (<usize>G) * 4
      const cp = t == 0 ? c0 + (<usize>b) * uB : C + (row - 1) * uB
      const pc = C + row * uB
      const ph = H + row * uB
      const ptc = TC + row * uB
      for (let u = 0; u < U; u += 4) {
        const vec = u + 4 <= U
        const n = vec ? 1 : U - u
        for (let l = 0; l < n; l++) {
          const o = (<usize>(u + l)) << 2
          const ig = vsigmoid(ldx(z + o, vec))
          const fg = vsigmoid(ldx(z + uB + o, vec))
          const gg = vtanh(ldx(z + 2 * uB + o, vec))
          const og = vsigmoid(ldx(z + 3 * uB + o, vec))
          const cc = f32x4.add(f32x4.mul(fg, ldx(cp + o, vec)), f32x4.mul(ig, gg))
          const tc = vtanh(cc)
          stx(z + o, ig, vec)
          stx(z + uB + o, fg, vec)
          stx(z + 2 * uB + o, gg, vec)
          stx(z + 3 * uB + o, og, vec)
          stx(pc + o, cc, vec)
          stx(ptc + o, tc, vec)
          stx(ph + o, f32x4.mul(og, tc), vec)
        }
      }
    }
  }
}

/**
 * LSTM BPTT over all steps. dH: [B,T,U] (seq=1) or [B,U] (seq=0, gradient of the last state).
 * Writes dG [B,T,4U] (gradient of the gate pre-activations) and dh/dc [B,U] (ending as the
 * gradients of h0, c0). RT: scratch [4U, U] holding Rᵀ.
 */
export function lstmBackwardSteps(B: i32, T: i32, U: i32, RT: usize, c0: usize, acts: usize, C: usize, TC: usize, dH: usize, seq: i32, dG: usize, dh: usize, dc: usize): void {
  const G = 4 * U
  const uB = (<usize>U) << 2
  memory.fill(dc, 0, (<usize>B) * uB)
  if (seq) memory.fill(dh, 0, (<usize>B) * uB)
  else memory.copy(dh, dH, (<usize>B) * uB)
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const row = (<usize>b) * (<usize>T) + (<usize>t)
      const a = acts + row * (<usize>G) * 4
      const g = dG + row * (<usize>G) * 4
      const cp = t == 0 ? c0 + (<usize>b) * uB : C + (row - 1) * uB
      const ptc = TC + row * uB
      const pdh = dh + (<usize>b) * uB
      const pdc = dc + (<usize>b) * uB
      const pdo = dH + row * uB
      for (let u = 0; u < U; u += 4) {
        const vec = u + 4 <= U
        const n = vec ? 1 : U - u
        for (let l = 0; l < n; l++) {
          const o = (<usize>(u + l)) << 2
          let dhv = ldx(pdh + o, vec)
          if (seq) dhv = f32x4.add(dhv, ldx(pdo + o, vec))
          const ig = ldx(a + o, vec)
          const fg = ldx(a + uB + o, vec)
          const gg = ldx(a + 2 * uB + o, vec)
          const og = ldx(a + 3 * uB + o, vec)
          const tc = ldx(ptc + o, vec)
          const one = splat(1.0)
          const dov = f32x4.mul(dhv, tc)
          const dcv = f32x4.add(ldx(pdc + o, vec), f32x4.mul(f32x4.mul(dhv, og), f32x4.sub(one, f32x4.mul(tc, tc))))
          const di = f32x4.mul(dcv, gg)
          const dgg = f32x4.mul(dcv, ig)
          const df = f32x4.mul(dcv, ldx(cp + o, vec))
          stx(pdc + o, f32x4.mul(dcv, fg), vec)
          stx(g + o, f32x4.mul(di, f32x4.mul(ig, f32x4.sub(one, ig))), vec)
          stx(g + uB + o, f32x4.mul(df, f32x4.mul(fg, f32x4.sub(one, fg))), vec)
          stx(g + 2 * uB + o, f32x4.mul(dgg, f32x4.sub(one, f32x4.mul(gg, gg))), vec)
          stx(g + 3 * uB + o, f32x4.mul(dov, f32x4.mul(og, f32x4.sub(one, og))), vec)
        }
      }
    }
    // dh_{t-1} = dG_t · Rᵀ
    matmul(dG + ((<usize>t) * (<usize>G) << 2), RT, dh, B, G, U, T * G, U, U, 0)
  }
}

// ---------------------------------------------------------------------------------------------
// GRU, Keras reset_after=True (gate order z, r, h; bias row 0 input, row 1 recurrent)
//
// acts [B,T,3U]: in x·W + b_in, out z, r, hh. RH [B,T,U]: h_{t-1}·U_h + b_rec_h. RZ: scratch [B,3U].

export function gruForwardSteps(B: i32, T: i32, U: i32, R: usize, bRec: usize, h0: usize, acts: usize, H: usize, RH: usize, RZ: usize): void {
  const G = 3 * U
  const uB = (<usize>U) << 2
  for (let t = 0; t < T; t++) {
    fillRows(RZ, bRec, B, G, G)
    if (t == 0) matmul(h0, R, RZ, B, U, G, U, G, G, 1)
    else matmul(H + ((<usize>(t - 1)) * (<usize>U) << 2), R, RZ, B, U, G, T * U, G, G, 1)
    for (let b = 0; b < B; b++) {
      const row = (<usize>b) * (<usize>T) + (<usize>t)
      const z = acts + row * (<usize>G) * 4
      const rz = RZ + (<usize>b) * (<usize>G) * 4
      const hp = t == 0 ? h0 + (<usize>b) * uB : H + (row - 1) * uB
      const ph = H + row * uB
      const prh = RH + row * uB
      for (let u = 0; u < U; u += 4) {
        const vec = u + 4 <= U
        const n = vec ? 1 : U - u
        for (let l = 0; l < n; l++) {
          const o = (<usize>(u + l)) << 2
          const zg = vsigmoid(f32x4.add(ldx(z + o, vec), ldx(rz + o, vec)))
          const rg = vsigmoid(f32x4.add(ldx(z + uB + o, vec), ldx(rz + uB + o, vec)))
          const rh = ldx(rz + 2 * uB + o, vec)
          const hh = vtanh(f32x4.add(ldx(z + 2 * uB + o, vec), f32x4.mul(rg, rh)))
          const hpv = ldx(hp + o, vec)
          // h = z·h_prev + (1 − z)·hh = hh + z·(h_prev − hh)
          const hv = f32x4.add(hh, f32x4.mul(zg, f32x4.sub(hpv, hh)))
          stx(z + o, zg, vec)
          stx(z + uB + o, rg, vec)
          stx(z + 2 * uB + o, hh, vec)
          stx(prh + o, rh, vec)
          stx(ph + o, hv, vec)
        }
      }
    }
  }
}

/** GRU BPTT: writes dG [B,T,3U] (input side) and dGR [B,T,3U] (recurrent side); dh ends as dL/dh0. */
export function gruBackwardSteps(B: i32, T: i32, U: i32, RT: usize, h0: usize, acts: usize, H: usize, RH: usize, dH: usize, seq: i32, dG: usize, dGR: usize, dh: usize): void {
  const G = 3 * U
  const uB = (<usize>U) << 2
  if (seq) memory.fill(dh, 0, (<usize>B) * uB)
  else memory.copy(dh, dH, (<usize>B) * uB)
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const row = (<usize>b) * (<usize>T) + (<usize>t)
      const a = acts + row * (<usize>G) * 4
      const g = dG + row * (<usize>G) * 4
      const gr = dGR + row * (<usize>G) * 4
      const hp = t == 0 ? h0 + (<usize>b) * uB : H + (row - 1) * uB
      const prh = RH + row * uB
      const pdh = dh + (<usize>b) * uB
      const pdo = dH + row * uB
      for (let u = 0; u < U; u += 4) {
        const vec = u + 4 <= U
        const n = vec ? 1 : U - u
        for (let l = 0; l < n; l++) {
          const o = (<usize>(u + l)) << 2
          const one = splat(1.0)
          let dhv = ldx(pdh + o, vec)
          if (seq) dhv = f32x4.add(dhv, ldx(pdo + o, vec))
          const zg = ldx(a + o, vec)
          const rg = ldx(a + uB + o, vec)
          const hh = ldx(a + 2 * uB + o, vec)
          const rh = ldx(prh + o, vec)
          const hpv = ldx(hp + o, vec)
          const dz = f32x4.mul(dhv, f32x4.sub(hpv, hh))
          const dah = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, zg)), f32x4.sub(one, f32x4.mul(hh, hh)))
          const dr = f32x4.mul(dah, rh)
          const dzp = f32x4.mul(dz, f32x4.mul(zg, f32x4.sub(one, zg)))
          const drp = f32x4.mul(dr, f32x4.mul(rg, f32x4.sub(one, rg)))
          stx(g + o, dzp, vec)
          stx(g + uB + o, drp, vec)
          stx(g + 2 * uB + o, dah, vec)
          stx(gr + o, dzp, vec)
          stx(gr + uB + o, drp, vec)
          stx(gr + 2 * uB + o, f32x4.mul(dah, rg), vec)
          // direct path h_prev → h
          stx(pdh + o, f32x4.mul(dhv, zg), vec)
        }
      }
    }
    matmul(dGR + ((<usize>t) * (<usize>G) << 2), RT, dh, B, G, U, T * G, U, U, 1)
  }
}

// ---------------------------------------------------------------------------------------------
// SimpleRNN (tanh): acts [B,T,U] in x·W + b; H [B,T,U] out.

export function rnnForwardSteps(B: i32, T: i32, U: i32, R: usize, h0: usize, acts: usize, H: usize): void {
  const uB = (<usize>U) << 2
  for (let t = 0; t < T; t++) {
    const zt = acts + ((<usize>t) * (<usize>U) << 2)
    if (t == 0) matmul(h0, R, zt, B, U, U, U, U, T * U, 1)
    else matmul(H + ((<usize>(t - 1)) * (<usize>U) << 2), R, zt, B, U, U, T * U, U, T * U, 1)
    for (let b = 0; b < B; b++) {
      const row = (<usize>b) * (<usize>T) + (<usize>t)
      const z = acts + row * uB
      const ph = H + row * uB
      for (let u = 0; u < U; u += 4) {
        const vec = u + 4 <= U
        const n = vec ? 1 : U - u
        for (let l = 0; l < n; l++) {
          const o = (<usize>(u + l)) << 2
          stx(ph + o, vtanh(ldx(z + o, vec)), vec)
        }
      }
    }
  }
}

export function rnnBackwardSteps(B: i32, T: i32, U: i32, RT: usize, H: usize, dH: usize, seq: i32, dG: usize, dh: usize): void {
  const uB = (<usize>U) << 2
  if (seq) memory.fill(dh, 0, (<usize>B) * uB)
  else memory.copy(dh, dH, (<usize>B) * uB)
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const row = (<usize>b) * (<usize>T) + (<usize>t)
      const g = dG + row * uB
      const ph = H + row * uB
      const pdh = dh + (<usize>b) * uB
      const pdo = dH + row * uB
      for (let u = 0; u < U; u += 4) {
        const vec = u + 4 <= U
        const n = vec ? 1 : U - u
        for (let l = 0; l < n; l++) {
          const o = (<usize>(u + l)) << 2
          let dhv = ldx(pdh + o, vec)
          if (seq) dhv = f32x4.add(dhv, ldx(pdo + o, vec))
          const hv = ldx(ph + o, vec)
          stx(g + o, f32x4.mul(dhv, f32x4.sub(splat(1.0), f32x4.mul(hv, hv))), vec)
        }
      }
    }
    matmul(dG + ((<usize>t) * (<usize>U) << 2), RT, dh, B, U, U, T * U, U, U, 0)
  }
}

// ---------------------------------------------------------------------------------------------
// BPTT helper

/**
 * HT[:, b·T + t] = H_prev[b, t] for the B batch rows given (H_prev[b, t] = t ? H[b, t−1] : h0[b]):
 * the transposed previous hidden states of the dR = H_prevᵀ · dG product. HT has leading dim ldd.
 */
export function transposeHPrev(h0: usize, H: usize, HT: usize, B: i32, T: i32, U: i32, ldd: i32): void {
  const uB = (<usize>U) << 2
  for (let b = 0; b < B; b++) {
    const col = HT + ((<usize>b) * (<usize>T) << 2)
    transpose(h0 + (<usize>b) * uB, col, 1, U, U, ldd)
    if (T > 1) transpose(H + (<usize>b) * (<usize>T) * uB, col + 4, T - 1, U, U, ldd)
  }
}
