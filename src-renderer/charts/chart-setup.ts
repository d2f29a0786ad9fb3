/**
 * Chart.js, registered once with only the parts RNN Lab uses (and chartjs-plugin-zoom for wheel zoom
 * and drag pan), plus colours read from CSS variables and the shared line and bar options.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartOptions
} from 'chart.js'
import zoomPlugin from 'chartjs-plugin-zoom'

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  CategoryScale,
  Legend,
  Tooltip,
  Filler,
  Decimation,
  // Off unless a chart's options turn it on (LineChart's zoomable forecast).
  zoomPlugin
)

export { Chart }

/** A colour (#rgb, #rrggbb or rgb()) made translucent, for interval bands. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1]
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16))
    return `rgba(${r}, ${g}, ${b}, ${alpha})`
  }
  const rgb = /^rgba?\(([^)]+)\)$/.exec(color.trim())
  if (rgb) {
    const [r, g, b] = rgb[1].split(/[ ,/]+/)
    return `rgba(${r}, ${g}, ${b}, ${alpha})`
  }
  return color
}

export function cssVar(name: string, fallback = '#888'): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim()
  return v || fallback
}

export interface ChartColors {
  text: string
  grid: string
  train: string
  val: string
  actual: string
  predicted: string
  persistence: string
  palette: string[]
  font: string
}

export function chartColors(): ChartColors {
  return {
    text: cssVar('--chart-text'),
    grid: cssVar('--chart-grid', 'rgba(128,128,128,0.15)'),
    train: cssVar('--chart-train'),
    val: cssVar('--chart-val'),
    actual: cssVar('--chart-actual'),
    predicted: cssVar('--chart-predicted'),
    persistence: cssVar('--chart-persistence'),
    palette: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => cssVar(`--chart-${i}`)),
    font: cssVar('--font-sans', 'system-ui, sans-serif')
  }
}

/** Shared look: fixed-size container, no animation on updates, themed axes and legend. */
export function baseOptions(c: ChartColors, xTitle: string, yTitle: string): ChartOptions<'line'> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    parsing: false,
    normalized: true,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    font: { family: c.font },
    scales: {
      x: {
        type: 'linear',
        title: { display: true, text: xTitle, color: c.text, font: { family: c.font, size: 11 } },
        ticks: { color: c.text, font: { family: c.font, size: 11 }, maxRotation: 0 },
        grid: { color: c.grid },
        border: { color: c.grid }
      },
      y: {
        type: 'linear',
        title: { display: true, text: yTitle, color: c.text, font: { family: c.font, size: 11 } },
        ticks: { color: c.text, font: { family: c.font, size: 11 } },
        grid: { color: c.grid },
        border: { color: c.grid }
      }
    },
    plugins: {
      legend: {
        position: 'top',
        align: 'end',
        labels: {
          color: c.text,
          boxWidth: 14,
          boxHeight: 2,
          font: { family: c.font, size: 11 },
          // Legend in series order, independent of the drawing order.
          sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
          // An interval band's lower edge has no entry of its own (the band is listed once).
          filter: (item, data) => !(data.datasets[item.datasetIndex ?? 0] as { hideInLegend?: boolean }).hideInLegend
        }
      },
      tooltip: { enabled: true },
      decimation: { enabled: false }
    }
  } as ChartOptions<'line'>
}

/** The bar charts' shared look: category x axis without grid lines, y from zero, themed, no animation. */
export function barOptions(c: ChartColors, xTitle: string, yTitle: string, { legend = true } = {}): ChartOptions<'bar'> {
  const axis = (text: string) => ({
    title: { display: true, text, color: c.text, font: { family: c.font, size: 11 } },
    ticks: { color: c.text, font: { family: c.font, size: 11 } },
    grid: { color: c.grid },
    border: { color: c.grid }
  })
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    scales: {
      x: { ...axis(xTitle), grid: { display: false } },
      y: { ...axis(yTitle), beginAtZero: true }
    },
    plugins: {
      legend: legend
        ? {
            position: 'top',
            align: 'end',
            labels: { color: c.text, boxWidth: 12, boxHeight: 8, font: { family: c.font, size: 11 } }
          }
        : { display: false },
      tooltip: { enabled: true }
    }
  }
}

/** Re-apply theme colours to an existing chart (after a theme switch) without re-creating it. */
export function applyAxisColors(chart: Chart<'line'> | Chart<'bar'>, c: ChartColors): void {
  const scales = chart.options.scales ?? {}
  for (const key of Object.keys(scales)) {
    const s = scales[key] as {
      ticks?: { color?: string }
      grid?: { color?: string }
      border?: { color?: string }
      title?: { color?: string }
    }
    if (s.ticks) s.ticks.color = c.text
    if (s.grid) s.grid.color = c.grid
    if (s.border) s.border.color = c.grid
    if (s.title) s.title.color = c.text
  }
  const legend = chart.options.plugins?.legend
  if (legend?.labels) legend.labels.color = c.text
}

/**
 * The x axis's tick labels from `format` (dates of a time column) when given, and the tooltip's title
 * from `title` when given: one place for the line charts that label x values.
 */
export function applyXFormat(
  chart: Chart<'line', { x: number; y: number }[]>,
  format: ((x: number) => string) | undefined,
  title: ((x: number) => string) | undefined
): void {
  const x = chart.options.scales?.x
  if (x?.ticks) (x.ticks as { callback?: (v: number | string) => string }).callback = format ? (v) => format(Number(v)) : undefined
  const tooltip = chart.options.plugins?.tooltip
  if (tooltip && title) tooltip.callbacks = { ...tooltip.callbacks, title: (items) => (items.length ? title(items[0].parsed.x ?? 0) : '') }
}
