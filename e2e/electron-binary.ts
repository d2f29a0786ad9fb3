import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(__dirname, '..')

/**
 * The Electron executable when one exists, found without `require('electron')` (which would try to
 * download it). `ELECTRON_OVERRIDE_DIST_PATH` points at an unpacked Electron, as the package supports.
 */
export function electronExecutable(): { path: string | null; reason: string } {
  const pkg = join(ROOT, 'node_modules', 'electron')
  const pathTxt = join(pkg, 'path.txt')
  const relative = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron'
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    return existsSync(p) ? { path: p, reason: '' } : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${relative}` }
  }
  const p = join(pkg, 'dist', relative)
  if (existsSync(p)) return { path: p, reason: '' }
  return {
    path: null,
    reason: 'no Electron binary (electron 45 downloads it lazily: run `npx install-electron`, or set ELECTRON_OVERRIDE_DIST_PATH)'
  }
}

export const ELECTRON_SQLITE = join(ROOT, '.electron-native', 'better_sqlite3.node')
export { ROOT }
