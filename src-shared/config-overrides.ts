/**
 * `--set path=value` overrides of a run config (`rnn-lab train --from <run> --set model.layers[0].units=64`)
 * and the config editor's pasted JSON: hostile until checked. A value is JSON when it parses as JSON,
 * else the plain string; a path may only name keys the config already has (or the next item of an
 * array), never `__proto__`, `constructor` or `prototype`; the result is validated by the shared schema
 * and every failure names its field. Pure.
 */
import { RunConfig } from './run-config'
import { parsePath, setPath } from './config-paths'
import { formatPath } from './validation'

export interface FieldIssue {
  /** The field as people write it: `model.layers[0].units` (or `--set` for a malformed override). */
  path: string
  message: string
}

export type ConfigCheck = { ok: true; config: RunConfig } | { ok: false; issues: FieldIssue[] }

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])
const PATH_SYNTAX = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d{1,4}\])*$/

export interface Override {
  path: string
  value: unknown
}

function jsonOrString(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

/** `a.b[0].c=64` → `{ path, value: 64 }`; `x=adam` → the string "adam". */
export function parseOverride(text: string): Override | FieldIssue {
  const eq = text.indexOf('=')
  if (eq <= 0) return { path: '--set', message: `expected path=value, got "${text}"` }
  const path = text.slice(0, eq).trim()
  const raw = text.slice(eq + 1)
  if (!PATH_SYNTAX.test(path)) return { path: '--set', message: `"${path}" is not a config path such as model.layers[0].units` }
  return { path, value: jsonOrString(raw) }
}

/** Why `path` may not be set on `config`, or null: every key must exist already (arrays may grow by one). */
function pathProblem(config: unknown, path: string): string | null {
  let cur: unknown = config
  for (const part of parsePath(path)) {
    if (typeof part === 'string' && FORBIDDEN.has(part)) return `"${part}" is not allowed in a config path`
    if (Array.isArray(cur)) {
      if (typeof part !== 'number') return `is a list: use [index]`
      if (part > cur.length) return `has no item ${part} (the list has ${cur.length})`
      cur = cur[part]
    } else if (cur !== null && typeof cur === 'object') {
      if (typeof part !== 'string' || !Object.prototype.hasOwnProperty.call(cur, part)) return `is not a field of this config`
      cur = (cur as Record<string, unknown>)[part]
    } else if (cur === undefined) {
      return null // a new array item: its fields are checked by the schema
    } else {
      return `is not a field of this config`
    }
  }
  return null
}

/** Validate a config with the shared schema; issues name their fields. */
export function checkConfig(value: unknown): ConfigCheck {
  const result = RunConfig.safeParse(value)
  if (result.success) return { ok: true, config: result.data }
  return { ok: false, issues: result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) }
}

/** Apply `path=value` overrides to a (validated) config, then validate the result. */
export function applyOverrides(base: RunConfig, sets: string[]): ConfigCheck {
  let config: unknown = structuredClone(base)
  for (const text of sets) {
    const o = parseOverride(text)
    if (!('value' in o)) return { ok: false, issues: [o] }
    const problem = pathProblem(config, o.path)
    if (problem) return { ok: false, issues: [{ path: o.path, message: problem }] }
    config = setPath(config, o.path, o.value)
  }
  return checkConfig(config)
}

/** The config editor's text: JSON first, then the schema. */
export function checkConfigText(text: string): ConfigCheck {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { ok: false, issues: [{ path: '(JSON)', message: (err as Error).message }] }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, issues: [{ path: '(root)', message: 'a config is a JSON object' }] }
  if (hasForbiddenKey(value))
    return { ok: false, issues: [{ path: '(root)', message: '"__proto__", "constructor" and "prototype" are not allowed' }] }
  return checkConfig(value)
}

function hasForbiddenKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey)
  if (value === null || typeof value !== 'object') return false
  return Object.keys(value).some((k) => FORBIDDEN.has(k) || hasForbiddenKey((value as Record<string, unknown>)[k]))
}

/** "model.layers[0].units: Too big…" lines for a message. */
export function issuesText(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ')
}

/** "LSTM run (copy)", "LSTM run (copy 2)" when that name is taken. */
export function copyName(name: string, taken: Iterable<string> = []): string {
  const base = name.replace(/ \(copy(?: \d+)?\)$/, '')
  const names = new Set(taken)
  let candidate = `${base} (copy)`
  for (let n = 2; names.has(candidate); n++) candidate = `${base} (copy ${n})`
  return candidate.slice(0, 200)
}

export { formatPath }
