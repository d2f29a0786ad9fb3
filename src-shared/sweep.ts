/**
 * Sweeps: a base config and the fields to vary, as a grid (every combination) or a seeded random
 * search, optionally repeated over seeds. Field names are config paths or the shorthands below.
 */
import { z } from 'zod'
import { getPath, setPath, type Scalar } from './config-paths'
import { mulberry32 } from './random'
import { Seed } from './model-config'

/** Shorthands for the fields people sweep most. `units` sets every layer; `layers` the layer count. */
export const SWEEP_ALIASES: Record<string, string> = {
  units: 'model.layers[*].units',
  layers: 'model.layers',
  cell: 'model.cell',
  window: 'window',
  horizon: 'horizon',
  learningRate: 'training.learningRate',
  lr: 'training.learningRate',
  dropout: 'model.dropout',
  batchSize: 'training.batchSize',
  optimizer: 'training.optimizer',
  seed: 'training.seed',
  sequenceLength: 'sequenceLength'
}

const Value = z.union([z.string().max(200), z.number(), z.boolean()])

export const SweepSpec = z
  .strictObject({
    /** Field → values to try (every combination). */
    grid: z.record(z.string().max(200), z.array(Value).min(1).max(100)).optional(),
    /** Random search: `samples` draws, each field uniform over its list or range (log-uniform if asked). */
    random: z
      .strictObject({
        samples: z.number().int().min(1).max(500),
        seed: z.number().int().min(0).default(0),
        space: z.record(
          z.string().max(200),
          z.union([
            z.array(Value).min(1).max(100),
            z.strictObject({ min: z.number(), max: z.number(), log: z.boolean().default(false), integer: z.boolean().default(false) })
          ])
        )
      })
      .optional(),
    /** Repeat every combination with these seeds (mean ± band across seeds in Compare). */
    seeds: z.array(Seed).min(1).max(50).optional()
  })
  .refine((s) => s.grid || s.random || s.seeds, { message: 'give a grid, a random space or seeds' })
export type SweepSpec = z.infer<typeof SweepSpec>

export const MAX_SWEEP_RUNS = 500

/** Sets a field, expanding the shorthands (`units` → every layer's units, `layers` → layer count). */
export function applyField<T>(config: T, field: string, value: Scalar): T {
  const path = SWEEP_ALIASES[field] ?? field
  if (path === 'model.layers[*].units') {
    const layers = (getPath(config, 'model.layers') as { units: number }[]) ?? []
    return setPath(
      config,
      'model.layers',
      layers.map((l) => ({ ...l, units: value }))
    )
  }
  if (path === 'model.layers' && typeof value === 'number') {
    const layers = (getPath(config, 'model.layers') as { units: number }[]) ?? [{ units: 32 }]
    return setPath(
      config,
      'model.layers',
      Array.from({ length: value }, (_, i) => layers[Math.min(i, layers.length - 1)])
    )
  }
  return setPath(config, path, value)
}

export interface SweepPoint {
  /** The varied fields and their values, for naming and grouping. */
  values: Record<string, Scalar>
  config: unknown
}

/** Every config of a sweep (not yet validated), at most MAX_SWEEP_RUNS. */
export function expandSweep(base: unknown, spec: SweepSpec): SweepPoint[] {
  let points: Record<string, Scalar>[] = [{}]
  if (spec.grid) {
    for (const [field, values] of Object.entries(spec.grid)) {
      points = points.flatMap((p) => values.map((v) => ({ ...p, [field]: v })))
    }
  }
  if (spec.random) {
    const rand = mulberry32(spec.random.seed)
    const draws: Record<string, Scalar>[] = []
    for (let i = 0; i < spec.random.samples; i++) {
      const d: Record<string, Scalar> = {}
      for (const [field, dom] of Object.entries(spec.random.space)) {
        if (Array.isArray(dom)) d[field] = dom[Math.floor(rand() * dom.length)]
        else {
          const u = rand()
          let v = dom.log ? Math.exp(Math.log(dom.min) + u * (Math.log(dom.max) - Math.log(dom.min))) : dom.min + u * (dom.max - dom.min)
          if (dom.integer) v = Math.round(v)
          d[field] = v
        }
      }
      draws.push(d)
    }
    points = points.flatMap((p) => draws.map((d) => ({ ...p, ...d })))
  }
  if (spec.seeds) points = points.flatMap((p) => spec.seeds!.map((seed) => ({ ...p, seed })))
  if (points.length > MAX_SWEEP_RUNS) throw new Error(`the sweep makes ${points.length} runs; at most ${MAX_SWEEP_RUNS}`)
  return points.map((values) => ({
    values,
    config: Object.entries(values).reduce((c, [f, v]) => applyField(c, f, v), base)
  }))
}
