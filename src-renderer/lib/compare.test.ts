import { describe, expect, it } from 'vitest'
import type { EpochRecord, RunDetail } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import {
  bestTrain,
  bestVal,
  COLUMNS,
  csvColumns,
  delta,
  ema,
  fmtPct,
  formatValue,
  groupRuns,
  modelSummary,
  scalarLabel,
  sortRuns,
  toCsv,
  trainSeconds,
  visibleColumns,
  type Column
} from './compare'

function epochs(losses: [number, number | null][]): EpochRecord[] {
  return losses.map(([loss, valLoss], i) => ({
    epoch: i + 1,
    loss,
    valLoss,
    elapsedMs: (i + 1) * 1000,
    learningRate: null,
    accuracy: null,
    valAccuracy: null,
    sample: null,
    samplePrime: null
  }))
}

function run(id: string, patch: Partial<RunDetail> = {}): RunDetail {
  return {
    id,
    name: id,
    datasetId: 'ds',
    datasetName: 'sine',
    datasetHash: 'h',
    status: 'completed',
    config: sineExampleConfig(),
    backend: 'wasm',
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    epochsDone: 0,
    lastLoss: null,
    lastValLoss: null,
    bestValLoss: null,
    bestEpoch: null,
    tags: [],
    notes: null,
    sweepId: null,
    metrics: null,
    textMetrics: null,
    error: null,
    epochs: [],
    backendAttempts: [],
    appVersion: '0',
    tfjsVersion: null,
    predictions: null,
    parameterCount: 0,
    artifacts: [],
    finalSample: null,
    importedFrom: null,
    trainedOn: null,
    remoteQueue: null,
    attempt: 1,
    attemptNote: null,
    ...patch
  }
}

const column = (key: string): Column => COLUMNS.find((c) => c.key === key)!

describe('run summaries', () => {
  it('names the model and its layout', () => {
    const c = sineExampleConfig()
    const r = run('a', {
      config: { ...c, model: { ...c.model, cell: 'gru', bidirectional: true, layers: [{ units: 64 }, { units: 32 }] } }
    })
    expect(modelSummary(r)).toBe('Bi-GRU(64, 32) · Many-to-one · window 20')
  })

  it('takes the best validation loss from the summary, else from the epochs', () => {
    expect(bestVal(run('a', { bestValLoss: 0.2, bestEpoch: 3 }))).toEqual({ loss: 0.2, epoch: 3 })
    const r = run('b', {
      epochs: epochs([
        [1, 0.5],
        [0.8, null],
        [0.6, 0.3],
        [0.5, Number.NaN]
      ])
    })
    expect(bestVal(r)).toEqual({ loss: 0.3, epoch: 3 })
    expect(bestVal(run('c'))).toEqual({ loss: null, epoch: null })
  })

  it('best train loss and training time come from the epochs', () => {
    const r = run('a', {
      epochs: epochs([
        [1, null],
        [0.4, null],
        [0.7, null]
      ])
    })
    expect(bestTrain(r)).toBe(0.4)
    expect(trainSeconds(r)).toBe(3)
    expect(trainSeconds(run('b'))).toBeNull()
  })
})

describe('columns', () => {
  it('shows forecast columns for forecast runs only, extras on request, the best epoch in the CSV only', () => {
    const keys = (cs: Column[]) => cs.map((c) => c.key)
    const shown = keys(visibleColumns([run('a')]))
    expect(shown).toContain('rmse')
    expect(shown).not.toContain('perplexity')
    expect(shown).not.toContain('params')
    expect(shown).not.toContain('bestEpoch')
    expect(keys(visibleColumns([run('a')], true))).toContain('params')
    expect(keys(csvColumns([run('a')]))).toContain('bestEpoch')
  })

  it('formats values by the column format', () => {
    expect(formatValue(column('rmse'), null)).toBe('—')
    expect(formatValue(column('rmse'), Number.POSITIVE_INFINITY)).toBe('—')
    expect(formatValue(column('name'), 'run 1')).toBe('run 1')
    expect(formatValue(column('params'), 12345.4)).toBe('12,345')
    expect(formatValue(column('textAccuracy'), 0.4567)).toBe('45.7%')
    expect(formatValue(column('time'), 3.14159)).toBe('3.14')
    expect(formatValue(column('time'), 31.4159)).toBe('31.4')
    expect(formatValue(column('rmse'), 0.123456)).toBe('0.1235')
  })
})

describe('deltas against a baseline', () => {
  it('gives the difference, the relative change and a verdict', () => {
    expect(delta(0.8, 1, 'lower')).toEqual({ diff: expect.closeTo(-0.2, 12), pct: expect.closeTo(-20, 9), better: true })
    expect(delta(0.8, 1, 'higher')?.better).toBe(false)
    expect(delta(1, 1, 'lower')?.better).toBeNull()
    expect(delta(5, 3, null)?.better).toBeNull()
    expect(delta(1, 0, 'lower')?.pct).toBeNull()
    expect(delta('a', 1, 'lower')).toBeNull()
    expect(delta(1, null, 'lower')).toBeNull()
  })

  it('formats the change with a real minus sign', () => {
    expect(fmtPct(-12.44)).toBe('−12.4%')
    expect(fmtPct(150)).toBe('+150%')
    expect(fmtPct(0.01)).toBe('±0%')
    expect(fmtPct(null)).toBe('n/a')
  })
})

describe('sorting', () => {
  const runs = [run('a', { lastLoss: 0.5 }), run('b', { lastLoss: null }), run('c', { lastLoss: 0.1 }), run('d', { lastLoss: 0.5 })]
  const ids = (rs: RunDetail[]) => rs.map((r) => r.id)

  it('sorts either way with missing values last and ties in the given order', () => {
    expect(ids(sortRuns(runs, column('lastLoss'), 'asc'))).toEqual(['c', 'a', 'd', 'b'])
    expect(ids(sortRuns(runs, column('lastLoss'), 'desc'))).toEqual(['a', 'd', 'c', 'b'])
    expect(ids(sortRuns(runs, undefined, 'asc'))).toEqual(['a', 'b', 'c', 'd'])
  })

  it('sorts text with numbers in numeric order', () => {
    const named = ['run 10', 'run 9', 'run 1'].map((name) => run(name))
    expect(ids(sortRuns(named, column('name'), 'asc'))).toEqual(['run 1', 'run 9', 'run 10'])
  })
})

describe('EMA smoothing', () => {
  it('passes values through without smoothing and is debiased at the start', () => {
    expect(ema([1, 2, null], 0)).toEqual([1, 2, null])
    const s = ema([2, 4, null, 4], 0.5)
    expect(s[0]).toBe(2)
    expect(s[1]).toBeCloseTo((0.5 * 1 + 0.5 * 4) / 0.75, 12)
    expect(s[2]).toBeNull()
  })
})

describe('groups', () => {
  const withSeed = (id: string, seed: number, losses: [number, number | null][]) => {
    const c = sineExampleConfig()
    return run(id, { config: { ...c, training: { ...c.training, seed } }, epochs: epochs(losses) })
  }
  const runs = [
    withSeed('a', 1, [
      [1, 2],
      [0.5, 1]
    ]),
    withSeed('b', 1, [[3, 4]]),
    withSeed('c', 2, [[2, null]])
  ]

  it('groups runs by a config value with mean and min–max band per epoch', () => {
    const groups = groupRuns(runs, 'training.seed', 'minmax', 'epoch')
    expect(groups.map((g) => g.label)).toEqual(['seed = 1', 'seed = 2'])
    const [one, two] = groups
    expect(one.runs.map((r) => r.id)).toEqual(['a', 'b'])
    expect(one.x).toEqual([1, 2])
    expect(one.train).toEqual({ mean: [2, 0.5], lo: [1, 0.5], hi: [3, 0.5] })
    expect(one.val.mean).toEqual([3, 1])
    expect(two.val).toEqual({ mean: [null], lo: [null], hi: [null] })
  })

  it('uses a standard-deviation band and mean wall time on request', () => {
    const [one] = groupRuns(runs, 'training.seed', 'sd', 'time')
    expect(one.x).toEqual([1, 2])
    expect(one.train.lo[0]).toBeCloseTo(2 - Math.SQRT2, 12)
    expect(one.train.hi[0]).toBeCloseTo(2 + Math.SQRT2, 12)
  })

  it('labels config values', () => {
    expect(scalarLabel(undefined)).toBe('(absent)')
    expect(scalarLabel(null)).toBe('null')
    expect(scalarLabel([])).toBe('[]')
    expect(scalarLabel([{ units: 8 }])).toBe('[{"units":8}]')
    expect(scalarLabel(32)).toBe('32')
  })
})

describe('CSV', () => {
  it('writes one row per run, a Δ% column per numeric column with a baseline, and quotes when needed', () => {
    const a = run('a', { name: 'first, "quoted"', lastLoss: 1 })
    const b = run('b', { lastLoss: 0.75 })
    const columns = [column('name'), column('lastLoss')]
    expect(toCsv([a, b], columns, null)).toBe('Run ID,Run,Last train loss\r\na,"first, ""quoted""",1\r\nb,b,0.75\r\n')
    expect(toCsv([a, b], columns, a)).toBe(
      'Run ID,Run,Last train loss,Last train loss Δ% vs baseline,Baseline\r\n' + 'a,"first, ""quoted""",1,,yes\r\n' + 'b,b,0.75,-25,\r\n'
    )
  })
})
