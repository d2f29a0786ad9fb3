/**
 * A chart export that can be read alone: an SVG written from the chart's data (not a screenshot of the
 * canvas) with a title, a legend, axis titles with units, and the light or dark theme chosen for the
 * export. The PNG export draws this same SVG onto a canvas. Pure string building: about 150 lines do
 * what is needed (lines, bands, ticks, legend), so no SVG library joins the bundle and the page's
 * content security policy (no inline scripts, data: images only) is untouched.
 */

export interface ExportSeries {
  label: string
  /** A CSS colour (resolved, not a variable). */
  color: string
  x: readonly number[]
  y: readonly (number | null)[]
  dashed?: boolean
}

export interface ExportBand {
  label: string
  color: string
  x: readonly number[]
  lo: readonly (number | null)[]
  hi: readonly (number | null)[]
}

export interface ExportChart {
  title: string
  subtitle?: string
  xTitle: string
  yTitle: string
  series: readonly ExportSeries[]
  bands?: readonly ExportBand[]
  logY?: boolean
  /** Labels of the x ticks (dates of a time column); numbers otherwise. */
  xFormat?: (x: number) => string
}

export type ExportTheme = 'light' | 'dark'

export const EXPORT_THEMES: Record<ExportTheme, { background: string; text: string; muted: string; grid: string; palette: string[] }> = {
  light: {
    background: '#ffffff',
    text: '#1d1f24',
    muted: '#5e626c',
    grid: '#e4e5e9',
    palette: ['#4f5fe0', '#1f8a57', '#d97a1e', '#b8348f', '#1c6fb5', '#8f8a12', '#7a4fd6', '#c93c3c']
  },
  dark: {
    background: '#16171b',
    text: '#e6e7ea',
    muted: '#9a9ca5',
    grid: '#2c2e35',
    palette: ['#7b8cff', '#4cc38a', '#f0a35e', '#e872c4', '#5fb3f5', '#d9d45b', '#b58cff', '#f26d6d']
  }
}

const NAMED: Record<string, number> = { '--chart-train': 0, '--chart-val': 2, '--chart-predicted': 1, '--chart-persistence': 7 }

/** A page colour for the export's theme: `--chart-3` → that theme's third colour; other colours stay. */
export function exportColor(color: string, themeName: ExportTheme): string {
  const palette = EXPORT_THEMES[themeName].palette
  const n = /^--chart-(\d)$/.exec(color)
  if (n) return palette[(Number(n[1]) - 1) % palette.length]!
  if (color in NAMED) return palette[NAMED[color]!]!
  if (color === '--chart-actual') return EXPORT_THEMES[themeName].text
  return color
}

export const EXPORT_SIZE = { width: 960, height: 540 }

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** About `count` round tick values covering [min, max] (1, 2, 2.5 or 5 × a power of ten apart). */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (min === max) return [min]
  const raw = (max - min) / Math.max(1, count)
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => (max - min) / s <= count) ?? 10 * power
  const ticks: number[] = []
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)))
  return ticks
}

export function tickLabel(v: number): string {
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1)
  return String(Number(v.toPrecision(4)))
}

function extent(values: number[]): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    if (!Number.isFinite(v)) continue
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  if (lo === Infinity) return [0, 1]
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi]
}

function pairs(x: readonly number[], y: readonly (number | null)[], logY: boolean): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const v = y[i]
    if (v !== null && Number.isFinite(v) && Number.isFinite(x[i]) && (!logY || v > 0)) out.push([x[i]!, logY ? Math.log10(v) : v])
  }
  return out
}

/** The chart as a standalone SVG document. */
export function chartSvg(chart: ExportChart, themeName: ExportTheme = 'light', size = EXPORT_SIZE): string {
  const t = EXPORT_THEMES[themeName]
  const logY = chart.logY ?? false
  const lines = chart.series.map((s) => ({ s, p: pairs(s.x, s.y, logY) }))
  const bands = (chart.bands ?? []).map((b) => ({ b, lo: pairs(b.x, b.lo, logY), hi: pairs(b.x, b.hi, logY) }))
  const xs = [...lines.flatMap((l) => l.p.map((p) => p[0])), ...bands.flatMap((b) => b.hi.map((p) => p[0]))]
  const ys = [...lines.flatMap((l) => l.p.map((p) => p[1])), ...bands.flatMap((b) => [...b.lo, ...b.hi].map((p) => p[1]))]
  const [x0, x1] = extent(xs)
  const [ya, yb] = extent(ys)
  const yTicks = niceTicks(ya, yb).filter((v) => v >= ya && v <= yb)
  const xTicks = niceTicks(x0, x1).filter((v) => v >= x0 && v <= x1)

  const legendRows = Math.ceil(chart.series.length / 3)
  const top = 56 + (chart.subtitle ? 18 : 0) + legendRows * 20
  const box = { left: 84, right: size.width - 24, top, bottom: size.height - 56 }
  const sx = (v: number) => box.left + ((v - x0) / (x1 - x0)) * (box.right - box.left)
  const sy = (v: number) => box.bottom - ((v - ya) / (yb - ya)) * (box.bottom - box.top)
  const path = (p: [number, number][]) => p.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('')

  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="100%" height="100%" fill="${t.background}"/>`,
    `<text x="${box.left}" y="30" font-size="18" font-weight="600" fill="${t.text}">${escapeXml(chart.title)}</text>`
  )
  if (chart.subtitle) out.push(`<text x="${box.left}" y="50" font-size="12" fill="${t.muted}">${escapeXml(chart.subtitle)}</text>`)
  chart.series.forEach((s, i) => {
    const lx = box.left + (i % 3) * 280
    const ly = (chart.subtitle ? 74 : 56) + Math.floor(i / 3) * 20
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : ''
    out.push(
      `<g class="legend-item"><line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${s.color}" stroke-width="3"${dash}/>`,
      `<text x="${lx + 28}" y="${ly}" font-size="12" fill="${t.text}">${escapeXml(s.label)}</text></g>`
    )
  })
  for (const v of yTicks) {
    const y = sy(v).toFixed(1)
    out.push(`<line x1="${box.left}" x2="${box.right}" y1="${y}" y2="${y}" stroke="${t.grid}"/>`)
    const label = logY ? tickLabel(10 ** v) : tickLabel(v)
    out.push(`<text x="${box.left - 8}" y="${y}" dy="4" font-size="11" text-anchor="end" fill="${t.muted}">${label}</text>`)
  }
  for (const v of xTicks) {
    const x = sx(v).toFixed(1)
    out.push(`<line x1="${x}" x2="${x}" y1="${box.top}" y2="${box.bottom}" stroke="${t.grid}"/>`)
    const label = escapeXml(chart.xFormat ? chart.xFormat(v) : tickLabel(v))
    out.push(`<text x="${x}" y="${box.bottom + 16}" font-size="11" text-anchor="middle" fill="${t.muted}">${label}</text>`)
  }
  out.push(
    `<rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}" fill="none" stroke="${t.grid}"/>`
  )
  for (const { b, lo, hi } of bands) {
    if (lo.length === 0 || hi.length === 0) continue
    const d = `${path(hi)}${path([...lo].reverse()).replace(/^M/, 'L')}Z`
    out.push(`<path d="${d}" fill="${b.color}" fill-opacity="0.18" stroke="none"><title>${escapeXml(b.label)}</title></path>`)
  }
  for (const { s, p } of lines) {
    if (p.length === 0) continue
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : ''
    out.push(`<path d="${path(p)}" fill="none" stroke="${s.color}" stroke-width="2"${dash}><title>${escapeXml(s.label)}</title></path>`)
  }
  out.push(
    `<text x="${(box.left + box.right) / 2}" y="${size.height - 16}" font-size="13" text-anchor="middle" fill="${t.text}">${escapeXml(chart.xTitle)}</text>`,
    `<text transform="translate(20 ${(box.top + box.bottom) / 2}) rotate(-90)" font-size="13" text-anchor="middle" fill="${t.text}">${escapeXml(chart.yTitle + (logY ? ' (log scale)' : ''))}</text>`,
    '</svg>'
  )
  return out.join('\n')
}
