// The desktop app end to end with Playwright's Electron driver. Skipped, with the reason printed, where
// no Electron binary exists (as on the build machines of this project, which cannot download it).
import { _electron as electron, expect, test } from '@playwright/test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ELECTRON_SQLITE, ROOT, electronExecutable } from './electron-binary'

const exe = electronExecutable()
const skipReason = !exe.path
  ? exe.reason
  : !existsSync(ELECTRON_SQLITE)
    ? 'better-sqlite3 is not built for Electron yet: run `npm start` once (scripts/prepare-electron-native.mjs)'
    : ''
if (skipReason) console.log(`[electron] skipped: ${skipReason}`)

test.describe('desktop app', () => {
  test.skip(!!skipReason, skipReason)

  test('opens a secure window and walks the sine path', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-electron-'))
    const app = await electron.launch({
      executablePath: exe.path!,
      args: [ROOT],
      env: { ...process.env, RNN_LAB_DATA_DIR: dataDir }
    })
    try {
      const window = await app.firstWindow()
      await expect(window).toHaveTitle(/RNN Lab/)
      // contextIsolation + sandbox + no nodeIntegration: the page sees only the typed bridge.
      const page = await window.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        bridge: Object.keys((globalThis as unknown as { rnnLab: object }).rnnLab).sort()
      }))
      expect(page).toEqual({ require: 'undefined', process: 'undefined', bridge: ['grantForFile', 'invoke', 'subscribe'] })
      const menu = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label))
      expect(menu).toEqual(expect.arrayContaining(['File', 'View', 'Help']))

      await window.getByRole('link', { name: 'Datasets' }).click()
      await window.getByTestId('generate-sine').click()
      await window.getByRole('link', { name: 'Runs' }).click()
      await window
        .getByTestId('new-run')
        .click()
        .catch(() => {})
      await window.getByTestId('run-epochs').fill('5')
      await window.getByTestId('start-run').click()
      await expect(window.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 })
      await expect(window.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(5)
    } finally {
      await app.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
