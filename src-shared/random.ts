/** A seeded uniform source whose position can be saved (`state`) and continued (`seededRandom(state)`). */
export interface SeededRandom {
  (): number
  state(): number
}

/** Small seeded PRNG (mulberry32) for reproducible data generation and batch shuffling. */
export function mulberry32(seed: number): SeededRandom {
  return seededRandom(seed >>> 0)
}

/** mulberry32 continued from a saved `state()`. */
export function seededRandom(state: number): SeededRandom {
  let a = state >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return Object.assign(next, { state: () => a })
}

/** Standard normal sample by Box–Muller from a uniform source. */
export function gaussian(rand: () => number): number {
  let u = 0
  while (u === 0) u = rand()
  const v = rand()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** Fisher–Yates shuffle of 0..n-1 driven by `rand`. */
export function shuffledIndices(n: number, rand: () => number): Int32Array {
  const idx = new Int32Array(n)
  for (let i = 0; i < n; i++) idx[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const t = idx[i]
    idx[i] = idx[j]
    idx[j] = t
  }
  return idx
}
