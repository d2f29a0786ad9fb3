/**
 * The compare dashboard's pure parts: the metric columns (best and last values, test metrics, text
 * metrics), deltas against a pinned baseline run, sorting, EMA smoothing, grouping runs by a config
 * field with a mean ± band per epoch, and the CSV of the table. No DOM, so unit tests can cover it.
 */
import { comparable, type MetricUnit } from '../../src-shared/comparability'
import { getPath } from '../../src-shared/config-paths'
import type { RunDetail } from '../../src-shared/domain'
import { CELL_LABELS, LAYOUT_LABELS } from '../../src-shared/model-config'
import { fmtNum } from './format'

export type Better = 'lower' | 'higher' | null

export interface Column {
  key: string
  label: string
  /** Text columns sort alphabetically and have no delta. */
  kind: 'text' | 'number'
  /** Which way is better (colours the delta); null: a delta without a verdict (epochs, parameters). */
  better: Better
  value: (r: RunDetail) => number | string | null
  /** Only shown when a run of that task is compared. */
  task?: 'forecast' | 'text'
  /** Shown under the value in the table (e.g. the epoch of the best validation loss). */
  note?: (r: RunDetail) => string | null
  /** Display format (default: 4 significant digits). */
  format?: 'int' | 'percent' | 'seconds'
  /** Only with "More columns". */
  extra?: boolean
  /** In the CSV only. */
  csvOnly?: boolean
  /** What the value is measured in: a delta only between runs that share it (default 'any'). */
  unit?: MetricUnit
}

/** "LSTM(32)" or "Bi-GRU(64, 32)". */
export function cellSummary(r: RunDetail): string {
  const c = r.config
  return `${c.model.bidirectional ? 'Bi-' : ''}${CELL_LABELS[c.model.cell]}(${c.model.layers.map((l) => l.units).join(', ')})`
}

/** "Many-to-one · window 20". */
export function layoutSummary(r: RunDetail): string {
  const c = r.config
  return `${LAYOUT_LABELS[c.layout]} · ${c.task === 'forecast' ? `window ${c.window}` : `seq ${c.sequenceLength}`}`
}

/** "LSTM(16, 8) · Many-to-one · window 20". */
export function modelSummary(r: RunDetail): string {
  return `${cellSummary(r)} · ${layoutSummary(r)}`
}

/** The lowest validation loss and its epoch (from the summary, or the epochs when absent). */
export function bestVal(r: RunDetail): { loss: number | null; epoch: number | null } {
  if (r.bestValLoss !== null && r.bestValLoss !== undefined) return { loss: r.bestValLoss, epoch: r.bestEpoch ?? null }
  let loss: number | null = null
  let epoch: number | null = null
  for (const e of r.epochs) {
    if (e.valLoss !== null && Number.isFinite(e.valLoss) && (loss === null || e.valLoss < loss)) {
      loss = e.valLoss
      epoch = e.epoch
    }
  }
  return { loss, epoch }
}

export function bestTrain(r: RunDetail): number | null {
  let best: number | null = null
  for (const e of r.epochs) if (Number.isFinite(e.loss) && (best === null || e.loss < best)) best = e.loss
  return best
}

/** Training time: the last epoch's cumulative elapsed time, in seconds. */
export function trainSeconds(r: RunDetail): number | null {
  const last = r.epochs[r.epochs.length - 1]
  return last ? last.elapsedMs / 1000 : null
}

export const COLUMNS: Column[] = [
  { key: 'name', label: 'Run', kind: 'text', better: null, value: (r) => r.name },
  { key: 'model', label: 'Model', kind: 'text', better: null, value: modelSummary },
  { key: 'epochs', label: 'Epochs', kind: 'number', better: null, value: (r) => r.epochsDone, format: 'int' },
  {
    key: 'bestValLoss',
    unit: 'loss',
    label: 'Best val loss',
    kind: 'number',
    better: 'lower',
    value: (r) => bestVal(r).loss,
    note: (r) => {
      const e = bestVal(r).epoch
      return e === null ? null : `epoch ${e}`
    }
  },
  { key: 'bestEpoch', label: 'Best epoch', kind: 'number', better: null, value: (r) => bestVal(r).epoch, format: 'int', csvOnly: true },
  { key: 'lastLoss', unit: 'loss', label: 'Last train loss', kind: 'number', better: 'lower', value: (r) => r.lastLoss },
  { key: 'lastValLoss', unit: 'loss', label: 'Last val loss', kind: 'number', better: 'lower', value: (r) => r.lastValLoss },
  {
    key: 'rmse',
    unit: 'target',
    label: 'Test RMSE',
    kind: 'number',
    better: 'lower',
    task: 'forecast',
    value: (r) => r.metrics?.test.rmse ?? null
  },
  {
    key: 'mae',
    unit: 'target',
    label: 'Test MAE',
    kind: 'number',
    better: 'lower',
    task: 'forecast',
    value: (r) => r.metrics?.test.mae ?? null
  },
  {
    key: 'mase',
    unit: 'target',
    label: 'Test MASE',
    kind: 'number',
    better: 'lower',
    task: 'forecast',
    value: (r) => r.metrics?.test.mase ?? null
  },
  {
    key: 'persistenceRmse',
    unit: 'target',
    label: 'Persistence RMSE',
    kind: 'number',
    better: null,
    task: 'forecast',
    value: (r) => r.metrics?.baselines.persistence.rmse ?? null
  },
  {
    key: 'textLoss',
    unit: 'text',
    label: 'Text loss',
    kind: 'number',
    better: 'lower',
    task: 'text',
    value: (r) => r.textMetrics?.loss ?? null
  },
  {
    key: 'perplexity',
    unit: 'text',
    label: 'Perplexity',
    kind: 'number',
    better: 'lower',
    task: 'text',
    value: (r) => r.textMetrics?.perplexity ?? null
  },
  {
    key: 'textAccuracy',
    unit: 'text',
    label: 'Text accuracy',
    kind: 'number',
    better: 'higher',
    task: 'text',
    value: (r) => r.textMetrics?.accuracy ?? null,
    format: 'percent'
  },
  // Extra columns, shown on request ("More columns").
  { key: 'bestLoss', unit: 'loss', label: 'Best train loss', kind: 'number', better: 'lower', value: bestTrain, extra: true },
  { key: 'params', label: 'Parameters', kind: 'number', better: null, value: (r) => r.parameterCount, format: 'int', extra: true },
  { key: 'time', label: 'Train time (s)', kind: 'number', better: 'lower', value: trainSeconds, format: 'seconds', extra: true }
]

/** The table's columns for these runs (forecast columns only with a forecast run, and so on). */
export function visibleColumns(runs: readonly RunDetail[], extra = false): Column[] {
  const tasks = new Set(runs.map((r) => r.config.task))
  return COLUMNS.filter((c) => (!c.task || tasks.has(c.task)) && !c.csvOnly && (extra || !c.extra))
}

/** The CSV's columns: the table's, plus the best epoch (a note under the best val loss in the table). */
export function csvColumns(runs: readonly RunDetail[], extra = false): Column[] {
  const tasks = new Set(runs.map((r) => r.config.task))
  return COLUMNS.filter((c) => (!c.task || tasks.has(c.task)) && (extra || !c.extra))
}

export function formatValue(c: Column, v: number | string | null): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'string') return v
  if (!Number.isFinite(v)) return '—'
  switch (c.format) {
    case 'int':
      return Math.round(v).toLocaleString('en-US')
    case 'percent':
      return `${(v * 100).toFixed(1)}%`
    case 'seconds':
      return v < 10 ? v.toFixed(2) : v.toFixed(1)
    default:
      return fmtNum(v)
  }
}

export interface Delta {
  /** value − baseline */
  diff: number
  /** Relative change in percent; null when the baseline is 0. */
  pct: number | null
  /** true: better than the baseline, false: worse, null: equal or no verdict. */
  better: boolean | null
}

export function delta(value: number | string | null, base: number | string | null, better: Better): Delta | null {
  if (typeof value !== 'number' || typeof base !== 'number' || !Number.isFinite(value) || !Number.isFinite(base)) return null
  const diff = value - base
  const pct = base === 0 ? null : (diff / Math.abs(base)) * 100
  const verdict = better === null || diff === 0 ? null : better === 'lower' ? diff < 0 : diff > 0
  return { diff, pct, better: verdict }
}

/** The delta of a column between a run and the baseline, or null when they are not in the same units. */
export function columnDelta(c: Column, run: RunDetail, baseline: RunDetail): Delta | null {
  if (run.id === baseline.id || !comparable(run, baseline, c.unit ?? 'any')) return null
  return delta(c.value(run), c.value(baseline), c.better)
}

/** "−12.4%" with a real minus sign; "±0%" for no change. */
export function fmtPct(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return 'n/a'
  if (Math.abs(pct) < 0.05) return '±0%'
  const digits = Math.abs(pct) >= 100 ? 0 : 1
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(digits)}%`
}

export type SortDir = 'asc' | 'desc'

/** Runs sorted by a column; missing values always last. A stable sort (ties keep the given order). */
export function sortRuns(runs: readonly RunDetail[], column: Column | undefined, dir: SortDir): RunDetail[] {
  if (!column) return [...runs]
  const sign = dir === 'asc' ? 1 : -1
  return runs
    .map((r, i) => ({ r, i, v: column.value(r) }))
    .sort((a, b) => {
      const an = a.v === null || (typeof a.v === 'number' && !Number.isFinite(a.v))
      const bn = b.v === null || (typeof b.v === 'number' && !Number.isFinite(b.v))
      if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1
      const c =
        typeof a.v === 'number' && typeof b.v === 'number'
          ? a.v - b.v
          : String(a.v).localeCompare(String(b.v), undefined, { numeric: true })
      return c === 0 ? a.i - b.i : sign * c
    })
    .map((x) => x.r)
}

/** Exponential moving average (TensorBoard-style, debiased so the start is not dragged to 0). */
export function ema(values: readonly (number | null)[], alpha: number): (number | null)[] {
  if (!(alpha > 0)) return [...values]
  let acc = 0
  let weight = 0
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null
    acc = alpha * acc + (1 - alpha) * v
    weight = alpha * weight + (1 - alpha)
    return acc / weight
  })
}

export type XMode = 'epoch' | 'time'

export function xValues(r: RunDetail, mode: XMode): number[] {
  return r.epochs.map((e) => (mode === 'epoch' ? e.epoch : e.elapsedMs / 1000))
}

export type BandKind = 'minmax' | 'sd'

export interface Group {
  key: string
  label: string
  runs: RunDetail[]
  /** Per epoch (1..n): x (epoch or mean wall time), mean, low and high of the train and val loss. */
  x: number[]
  train: { mean: (number | null)[]; lo: (number | null)[]; hi: (number | null)[] }
  val: { mean: (number | null)[]; lo: (number | null)[]; hi: (number | null)[] }
}

function stats(values: number[], band: BandKind): { mean: number | null; lo: number | null; hi: number | null } {
  if (values.length === 0) return { mean: null, lo: null, hi: null }
  const mean = values.reduce((s, v) => s + v, 0) / values.length
  if (band === 'minmax') return { mean, lo: Math.min(...values), hi: Math.max(...values) }
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0
  return { mean, lo: mean - sd, hi: mean + sd }
}

export function scalarLabel(v: unknown): string {
  if (v === undefined) return '(absent)'
  if (v === null) return 'null'
  if (Array.isArray(v)) return v.length ? JSON.stringify(v) : '[]'
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** Runs grouped by the value of one config path, with mean and band of the (smoothed) losses per epoch. */
export function groupRuns(runs: readonly RunDetail[], path: string, band: BandKind, mode: XMode, alpha = 0): Group[] {
  const groups = new Map<string, RunDetail[]>()
  for (const r of runs) {
    const key = scalarLabel(getPath(r.config, path))
    groups.set(key, [...(groups.get(key) ?? []), r])
  }
  const keys = [...groups.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  return keys.map((key) => {
    const members = groups.get(key)!
    const smoothed = members.map((r) => ({
      r,
      loss: ema(
        r.epochs.map((e) => e.loss),
        alpha
      ),
      val: ema(
        r.epochs.map((e) => e.valLoss),
        alpha
      )
    }))
    const n = Math.max(0, ...members.map((r) => r.epochs.length))
    const g: Group = {
      key,
      label: `${path.replace(/^.*\./, '')} = ${key}`,
      runs: members,
      x: [],
      train: { mean: [], lo: [], hi: [] },
      val: { mean: [], lo: [], hi: [] }
    }
    for (let i = 0; i < n; i++) {
      const at = smoothed.filter((s) => s.r.epochs[i] !== undefined)
      const times = at.map((s) => s.r.epochs[i].elapsedMs / 1000)
      g.x.push(mode === 'epoch' ? i + 1 : times.reduce((a, b) => a + b, 0) / Math.max(1, times.length))
      const t = stats(
        at.map((s) => s.loss[i]).filter((v): v is number => v !== null),
        band
      )
      const v = stats(
        at.map((s) => s.val[i]).filter((v): v is number => v !== null),
        band
      )
      g.train.mean.push(t.mean)
      g.train.lo.push(t.lo)
      g.train.hi.push(t.hi)
      g.val.mean.push(v.mean)
      g.val.lo.push(v.lo)
      g.val.hi.push(v.hi)
    }
    return g
  })
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * The table as CSV: one row per run in the shown order, full-precision values, and with a baseline a
 * "Δ% vs baseline" column after every numeric column.
 */
export function toCsv(runs: readonly RunDetail[], columns: readonly Column[], baseline: RunDetail | null): string {
  const header: string[] = ['Run ID']
  for (const c of columns) {
    header.push(c.label)
    if (baseline && c.kind === 'number') header.push(`${c.label} Δ% vs baseline`)
  }
  if (baseline) header.push('Baseline')
  const lines = [header.map(csvCell).join(',')]
  for (const r of runs) {
    const row: unknown[] = [r.id]
    for (const c of columns) {
      const v = c.value(r)
      row.push(v)
      if (baseline && c.kind === 'number') {
        const d = columnDelta(c, r, baseline)
        row.push(d?.pct === null || d === null ? null : Number(d.pct.toFixed(4)))
      }
    }
    if (baseline) row.push(r.id === baseline.id ? 'yes' : '')
    lines.push(row.map(csvCell).join(','))
  }
  return lines.join('\r\n') + '\r\n'
}
