import { describe, expect, it } from 'vitest'
import { chartSvg, EXPORT_THEMES, exportColor, niceTicks } from '../../src-shared/chart-svg'

const chart = {
  title: 'Loss by epoch — sine <LSTM>',
  subtitle: 'Forecast of value · MSE on min–max-scaled levels',
  xTitle: 'Epoch',
  yTitle: 'MSE (min–max-scaled value)',
  series: [
    { label: 'LSTM(16) · train', color: '#4f5fe0', x: [1, 2, 3], y: [0.5, 0.2, 0.1] },
    { label: 'LSTM(16) · val', color: '#d97a1e', x: [1, 2, 3], y: [0.6, null, 0.15], dashed: true }
  ]
}

describe('the chart export SVG', () => {
  it('carries the title, a legend entry per series and both axis titles, escaped', () => {
    const svg = chartSvg(chart)
    expect(svg).toContain('Loss by epoch — sine &lt;LSTM&gt;')
    expect(svg.match(/class="legend-item"/g)).toHaveLength(2)
    expect(svg).toContain('>LSTM(16) · val</text>')
    expect(svg).toContain('>Epoch</text>')
    expect(svg).toContain('>MSE (min–max-scaled value)</text>')
    expect(svg).toContain('stroke-dasharray')
  })

  it('uses the chosen theme background (light by default)', () => {
    expect(chartSvg(chart)).toContain(`fill="${EXPORT_THEMES.light.background}"`)
    expect(chartSvg(chart, 'dark')).toContain(`fill="${EXPORT_THEMES.dark.background}"`)
    expect(exportColor('--chart-2', 'light')).toBe(EXPORT_THEMES.light.palette[1])
    expect(exportColor('#123456', 'dark')).toBe('#123456')
  })

  it('ticks stay inside the data instead of overshooting it', () => {
    expect(niceTicks(0, 2518)).toEqual([0, 500, 1000, 1500, 2000, 2500])
    expect(niceTicks(1, 3)).toEqual([1, 1.5, 2, 2.5, 3])
    const svg = chartSvg({ ...chart, series: [{ label: 'a', color: '#000', x: [0, 2518], y: [0, 1] }] })
    expect(svg).not.toContain('>3000<')
  })

  it('labels the x ticks with the given format (dates of a time column)', () => {
    const svg = chartSvg({ ...chart, xTitle: 'Date', xFormat: (x) => `day ${x}` })
    expect(svg).toContain('>day 2</text>')
    expect(svg).toContain('>Date</text>')
  })
})
