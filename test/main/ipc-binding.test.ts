// The IPC binding of the contract, driven through a fake ipcMain (the Electron binary cannot run here)
// against a real core: same dispatcher, same validation as the HTTP binding.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src-shared/channels'
import type { Envelope } from '../../src-shared/errors'
import { bindIpc } from '../../src-main/electron/ipc-binding'
import type { AppCore } from '../../src-main/services/app-core'
import { tempDir, testCore } from '../helpers/core'

type Handler = (event: { senderFrame: { url: string } | null }, op: unknown, args: unknown) => Promise<Envelope>

const indexFile = join('/app', 'out', 'renderer', 'index.html')
const ownFrame = { senderFrame: { url: pathToFileURL(indexFile).href + '#/runs' } }
let core: AppCore
let cleanup: () => void
let handler: Handler
const sent: unknown[][] = []
let unbind: () => void

beforeAll(() => {
  const t = tempDir()
  cleanup = t.cleanup
  core = testCore(t.dir, { transport: 'ipc' })
  const fakeIpcMain = {
    handle: (channel: string, h: Handler) => {
      expect(channel).toBe(IPC_INVOKE_CHANNEL)
      handler = h
    },
    removeHandler: () => {}
  }
  const fakeWebContents = { send: (...args: unknown[]) => sent.push(args), isDestroyed: () => false }
  unbind = bindIpc(fakeIpcMain as never, core, { indexFile }, () => [fakeWebContents])
})

afterAll(async () => {
  unbind()
  await core.close()
  cleanup()
})

describe('IPC binding (fake ipcMain: no Electron binary here)', () => {
  it('answers our own renderer frame', async () => {
    const res = await handler(ownFrame, 'app.info', {})
    expect(res).toMatchObject({ ok: true, result: { transport: 'ipc' } })
  })

  it('refuses other frames', async () => {
    expect(await handler({ senderFrame: { url: 'https://evil.example/' } }, 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' }
    })
    expect(await handler({ senderFrame: null }, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } })
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
    core.events.emit('run.finished', { runId: 'r', status: 'completed', metrics: null, error: null })
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, 'run.finished', { runId: 'r', status: 'completed', metrics: null, error: null }]])
  })
})
