/**
 * Synthetic datasets: a seeded geometric-Brownian-motion stock (daily OHLCV on business days)
 * and a short original verse for character-level language-model examples.
 * (The sine series lives in src-shared/sine.ts.)
 */
import { gaussian, mulberry32 } from '../../src-shared/random'

export interface GbmStockParams {
  /** First opening price (> 0). */
  startPrice: number
  /** Annual drift μ, e.g. 0.05 for 5 % a year. */
  drift: number
  /** Annual volatility σ, e.g. 0.2. */
  volatility: number
  /** Number of business days (rows). */
  days: number
  seed: number
  /** First day (ISO date); moved forward to a Monday–Friday. Default 2020-01-02. */
  startDate?: string
}

export interface GbmStock {
  /** Epoch ms (UTC midnight) of each business day. */
  date: Float64Array
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
}

const DAY = 86_400_000
const TRADING_DAYS = 252

function nextBusinessDay(t: number): number {
  let d = t
  for (;;) {
    const wd = new Date(d).getUTCDay()
    if (wd !== 0 && wd !== 6) return d
    d += DAY
  }
}

/**
 * Daily prices from geometric Brownian motion, S(t+1) = S(t)·exp((μ − σ²/2)Δt + σ√Δt·Z), Δt = 1/252,
 * on consecutive business days (Mon–Fri; no holidays). Open is the previous close with a small
 * overnight move, High/Low bracket Open and Close by an intraday excursion, Volume is log-normal
 * around one million. Same parameters and seed → same series.
 */
export function generateGbmStock(p: GbmStockParams): GbmStock {
  if (!(p.startPrice > 0) || !(p.volatility >= 0) || !Number.isInteger(p.days) || p.days < 0) {
    throw new RangeError('generateGbmStock: startPrice > 0, volatility ≥ 0 and an integer days ≥ 0 are required')
  }
  const rand = mulberry32(p.seed)
  const n = p.days
  const out: GbmStock = {
    date: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n)
  }
  const dt = 1 / TRADING_DAYS
  const sd = p.volatility * Math.sqrt(dt)
  const mu = (p.drift - (p.volatility * p.volatility) / 2) * dt
  let t = nextBusinessDay(Date.parse(`${p.startDate ?? '2020-01-02'}T00:00:00Z`))
  let prevClose = p.startPrice
  for (let i = 0; i < n; i++) {
    const open = i === 0 ? p.startPrice : prevClose * Math.exp(0.2 * sd * gaussian(rand))
    const close = open * Math.exp(mu + 0.98 * sd * gaussian(rand))
    const up = Math.abs(gaussian(rand)) * sd * 0.5
    const down = Math.abs(gaussian(rand)) * sd * 0.5
    out.date[i] = t
    out.open[i] = open
    out.close[i] = close
    out.high[i] = Math.max(open, close) * (1 + up)
    out.low[i] = Math.min(open, close) * Math.max(0.01, 1 - down)
    out.volume[i] = Math.round(1_000_000 * Math.exp(0.4 * gaussian(rand)))
    prevClose = close
    t = nextBusinessDay(t + DAY)
  }
  return out
}

/**
 * A short original verse (written for RNN Lab, free to use) for character-level LM examples:
 * small vocabulary, lots of repetition, easy to see a model learn.
 */
export const ORIGINAL_VERSE = `The little lamp upon the hill
keeps watch when all the roads are still.
It hums a tune of copper light
to every moth that flies at night.

Round and round the lantern goes,
past the gate and past the rows,
one for the baker, two for the tide,
three for the fox with the silver hide.

The little lamp upon the hill
will shine for you and shine for Jill,
and when the morning bells begin
it folds its light and tucks it in.
`
