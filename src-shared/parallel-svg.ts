/**
 * The parallel-coordinates export: a standalone SVG, like the line charts' (chart-svg), with a title, a
 * legend of the runs in their colours, the axes' labels and ticks, in the light or dark theme chosen
 * for the export, instead of a copy of the on-screen plot in the page's theme.
 */
import { escapeXml, EXPORT_SIZE, EXPORT_THEMES, exportColor, type ExportTheme } from './chart-svg'

export interface ParallelAxis {
  /** Short label over the axis (with "(log)" for a log axis). */
  label: string
  /** Full name, as a tooltip (the config path). */
  title?: string
  /** Tick positions 0 (bottom) .. 1 (top) with their text. */
  ticks: readonly { pos: number; text: string }[]
}

export interface ParallelRun {
  name: string
  /** A page colour (`--chart-3`, mapped to the export theme) or a CSS colour. */
  color: string
  /** Position 0..1 on each axis, null where the run has no value. */
  pos: readonly (number | null)[]
  baseline?: boolean
}

export interface ParallelExport {
  title: string
  subtitle?: string
  axes: readonly ParallelAxis[]
  runs: readonly ParallelRun[]
}

const LEGEND_COLUMNS = 4
const LEGEND_WIDTH = 220
/** The title's and legend's left edge, as in the line charts' export. */
const LEFT = 84

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s
}

/** The plot as a standalone SVG document; taller than the line charts' when the legend needs rows. */
export function parallelSvg(chart: ParallelExport, themeName: ExportTheme = 'light', width = EXPORT_SIZE.width): string {
  const t = EXPORT_THEMES[themeName]
  const legendTop = chart.subtitle ? 74 : 56
  const legendRows = Math.ceil(chart.runs.length / LEGEND_COLUMNS)
  const top = legendTop + legendRows * 20 + 28
  const height = Math.max(EXPORT_SIZE.height, top + 320)
  // Wider side margins than the line charts': the outer axes' labels are centred on them.
  const box = { left: 110, right: width - 110, top, bottom: height - 36 }
  const n = chart.axes.length
  const xAt = (i: number) => (n <= 1 ? (box.left + box.right) / 2 : box.left + (i * (box.right - box.left)) / (n - 1))
  const yAt = (pos: number) => box.bottom - pos * (box.bottom - box.top)
  const labelWidth = n <= 1 ? 40 : Math.max(8, Math.floor((box.right - box.left) / (n - 1) / 7))

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="100%" height="100%" fill="${t.background}"/>`,
    `<text x="${LEFT}" y="30" font-size="18" font-weight="600" fill="${t.text}">${escapeXml(chart.title)}</text>`
  ]
  if (chart.subtitle) out.push(`<text x="${LEFT}" y="50" font-size="12" fill="${t.muted}">${escapeXml(chart.subtitle)}</text>`)
  chart.runs.forEach((r, i) => {
    const lx = LEFT + (i % LEGEND_COLUMNS) * LEGEND_WIDTH
    const ly = legendTop + Math.floor(i / LEGEND_COLUMNS) * 20
    const name = clip(r.name, 28) + (r.baseline ? ' (baseline)' : '')
    out.push(
      `<g class="legend-item"><line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${exportColor(r.color, themeName)}" stroke-width="3"/>`,
      `<text x="${lx + 28}" y="${ly}" font-size="12" fill="${t.text}">${escapeXml(name)}</text></g>`
    )
  })
  for (const r of chart.runs) {
    const color = exportColor(r.color, themeName)
    const segments: string[][] = [[]]
    r.pos.forEach((p, i) => {
      if (p === null) segments.push([])
      else segments[segments.length - 1]!.push(`${xAt(i).toFixed(1)},${yAt(p).toFixed(1)}`)
    })
    out.push(`<g><title>${escapeXml(r.name)}</title>`)
    for (const s of segments.filter((s) => s.length > 1)) {
      out.push(
        `<polyline points="${s.join(' ')}" fill="none" stroke="${color}" stroke-width="${r.baseline ? 3.5 : 2}" stroke-opacity="0.9"/>`
      )
    }
    r.pos.forEach((p, i) => {
      if (p !== null) out.push(`<circle cx="${xAt(i).toFixed(1)}" cy="${yAt(p).toFixed(1)}" r="3" fill="${color}"/>`)
    })
    out.push('</g>')
  }
  chart.axes.forEach((a, i) => {
    const x = xAt(i).toFixed(1)
    out.push(`<g class="axis"><line x1="${x}" x2="${x}" y1="${box.top}" y2="${box.bottom}" stroke="${t.muted}"/>`)
    for (const tick of a.ticks) {
      const y = yAt(tick.pos).toFixed(1)
      out.push(
        `<line x1="${xAt(i) - 3}" x2="${xAt(i) + 3}" y1="${y}" y2="${y}" stroke="${t.muted}"/>`,
        `<text x="${xAt(i) + 6}" y="${y}" dy="3.5" font-size="11" fill="${t.muted}" stroke="${t.background}" stroke-width="3" paint-order="stroke">${escapeXml(tick.text)}</text>`
      )
    }
    const weight = i === n - 1 ? 700 : 600
    const title = a.title ? `<title>${escapeXml(a.title)}</title>` : ''
    out.push(
      `<text x="${x}" y="${box.top - 12}" font-size="12" font-weight="${weight}" text-anchor="middle" fill="${t.text}">${title}${escapeXml(clip(a.label, labelWidth))}</text></g>`
    )
  })
  out.push('</svg>')
  return out.join('\n')
}
