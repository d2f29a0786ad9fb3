/**
 * The main window's size and position, remembered between launches in <userData>/window-state.json.
 * Pure logic (no electron import) so that it is unit-tested: a saved position is used only when it is
 * still visible on one of the current displays.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Bounds {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState extends Partial<Bounds> {
  width: number
  height: number
  maximized: boolean
}

export const DEFAULT_STATE: WindowState = { width: 1280, height: 800, maximized: false }
const FILE = 'window-state.json'

function intersects(a: Bounds, b: Bounds): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

/** The state to open with: the saved one, without its position if no display shows its title bar. */
export function restoreState(saved: unknown, displays: Bounds[]): WindowState {
  const s = saved as Partial<WindowState> | null
  if (!s || typeof s.width !== 'number' || typeof s.height !== 'number' || s.width < 400 || s.height < 300) return DEFAULT_STATE
  const size = { width: Math.round(s.width), height: Math.round(s.height), maximized: s.maximized === true }
  if (typeof s.x !== 'number' || typeof s.y !== 'number') return size
  const titleBar = { x: s.x, y: s.y, width: s.width, height: 40 }
  return displays.some((d) => intersects(titleBar, d)) ? { ...size, x: Math.round(s.x), y: Math.round(s.y) } : size
}

export function loadState(dir: string, displays: Bounds[]): WindowState {
  try {
    return restoreState(JSON.parse(readFileSync(join(dir, FILE), 'utf8')), displays)
  } catch {
    return DEFAULT_STATE
  }
}

export function saveState(dir: string, state: WindowState): void {
  try {
    writeFileSync(join(dir, FILE), JSON.stringify(state))
  } catch {
    // A read-only profile only loses the remembered size.
  }
}
