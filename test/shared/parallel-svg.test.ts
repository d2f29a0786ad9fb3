import { describe, expect, it } from 'vitest'
import { EXPORT_THEMES } from '../../src-shared/chart-svg'
import { parallelSvg } from '../../src-shared/parallel-svg'

const chart = {
  title: 'Parallel coordinates of 2 runs',
  subtitle: 'Each line is a run; the last axis is Test RMSE',
  axes: [
    {
      label: 'layers[0].units',
      title: 'model.layers[0].units',
      ticks: [
        { pos: 0, text: '8' },
        { pos: 1, text: '32' }
      ]
    },
    {
      label: 'Test RMSE',
      ticks: [
        { pos: 0, text: '1.2' },
        { pos: 1, text: '3.4' }
      ]
    }
  ],
  runs: [
    { name: 'LSTM <8>', color: '--chart-1', pos: [0, 1], baseline: true },
    { name: 'LSTM 32', color: '--chart-2', pos: [1, null] }
  ]
}

describe('the parallel-coordinates export SVG', () => {
  it('carries the title, a legend entry per run and every axis label, escaped', () => {
    const svg = parallelSvg(chart)
    expect(svg).toContain('>Parallel coordinates of 2 runs</text>')
    expect(svg).toContain('Each line is a run; the last axis is Test RMSE')
    expect(svg.match(/class="legend-item"/g)).toHaveLength(2)
    expect(svg).toContain('>LSTM &lt;8&gt; (baseline)</text>')
    expect(svg).toContain('layers[0].units</text>')
    expect(svg).toContain('Test RMSE</text>')
    expect(svg).toContain('>32</text>')
  })

  it('is drawn in the chosen theme (light by default) with the theme palette for page colours', () => {
    const light = parallelSvg(chart)
    expect(light).toContain(`fill="${EXPORT_THEMES.light.background}"`)
    expect(light).toContain(`stroke="${EXPORT_THEMES.light.palette[0]}"`)
    const dark = parallelSvg(chart, 'dark')
    expect(dark).toContain(`fill="${EXPORT_THEMES.dark.background}"`)
    expect(dark).toContain(`stroke="${EXPORT_THEMES.dark.palette[1]}"`)
    expect(dark).not.toContain('--chart-')
  })

  it('breaks a run without a value on an axis, and grows taller when the legend needs many rows', () => {
    expect(parallelSvg(chart).match(/<polyline/g)).toHaveLength(1)
    const many = { ...chart, runs: Array.from({ length: 50 }, (_, i) => ({ name: `run ${i}`, color: '--chart-3', pos: [0.5, 0.5] })) }
    expect(Number(/height="(\d+)"/.exec(parallelSvg(many))![1])).toBeGreaterThan(540)
  })
})
