/**
 * How much of the validation and test targets lies outside the range the model saw in training, in
 * the form the model reads (levels, or log returns). A network fitted on prices up to 134 cannot
 * forecast 190: its inputs and targets there are outside everything it learnt (with min-max scaling,
 * beyond 1). Said before training and on the run page, with the changes that help.
 */
import { z } from 'zod'
import { logReturns, splitBounds } from './prepare'
import type { ForecastConfig } from './forecast-config'

export const PartRange = z.object({
  values: z.number().int(),
  /** Share of the part's target values above the training maximum / below the training minimum. */
  above: z.number(),
  below: z.number(),
  /** The part's extreme values. */
  min: z.number().nullable(),
  max: z.number().nullable()
})

export const RangeFix = z.object({
  label: z.string(),
  why: z.string(),
  /** The config change that applies it (one click in the UI). */
  patch: z.object({ transform: z.enum(['none', 'logReturns']).optional(), scaling: z.enum(['minmax', 'zscore', 'none']).optional() })
})
export type RangeFix = z.infer<typeof RangeFix>

export const RangeCheck = z.object({
  /** What was compared: the target's levels or its log returns. */
  on: z.enum(['levels', 'logReturns']),
  trainMin: z.number(),
  trainMax: z.number(),
  val: PartRange,
  test: PartRange,
  /** At least WARN_SHARE of the validation or test target is outside the training range. */
  warn: z.boolean(),
  fixes: z.array(RangeFix)
})
export type RangeCheck = z.infer<typeof RangeCheck>

export const WARN_SHARE = 0.05

function partRange(v: ArrayLike<number>, from: number, to: number, lo: number, hi: number): z.infer<typeof PartRange> {
  let above = 0
  let below = 0
  let min = Infinity
  let max = -Infinity
  for (let i = from; i < to; i++) {
    if (v[i] > hi) above++
    if (v[i] < lo) below++
    min = Math.min(min, v[i])
    max = Math.max(max, v[i])
  }
  const n = to - from
  return { values: n, above: n ? above / n : 0, below: n ? below / n : 0, min: n ? min : null, max: n ? max : null }
}

export function outsideShare(p: z.infer<typeof PartRange>): number {
  return p.above + p.below
}

export function checkExtrapolation(rawTarget: Float64Array, config: Pick<ForecastConfig, 'transform' | 'split' | 'scaling'>): RangeCheck {
  const returns = config.transform === 'logReturns'
  const v = returns ? logReturns(rawTarget, 'config.target') : rawTarget
  const { trainEnd, valEnd } = splitBounds(v.length, config.split)
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < trainEnd; i++) {
    lo = Math.min(lo, v[i])
    hi = Math.max(hi, v[i])
  }
  const val = partRange(v, trainEnd, valEnd, lo, hi)
  const test = partRange(v, valEnd, v.length, lo, hi)
  const warn = outsideShare(val) >= WARN_SHARE || outsideShare(test) >= WARN_SHARE
  let positive = true
  for (let i = 0; i < rawTarget.length && positive; i++) positive = rawTarget[i] > 0
  const fixes: RangeFix[] = []
  if (warn && !returns && positive) {
    fixes.push({
      label: 'log returns',
      why: 'ln(x_t / x_t−1) stays in the same range when the price level moves; forecasts are turned back into prices',
      patch: { transform: 'logReturns' }
    })
  }
  if (warn && config.scaling === 'minmax') {
    fixes.push({
      label: 'z-score scaling',
      why: 'values beyond the training range are not squeezed against the 0–1 bounds of min-max scaling (the trend is still unseen)',
      patch: { scaling: 'zscore' }
    })
  }
  return { on: returns ? 'logReturns' : 'levels', trainMin: lo, trainMax: hi, val, test, warn, fixes }
}

/** One sentence for a person: "41 % of the test target is above the training maximum 134.1 (up to 194.6)". */
export function rangeSentence(c: RangeCheck): string {
  const pct = (x: number) => `${Math.round(100 * x)} %`
  const what = c.on === 'logReturns' ? 'log returns' : 'values'
  const part = (name: string, p: z.infer<typeof PartRange>) => {
    const out = outsideShare(p)
    if (out === 0) return `none of the ${name} ${what}`
    const dir =
      p.above >= p.below
        ? `above the training maximum ${fmt(c.trainMax)}, up to ${fmt(p.max!)}`
        : `below the training minimum ${fmt(c.trainMin)}, down to ${fmt(p.min!)}`
    return `${pct(out)} of the ${name} ${what} (${dir})`
  }
  return `Outside the training range: ${part('validation', c.val)}; ${part('test', c.test)}.`
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(3))
