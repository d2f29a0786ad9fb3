/** Display formatting for numbers, dates, durations and hashes. */

const dash = '—'

/** A metric or loss: 4 significant digits, exponent for tiny/huge values. */
export function fmtNum(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return dash
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞'
  if (value === 0) return '0'
  const abs = Math.abs(value)
  if (abs < 1e-4 || abs >= 1e6) return value.toExponential(digits - 1)
  return Number(value.toPrecision(digits)).toString()
}

/** A percentage metric that is already in percent (MAPE, sMAPE). */
export function fmtPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return dash
  return `${value.toFixed(2)}%`
}

export function fmtInt(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return dash
  return Math.round(value).toLocaleString('en-US')
}

/** "1 epoch", "2 epochs", "1,234 rows": a count with the word that agrees with it. */
export function fmtCount(n: number, one: string, many: string): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return dash
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit'
  })
}

/** "3 min ago"-style, falling back to the date after a week. */
export function fmtRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return dash
  const t = new Date(iso).getTime()
  if (Number.isNaN(t)) return iso
  const s = Math.round((now - t) / 1000)
  if (s < 45) return 'just now'
  if (s < 90 * 60) return `${Math.max(1, Math.round(s / 60))} min ago`
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`
  if (s < 7 * 86400) return `${Math.round(s / 86400)} d ago`
  return fmtDate(iso)
}

/** A duration in milliseconds: "850 ms", "12.3 s", "4 min 05 s", "1 h 02 min". */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return dash
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const totalS = Math.round(s)
  const m = Math.floor(totalS / 60)
  if (m < 60) return `${m} min ${String(totalS % 60).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

export function shortHash(hash: string | null | undefined, length = 8): string {
  if (!hash) return dash
  return hash.replace(/^sha256:/, '').slice(0, length)
}

/** A file size: "812 B", "14.2 KB", "3.1 MB" (powers of 1024). */
export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return dash
  if (bytes < 1024) return `${Math.round(bytes)} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = bytes / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`
}

/** A timestamp of a time column (epoch ms, UTC): "2011-12-30", with the time when not midnight. */
export function fmtTimestamp(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return dash
  const iso = new Date(ms).toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ')
}
