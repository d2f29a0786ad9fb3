import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServer, type RunningServer } from '../../src-main/server/http-server'
import type { AppCore } from '../../src-main/services/app-core'
import { tempDir, testCore } from '../helpers/core'

let core: AppCore
let server: RunningServer
let base: string
let cleanup: () => void
const token = 'test-token-0123456789'

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  const rendererDir = join(t.dir, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>RNN Lab</title>')
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(t.dir, 'secret.txt'), 'do not serve')
  core = testCore(join(t.dir, 'data'))
  server = await startServer({ dispatch: core.dispatch, events: core.events, token, rendererDir })
  base = `http://127.0.0.1:${server.port}`
})

afterAll(async () => {
  await server.close()
  await core.close()
  cleanup()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (r: Response): Promise<any> => r.json()

const api = (op: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  fetch(`${base}/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, ...headers },
    body: JSON.stringify(body)
  })

describe('serve: the contract over HTTP on loopback', () => {
  it('prints a loopback URL carrying the token, and listens on 127.0.0.1 only', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`)
    // The listening socket itself is bound to the loopback address (no traffic to other addresses).
    expect(server.address).toBe('127.0.0.1')
  })

  it('answers 401 to any request without the token: API, static files, WebSocket', async () => {
    expect((await api('app.info', {}, {})).status).toBe(401)
    expect((await api('app.info', {}, { authorization: 'Bearer wrong' })).status).toBe(401)
    expect((await fetch(`${base}/`)).status).toBe(401)
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(401)
    const err = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events`)
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
      ws.on('open', () => resolve('open'))
      ws.on('error', (e) => resolve(e.message))
    })
    expect(err).toBe('401')
  })

  it('a browser without the token gets a page saying where the link is; API clients keep the JSON 401 (issue #17)', async () => {
    const page = await fetch(`${base}/`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
    expect(page.status).toBe(401)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await page.text()
    expect(html).toContain('rnn-lab serve')
    expect(html).toContain('serve-token')
    expect(html).not.toContain(token)
    const wrong = await fetch(`${base}/?token=wrong`, { headers: { accept: 'text/html' } })
    expect(await wrong.text()).toContain('old or wrong token')
    // No Accept: text/html (curl, scripts) and every API path: the JSON answer as before.
    const plain = await fetch(`${base}/`)
    expect(plain.status).toBe(401)
    expect((await json(plain)).error.code).toBe('UNAUTHORIZED')
    const apiGet = await fetch(`${base}/api/app.info`, { headers: { accept: 'text/html' } })
    expect(apiGet.headers.get('content-type')).toMatch(/^application\/json/)
  })

  it('calls operations and returns envelopes', async () => {
    const res = await api('app.info', {})
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body).toMatchObject({ ok: true, result: { workers: 1, appVersion: expect.any(String) } })
  })

  it('names the field of a request with wrong types', async () => {
    const res = await api('datasets.generateSine', { length: 'long' })
    expect(res.status).toBe(400)
    const body = await json(res)
    expect(body.ok).toBe(false)
    expect(body.error.code).toBe('VALIDATION')
    expect(body.error.message).toMatch(/length: Invalid input: expected number, received string/)
    expect(body.error.details.issues[0].path).toBe('length')
  })

  it('answers an unknown operation with a clear 404', async () => {
    const res = await api('runs.explode', {})
    expect(res.status).toBe(404)
    expect((await json(res)).error).toMatchObject({ code: 'UNKNOWN_OPERATION', message: 'Unknown operation "runs.explode"' })
  })

  it('refuses a body that is not JSON, and one over the size limit', async () => {
    const bad = await fetch(`${base}/api/app.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: base },
      body: '{nope'
    })
    expect(bad.status).toBe(400)
    expect((await json(bad)).error.message).toMatch(/not valid JSON/)
    const big = await api('app.info', { pad: 'x'.repeat(1100 * 1024) })
    expect(big.status).toBe(413)
    expect((await json(big)).error.message).toMatch(/larger than 1048576 bytes/)
  })

  it('serves the renderer with a session cookie and a strict CSP, and refuses path traversal', async () => {
    const first = await fetch(`${base}/?token=${token}`)
    expect(first.status).toBe(200)
    expect(first.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self'/)
    const cookie = first.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/)
    const asset = await fetch(`${base}/assets/app.js`, { headers: { cookie: cookie.split(';')[0] } })
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toMatch(/javascript/)
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const r = await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${token}` } })
      expect(await r.text()).not.toContain('do not serve')
    }
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/api/app.info',
            method: 'POST',
            headers: { host: 'evil.example:80', authorization: `Bearer ${token}` }
          },
          (r) => resolve(r.statusCode ?? 0)
        )
        req.on('error', reject)
        req.end('{}')
      })
    })
    expect(res).toBe(401)
  })

  it('streams contract events over the WebSocket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${token}`)
    await new Promise((resolve, reject) => {
      ws.on('open', resolve)
      ws.on('error', reject)
    })
    const messages: { event: string; payload: { runId?: string } }[] = []
    ws.on('message', (m) => messages.push(JSON.parse(String(m))))
    const ds = await json(await api('datasets.generateSine', { length: 200 }))
    const run = await json(
      await api('runs.start', {
        datasetId: ds.result.id,
        config: {
          window: 10,
          features: ['value'],
          target: 'value',
          model: { cell: 'simple_rnn', layers: [{ units: 4 }] },
          training: { epochs: 2 }
        }
      })
    )
    expect(run.ok).toBe(true)
    await core.runs.whenDone(run.result.id)
    await new Promise((r) => setTimeout(r, 100))
    ws.close()
    const names = messages.map((m) => m.event)
    expect(names.filter((n) => n === 'runs.epoch')).toHaveLength(2)
    expect(names).toContain('runs.finished')
  })
})
