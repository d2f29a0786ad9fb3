import { randomBytes } from 'node:crypto'

/** Short, URL-safe, sortable-enough ids: `run_` + time + random, e.g. `run_m3k9x2_8f3a1c`. */
export function newId(prefix: 'run' | 'ds' | 'up'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
}
