/**
 * The compare page's loss panels as data: per panel (runs whose loss means the same thing), the curves of
 * each run — or of each group of runs, as a mean with a band — their legend, and the chart's export.
 */
import type { ExportChart } from '../../../src-shared/chart-svg'
import type { LossMeaning } from '../../../src-shared/comparability'
import type { RunDetail } from '../../../src-shared/domain'
import type { Band, Series } from '../../charts/LineChart.svelte'
import { ema as smooth, groupRuns, xValues, type BandKind, type XMode } from '../../lib/compare'

export interface Legend {
  label: string
  color: string
  detail: string
}

export interface LossChartOptions {
  /** The config path runs are grouped by, or null for one curve per run. */
  activeGroup: string | null
  band: BandKind
  xMode: XMode
  emaAlpha: number
  /** Each run's chart colour (1..8). */
  colorIndex: Record<string, number>
  /** The pinned run, drawn thicker. */
  baseline: string | null
}

export interface LossChart {
  series: Series[]
  bands: Band[]
  legend: Legend[]
}

export type LossPanel = { meaning: LossMeaning; runs: RunDetail[] } & LossChart

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** The curves of runs whose loss means the same thing (one panel): per run, or per group with a band. */
export function lossChart(list: RunDetail[], o: LossChartOptions): LossChart {
  return o.activeGroup ? groupedChart(list, o.activeGroup, o) : perRunChart(list, o)
}

function groupedChart(list: RunDetail[], groupBy: string, o: LossChartOptions): LossChart {
  const groups = groupRuns(list, groupBy, o.band, o.xMode, o.emaAlpha)
  // A group takes its first run's colour when those are all different (one run per group), else its own.
  const own = groups.map((g) => o.colorIndex[g.runs[0].id])
  const groupColors = new Set(own).size === own.length ? own.map((c) => `--chart-${c}`) : groups.map((_, i) => `--chart-${(i % 8) + 1}`)
  const series: Series[] = []
  const bands: Band[] = []
  groups.forEach((g, i) => {
    const color = groupColors[i]
    const hasVal = g.val.mean.some((v) => v !== null)
    series.push({ label: `${g.label} · train (mean)`, x: g.x, y: g.train.mean, color, width: 2 })
    if (hasVal) series.push({ label: `${g.label} · val (mean)`, x: g.x, y: g.val.mean, color, dashed: true, width: 2 })
    bands.push({
      label: `${g.label} · ${hasVal ? 'val' : 'train'} ${o.band === 'sd' ? '±1 sd' : 'min–max'}`,
      x: g.x,
      lo: hasVal ? g.val.lo : g.train.lo,
      hi: hasVal ? g.val.hi : g.train.hi,
      color
    })
  })
  return { series, bands, legend: groups.map((g, i) => ({ label: g.label, color: groupColors[i], detail: plural(g.runs.length, 'run') })) }
}

function perRunChart(list: RunDetail[], o: LossChartOptions): LossChart {
  const series = list.flatMap((r) => {
    const x = xValues(r, o.xMode)
    const color = `--chart-${o.colorIndex[r.id]}`
    const width = r.id === o.baseline ? 3 : 2
    const out: Series[] = [
      {
        label: `${r.name} · train`,
        x,
        y: smooth(
          r.epochs.map((e) => e.loss),
          o.emaAlpha
        ),
        color,
        width
      }
    ]
    if (r.epochs.some((e) => e.valLoss !== null))
      out.push({
        label: `${r.name} · val`,
        x,
        y: smooth(
          r.epochs.map((e) => e.valLoss),
          o.emaAlpha
        ),
        color,
        dashed: true,
        width
      })
    return out
  })
  return {
    series,
    bands: [],
    legend: list.map((r) => ({
      label: r.name,
      color: `--chart-${o.colorIndex[r.id]}`,
      detail: r.id === o.baseline ? 'baseline' : plural(r.epochs.length, 'epoch')
    }))
  }
}

/** A panel's chart as an export: title, what the lines are, axis titles with units, the bands. */
export function lossExportSpec(
  panel: LossPanel,
  panelCount: number,
  o: Pick<LossChartOptions, 'emaAlpha' | 'activeGroup'> & { xTitle: string; logScale: boolean }
): ExportChart {
  const title = panelCount > 1 ? `Loss curves — ${panel.meaning.title}` : `Loss curves of ${plural(panel.runs.length, 'run')}`
  const smoothing = o.emaAlpha > 0 ? ` · smoothed (EMA ${o.emaAlpha.toFixed(2)})` : ''
  return {
    title,
    subtitle: `Training loss solid, validation loss dashed${smoothing}${o.activeGroup ? ` · grouped by ${o.activeGroup}` : ''}`,
    xTitle: o.xTitle,
    yTitle: panel.meaning.axis,
    series: panel.series.map((s) => ({ label: s.label, color: s.color, x: s.x, y: s.y, dashed: s.dashed })),
    bands: panel.bands,
    logY: o.logScale
  }
}
