import { homedir } from 'node:os'
import { join } from 'node:path'

/** The folder name Electron derives from package.json `productName` for `app.getPath('userData')`. */
export const PRODUCT_NAME = 'RNN Lab'

/**
 * The per-platform data directory, the same one the desktop app uses (Electron's `userData`), so the
 * CLI, `serve` and the app see the same runs. `RNN_LAB_DATA_DIR` overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.RNN_LAB_DATA_DIR) return env.RNN_LAB_DATA_DIR
  const home = homedir()
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME)
}
