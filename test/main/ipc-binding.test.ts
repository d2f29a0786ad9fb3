// The IPC binding of the contract, driven through a fake ipcMain (the Electron binary cannot run here)
// against a real core: same dispatcher, same validation as the HTTP binding.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { IPC_EVENT_CHANNEL, IPC_GRANT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src-shared/channels'
import type { Envelope } from '../../src-shared/errors'
import { bindIpc } from '../../src-main/electron/ipc-binding'
import type { AppCore } from '../../src-main/services/app-core'
import { tempDir, testCore } from '../helpers/core'

type Handler = (event: { senderFrame: { url: string } | null }, op: unknown, args: unknown) => Promise<Envelope>

const ownFrame = { senderFrame: { url: 'app://rnn-lab/index.html#/runs' } }
let core: AppCore
let cleanup: () => void
let handler: Handler
let grantFile: (event: { senderFrame: { url: string } | null }, path: unknown) => Promise<{ grant: string; name: string } | null>
let dir: string
const sent: unknown[][] = []
let unbind: () => void

beforeAll(() => {
  const t = tempDir()
  cleanup = t.cleanup
  dir = t.dir
  core = testCore(join(t.dir, 'data'))
  const fakeIpcMain = {
    handle: (channel: string, h: never) => {
      expect([IPC_INVOKE_CHANNEL, IPC_GRANT_CHANNEL]).toContain(channel)
      if (channel === IPC_INVOKE_CHANNEL) handler = h
      else grantFile = h
    },
    removeHandler: () => {}
  }
  const fakeWebContents = { send: (...args: unknown[]) => sent.push(args), isDestroyed: () => false }
  unbind = bindIpc(fakeIpcMain as never, core, {}, () => [fakeWebContents])
})

afterAll(async () => {
  unbind()
  await core.close()
  cleanup()
})

describe('IPC binding (fake ipcMain: no Electron binary here)', () => {
  it('answers our own renderer frame', async () => {
    const res = await handler(ownFrame, 'app.info', {})
    expect(res).toMatchObject({ ok: true, result: { workers: 1, appVersion: expect.any(String) } })
  })

  it('refuses other frames', async () => {
    expect(await handler({ senderFrame: { url: 'https://evil.example/' } }, 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' }
    })
    expect(await handler({ senderFrame: null }, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
    const fileFrame = { senderFrame: { url: pathToFileURL(join('/app', 'out', 'renderer', 'index.html')).href } }
    expect(await handler(fileFrame, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
  })

  it('validates arguments and names the field, like the HTTP binding', async () => {
    const res = await handler(ownFrame, 'datasets.generateSine', { length: 'long', seed: -1 })
    expect(res.ok).toBe(false)
    if (!res.ok) {
      expect(res.error.code).toBe('VALIDATION')
      expect(res.error.message).toMatch(/length: Invalid input: expected number/)
      expect(res.error.message).toMatch(/seed: Too small/)
    }
    expect(await handler(ownFrame, 'nope', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } })
  })

  it('forwards core events to the window', async () => {
    sent.length = 0
    core.events.emit('runs.finished', { runId: 'r', status: 'completed', metrics: null, error: null })
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, 'runs.finished', { runId: 'r', status: 'completed', metrics: null, error: null }]])
  })

  it('reads a file only through a grant: a raw path from the renderer is refused, a dropped file is granted', async () => {
    const file = join(dir, 'dropped.csv')
    writeFileSync(file, 'x,y\n1,2\n2,3\n3,5\n')
    const raw = await handler(ownFrame, 'datasets.previewCsv', { source: { kind: 'path', path: file } })
    expect(raw).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const forged = await handler(ownFrame, 'datasets.previewCsv', { source: { kind: 'grant', grant: file } })
    expect(forged).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await grantFile({ senderFrame: { url: 'https://evil.example/' } }, file)).toBeNull()
    const dropped = await grantFile(ownFrame, file)
    expect(dropped).toMatchObject({ name: 'dropped.csv', grant: expect.stringMatching(/^grant_[0-9a-f]{32}$/) })
    expect(JSON.stringify(dropped)).not.toContain(dir)
    const preview = await handler(ownFrame, 'datasets.previewCsv', { source: { kind: 'grant', grant: dropped!.grant } })
    expect(preview).toMatchObject({ ok: true, result: { file: 'dropped.csv' } })
  })

  it('exports and reveals only through grants', async () => {
    expect(await handler(ownFrame, 'runs.export', { id: 'x', dir: '/tmp' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await handler(ownFrame, 'runs.import', { dir: '/tmp' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await handler(ownFrame, 'shell.reveal', { path: '/etc' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const read = (await grantFile(ownFrame, dir))!.grant
    expect(await handler(ownFrame, 'runs.import', { bundle: 'grant_' + '0'.repeat(32) })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    expect(await handler(ownFrame, 'shell.reveal', { grant: read })).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } })
  })
})
