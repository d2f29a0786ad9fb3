// Finding: `serve` checked Origin on the WebSocket but not on POST, so a page on another port of
// 127.0.0.1 (the same site, so the SameSite=Strict cookie goes along) could create views and change
// settings with a `text/plain` POST. And malformed percent-encoding or deeply nested JSON answered 500.
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { startServer, type RunningServer } from '../../src-main/server/http-server'
import type { AppCore } from '../../src-main/services/app-core'
import { ok, tempDir, testCore } from '../helpers/core'

let core: AppCore
let server: RunningServer
let cleanup: () => void
let self: string
const token = 'test-token-requests-0123456789'
const cookie = `rnn_lab_token=${token}`

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  const rendererDir = join(t.dir, 'renderer')
  mkdirSync(rendererDir, { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>RNN Lab</title>')
  core = testCore(join(t.dir, 'data'))
  server = await startServer({ dispatch: core.dispatch, events: core.events, uploads: core.uploads, token, rendererDir })
  self = `http://127.0.0.1:${server.port}`
})

afterAll(async () => {
  await server.close()
  await core.close()
  cleanup()
})

/** A raw POST (node:http, so that Origin and Sec-Fetch-Site are whatever a browser would send). */
function post(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'POST', headers: { cookie, ...headers } }, (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const views = async () => (await ok<unknown[]>(core.dispatch('views.list', {}))).length

describe('serve refuses cross-site and malformed requests', () => {
  it('refuses a text/plain POST from another loopback port (a form), and nothing changes', async () => {
    const before = await views()
    const form = await post('/api/views.save', '{"name":"pwned","state":{}}', {
      'content-type': 'text/plain',
      origin: 'http://127.0.0.1:9999',
      'sec-fetch-site': 'same-site'
    })
    expect(form.status).toBe(403)
    const settings = await post('/api/settings.set', '{"workers":7}', { 'content-type': 'text/plain', origin: 'http://127.0.0.1:9999' })
    expect(settings.status).toBe(403)
    expect(await views()).toBe(before)
    expect(await ok(core.dispatch('settings.get', {}))).toMatchObject({ workers: null })
  })

  it('refuses JSON from a foreign origin, text/plain from our own, and a POST with no origin at all', async () => {
    const body = '{"name":"x","state":{}}'
    expect((await post('/api/views.save', body, { 'content-type': 'application/json', origin: 'http://localhost:9999' })).status).toBe(403)
    expect((await post('/api/views.save', body, { 'content-type': 'text/plain', origin: self })).status).toBe(403)
    expect((await post('/api/views.save', body, { 'content-type': 'application/json' })).status).toBe(403)
    expect((await post('/upload?name=a.csv', 'x,y\n1,2\n', { 'content-type': 'text/plain', origin: self })).status).toBe(403)
    expect((await post('/upload?name=a.csv', 'x,y\n1,2\n', { 'content-type': 'application/octet-stream', origin: 'null' })).status).toBe(
      403
    )
  })

  it('accepts JSON from its own origin, or with Sec-Fetch-Site: same-origin; uploads as octet-stream', async () => {
    const body = '{"name":"mine","state":{}}'
    expect((await post('/api/views.save', body, { 'content-type': 'application/json', origin: self })).status).toBe(200)
    expect(
      (await post('/api/views.save', body, { 'content-type': 'application/json; charset=utf-8', 'sec-fetch-site': 'same-origin' })).status
    ).toBe(200)
    expect((await post('/upload?name=a.csv', 'x,y\n1,2\n', { 'content-type': 'application/octet-stream', origin: self })).status).toBe(200)
  })

  it('accepts a script (no Origin, no Sec-Fetch-Site) with the token in Authorization, but not with a foreign Origin', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
    expect((await post('/api/views.save', '{"name":"script","state":{}}', headers)).status).toBe(200)
    expect((await post('/api/views.save', '{"name":"x","state":{}}', { ...headers, origin: 'http://127.0.0.1:1' })).status).toBe(403)
    expect((await post('/api/views.save', '{"name":"x","state":{}}', { ...headers, 'content-type': 'text/plain' })).status).toBe(403)
  })

  it('answers 400, not 500, to malformed percent-encoding and deeply nested JSON', async () => {
    const json = { 'content-type': 'application/json', origin: self }
    const bad = await post('/api/%E0%A4%A', '{}', json)
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const deep = '{"name":"deep","state":{"a":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}}'
    const res = await post('/api/views.save', deep, json)
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body).error.message).toMatch(/nested/)
  })
})
