// Finding: `serve` checked Origin on the WebSocket but not on POST. A page on another port of
// 127.0.0.1 is the same *site*, so the SameSite=Strict cookie goes along with its requests: it created
// views and changed settings with a text/plain POST. Here a real attacker page, served by a tiny HTTP
// server on another loopback port, tries both ways in Chromium; the state must not change.
// Also: the serve token is stable per data folder across a restart, and a page whose token was
// rotated says so instead of "Reconnecting…" forever.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServe, type ServeHandle } from './serve-process'

const SHOTS = join(__dirname, '..', 'test-results', 'screens')
mkdirSync(SHOTS, { recursive: true })

function attackerPage(target: string): string {
  // A text/plain form whose body is valid JSON, then a no-cors fetch: both are "simple" requests that
  // a browser sends cross-origin without asking.
  return `<!doctype html><body>
<form id="f" method="POST" enctype="text/plain" action="${target}/api/views.save">
<input name='{"name":"pwned","state":{},"x":"' value='"}'></form>
<script>
fetch('${target}/api/settings.set', { method: 'POST', mode: 'no-cors', credentials: 'include',
  headers: { 'Content-Type': 'text/plain' }, body: '{"workers":7}' })
  .finally(() => document.getElementById('f').submit())
</script></body>`
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

async function freePort(): Promise<number> {
  const s = createServer()
  const port = await listen(s)
  await new Promise((r) => s.close(r))
  return port
}

async function api(serve: ServeHandle, op: string, body: unknown = {}) {
  const r = await fetch(`${serve.origin}/api/${op}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json', origin: serve.origin },
    body: JSON.stringify(body)
  })
  return (await r.json()) as { ok: boolean; result?: unknown }
}

test('a page on another loopback port cannot POST to serve (form or no-cors fetch)', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-'))
  const serve = await startServe(dataDir)
  const evil = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(attackerPage(serve.origin)))
  const evilPort = await listen(evil)
  try {
    await page.goto(serve.url) // the person's session: the token cookie is set for 127.0.0.1
    await expect(page.getByTestId('connection')).toContainText('Connected')
    const form = page.waitForResponse((r) => r.url().endsWith('/api/views.save'))
    const noCors = page.waitForResponse((r) => r.url().endsWith('/api/settings.set'))
    await page.goto(`http://127.0.0.1:${evilPort}/`)
    expect((await noCors).status()).toBe(403)
    expect((await form).status()).toBe(403)
    expect(await api(serve, 'views.list')).toEqual({ ok: true, result: [] })
    expect(await api(serve, 'settings.get')).toMatchObject({ ok: true, result: { workers: null } })
  } finally {
    evil.close()
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

test('the token survives a restart of serve; a rotated token is named as the reason, not "Reconnecting…"', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-e2e-'))
  const port = await freePort()
  let serve = await startServe(dataDir, { port })
  const firstToken = serve.token
  try {
    await page.goto(serve.url)
    const status = page.getByTestId('connection')
    await expect(status).toContainText('Connected · browser')
    await serve.stop()
    await expect(status).toContainText('The server is not answering', { timeout: 30_000 })
    await shot(page, 'serve-gone')

    serve = await startServe(dataDir, { port })
    expect(serve.token).toBe(firstToken)
    await expect(status).toContainText('Connected · browser', { timeout: 30_000 })
    await serve.stop()

    serve = await startServe(dataDir, { port, args: ['--new-token'] })
    expect(serve.token).not.toBe(firstToken)
    await expect(status).toContainText("no longer accepts this page's token", { timeout: 30_000 })
    await shot(page, 'serve-token-refused')
    await page.goto(serve.url)
    await expect(status).toContainText('Connected · browser')
  } finally {
    await serve.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
