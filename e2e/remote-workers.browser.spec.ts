// Settings → Remote workers in a real Chromium against `rnn-lab serve --queue URL`, with a real Redis
// on loopback and a real `rnn-lab worker` process: the panel shows the queue (password hidden), the
// worker with its host, backend and threads, and keeps the "send runs" preference.
import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRedis, type RedisHandle } from '../test/helpers/redis-server'
import { startServe, type ServeHandle } from './serve-process'

const SHOTS = join(__dirname, '..', 'test-results', 'screens')
mkdirSync(SHOTS, { recursive: true })
const PASSWORD = 'e2e-secret-pw'

let dataDir: string
let redis: RedisHandle
let serve: ServeHandle
let worker: ChildProcess
let workerLog = ''

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-remote-'))
  redis = await startRedis({ password: PASSWORD })
  serve = await startServe(dataDir, { args: ['--queue', redis.url] })
  const cli = join(__dirname, '..', 'bin', 'rnn-lab.cjs')
  worker = spawn(process.execPath, [cli, 'worker', '--queue', redis.url, '--name', 'e2e-worker', '--workers', '2', '--backend', 'wasm'], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  worker.stdout!.on('data', (d) => (workerLog += d))
  worker.stderr!.on('data', (d) => (workerLog += d))
})

test.afterAll(async () => {
  if (worker && worker.exitCode === null) {
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve())
      worker.kill('SIGTERM')
    })
  }
  await serve?.stop()
  await redis?.cleanup()
  rmSync(dataDir, { recursive: true, force: true })
})

test('the Remote workers panel lists a connected worker and hides the password', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(serve.url)
  await page.goto(`${serve.origin}/#/settings`)
  const panel = page.getByTestId('remote-workers')
  await expect(panel.getByTestId('remote-connection')).toHaveText('connected')
  await expect(panel.getByTestId('remote-url')).toHaveText(/^redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/)
  const row = panel.getByTestId('remote-worker').filter({ hasText: 'e2e-worker' })
  await expect(row).toBeVisible({ timeout: 60_000 })
  await expect(row).toContainText('wasm')
  await expect(row).toContainText('idle')
  await expect(row.locator('td').nth(3)).toHaveText('2')
  await expect(panel.getByTestId('remote-jobs')).toHaveText('0 waiting · 0 active')
  expect(await page.content()).not.toContain(PASSWORD)
  expect(serve.output()).not.toContain(PASSWORD)
  expect(workerLog).not.toContain(PASSWORD)

  await panel.getByTestId('remote-send-runs').check()
  await page.reload()
  await expect(page.getByTestId('remote-send-runs')).toBeChecked()
  await panel.screenshot({ path: join(SHOTS, 'settings-remote-workers.png') })
  const axe = await new AxeBuilder({ page })
    .include('[data-testid="remote-workers"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
  expect(errors).toEqual([])
})
