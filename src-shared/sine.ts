/** The course's sine-wave series, generated reproducibly from its parameters. */
import { gaussian, mulberry32 } from './random'
import type { SineParams } from './domain'

export function generateSine(p: Pick<SineParams, 'length' | 'frequency' | 'amplitude' | 'noise' | 'seed'>): Float64Array {
  const rand = mulberry32(p.seed)
  const out = new Float64Array(p.length)
  for (let t = 0; t < p.length; t++) {
    const clean = p.amplitude * Math.sin(2 * Math.PI * p.frequency * t)
    out[t] = p.noise > 0 ? clean + p.noise * gaussian(rand) : clean
  }
  return out
}

export function sineName(p: Pick<SineParams, 'frequency' | 'amplitude' | 'noise' | 'length'>): string {
  return `Sine f=${p.frequency} A=${p.amplitude}${p.noise > 0 ? ` noise=${p.noise}` : ''} n=${p.length}`
}
