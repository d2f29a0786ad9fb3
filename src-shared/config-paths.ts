/**
 * Dotted paths into configs (`model.layers[0].units`): flatten for diffs and tables, get and set for
 * sweeps. Pure; shared by the core, the CLI and the compare view.
 */
export type Scalar = string | number | boolean | null

/** Leaf values by path: `{ 'model.cell': 'lstm', 'model.layers[0].units': 64, ... }`. */
export function flatten(value: unknown, prefix = '', out: Record<string, Scalar> = {}): Record<string, Scalar> {
  if (Array.isArray(value)) {
    if (value.length === 0) out[prefix] = null
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out))
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 0 && prefix) out[prefix] = null
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else {
    out[prefix] = value as Scalar
  }
  return out
}

export interface DiffRow {
  path: string
  /** The value of each config, in the order given (undefined: the path is absent there). */
  values: (Scalar | undefined)[]
}

/** The paths whose values differ between configs; equal fields are left out. */
export function diffConfigs(configs: unknown[]): DiffRow[] {
  const flat = configs.map((c) => flatten(c))
  const paths = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort()
  return paths
    .map((path) => ({ path, values: flat.map((f) => (path in f ? f[path] : undefined)) }))
    .filter((row) => new Set(row.values.map((v) => JSON.stringify(v ?? '<absent>'))).size > 1)
}

const SEGMENT = /([^.[\]]+)|\[(\d+)\]/g

export function parsePath(path: string): (string | number)[] {
  const parts: (string | number)[] = []
  for (const m of path.matchAll(SEGMENT)) parts.push(m[1] !== undefined ? m[1] : Number(m[2]))
  return parts
}

/** Keys that reach Object.prototype (or a constructor) instead of a config field. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** The segments of a path to set, refusing prototype keys with the path and key named. */
function safeSegments(path: string): (string | number)[] {
  const parts = parsePath(path)
  const bad = parts.find((p) => typeof p === 'string' && FORBIDDEN_KEYS.has(p))
  if (bad !== undefined) throw new Error(`${path}: the key "${bad}" is not allowed in a config path`)
  return parts
}

/** The value at `path`, reading own fields only (never the prototype chain). */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const p of parsePath(path)) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, p)) return undefined
    cur = (cur as Record<string | number, unknown>)[p]
  }
  return cur
}

/** A deep copy of `obj` with `path` set to `value` (objects and arrays created as needed). */
export function setPath<T>(obj: T, path: string, value: unknown): T {
  const parts = safeSegments(path)
  const copy = structuredClone(obj) as unknown
  let cur = copy as Record<string | number, unknown>
  parts.forEach((p, i) => {
    if (i === parts.length - 1) cur[p] = value
    else {
      const own = Object.prototype.hasOwnProperty.call(cur, p) ? cur[p] : undefined
      if (own === null || typeof own !== 'object') cur[p] = typeof parts[i + 1] === 'number' ? [] : {}
      cur = cur[p] as Record<string | number, unknown>
    }
  })
  return copy as T
}
