// The compare page's loss panels as data (cut out of CompareView): per-run curves, grouped curves with a
// band, the legend, and the export's title and axes.
import { describe, expect, it } from 'vitest'
import { epochs, run } from '../../lib/run-fixtures'
import { lossChart, lossExportSpec, type LossChartOptions } from './loss-panels'

const options = (patch: Partial<LossChartOptions> = {}): LossChartOptions => ({
  activeGroup: null,
  band: 'minmax',
  xMode: 'epoch',
  emaAlpha: 0,
  colorIndex: { a: 1, b: 2 },
  baseline: null,
  ...patch
})

describe('lossChart', () => {
  const a = run('a', {
    epochs: epochs([
      [1, 2],
      [0.5, 1]
    ])
  })
  const b = run('b', { epochs: epochs([[3, null]]) })

  it('one train curve per run, a dashed val curve only where there is validation, the baseline thicker', () => {
    const chart = lossChart([a, b], options({ baseline: 'a' }))
    expect(chart.series.map((s) => [s.label, s.dashed ?? false, s.width, s.color])).toEqual([
      ['a · train', false, 3, '--chart-1'],
      ['a · val', true, 3, '--chart-1'],
      ['b · train', false, 2, '--chart-2']
    ])
    expect(chart.series[0].y).toEqual([1, 0.5])
    expect(chart.bands).toEqual([])
    expect(chart.legend).toEqual([
      { label: 'a', color: '--chart-1', detail: 'baseline' },
      { label: 'b', color: '--chart-2', detail: '1 epoch' }
    ])
  })

  it('grouped by a config field: a mean curve per group with a band, the legend counting runs', () => {
    const chart = lossChart([a, b], options({ activeGroup: 'training.seed' }))
    expect(chart.series.every((s) => s.label.includes('(mean)'))).toBe(true)
    expect(chart.bands).toHaveLength(1)
    expect(chart.bands[0].label).toMatch(/min–max$/)
    expect(chart.legend[0].detail).toBe('2 runs')
  })

  it('exports a panel with a title, the loss meaning as the y axis, and the smoothing named', () => {
    const chart = lossChart([a], options())
    const panel = { meaning: { key: 'k', title: 'MSE of scaled values', axis: 'MSE (scaled)' }, runs: [a], ...chart } as never
    const spec = lossExportSpec(panel, 2, { emaAlpha: 0.3, activeGroup: null, xTitle: 'Epoch', logScale: true })
    expect(spec.title).toBe('Loss curves — MSE of scaled values')
    expect(spec.yTitle).toBe('MSE (scaled)')
    expect(spec.subtitle).toBe('Training loss solid, validation loss dashed · smoothed (EMA 0.30)')
    expect(spec.logY).toBe(true)
    expect(lossExportSpec(panel, 1, { emaAlpha: 0, activeGroup: null, xTitle: 'Epoch', logScale: false }).title).toBe(
      'Loss curves of 1 run'
    )
  })
})
