import { describe, expect, it } from 'vitest'
import { createClient, type Transport } from '../../src-shared/client'
import { OPERATION_NAMES, operations } from '../../src-shared/contract'
import { ApiError, type Envelope } from '../../src-shared/errors'
import { parseOrThrow } from '../../src-shared/validation'
import { sineExampleConfig } from '../../src-shared/forecast-config'

function fakeTransport(reply: (op: string, args: unknown) => Envelope): Transport & { emit(n: string, p: unknown): void } {
  const listeners = new Set<(n: string, p: unknown) => void>()
  return {
    kind: 'http',
    invoke: async (op, args) => reply(op, args),
    subscribe: (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    emit: (n, p) => listeners.forEach((l) => l(n, p))
  }
}

describe('the contract', () => {
  it('has a request and response schema for every operation', () => {
    expect(OPERATION_NAMES.length).toBeGreaterThan(5)
    for (const name of OPERATION_NAMES) {
      expect(operations[name].request).toBeDefined()
      expect(operations[name].response).toBeDefined()
    }
  })

  it('names the failing field of a bad request', () => {
    const config = { ...sineExampleConfig(), model: { cell: 'simple_rnn', layers: [{ units: 'many' }] } }
    expect(() => parseOrThrow(operations['runs.start'].request, { datasetId: 'd', config }, 'request')).toThrow(
      /config\.model\.layers\[0\]\.units: Invalid input: expected number/
    )
  })

  it('rejects unknown fields in a config (typos do not pass silently)', () => {
    const config = { ...sineExampleConfig(), windw: 3 }
    expect(() => parseOrThrow(operations['runs.start'].request, { datasetId: 'd', config }, 'request')).toThrow(/windw/)
  })

  it('rejects absurd values with the field named', () => {
    const bad = (over: object) => ({ datasetId: 'd', config: { ...sineExampleConfig(), ...over } })
    const req = operations['runs.start'].request
    expect(() => parseOrThrow(req, bad({ window: 0 }), 'r')).toThrow(/config\.window/)
    expect(() => parseOrThrow(req, bad({ model: { cell: 'lstm', layers: [{ units: 1e9 }] } }), 'r')).toThrow(
      /config\.model\.layers\[0\]\.units: Too big/
    )
    expect(() => parseOrThrow(req, bad({ training: { ...sineExampleConfig().training, learningRate: -1 } }), 'r')).toThrow(
      /config\.training\.learningRate/
    )
    expect(() => parseOrThrow(req, bad({ training: { ...sineExampleConfig().training, epochs: 0 } }), 'r')).toThrow(
      /config\.training\.epochs/
    )
  })
})

describe('the client', () => {
  it('returns validated results', async () => {
    const client = createClient(fakeTransport(() => ({ ok: true, result: { deleted: true } })))
    await expect(client.invoke('runs.delete', { id: 'x' })).resolves.toEqual({ deleted: true })
  })

  it('rebuilds wire errors as ApiError with code and details', async () => {
    const client = createClient(fakeTransport(() => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No run', details: { id: 'x' } } })))
    const err = await client.invoke('runs.get', { id: 'x' }).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'No run', details: { id: 'x' } })
  })

  it('refuses a response that breaks the contract', async () => {
    const client = createClient(fakeTransport(() => ({ ok: true, result: { deleted: 'yes' } })))
    await expect(client.invoke('runs.delete', { id: 'x' })).rejects.toThrow(/deleted/)
  })

  it('delivers validated events and drops malformed ones', async () => {
    const t = fakeTransport(() => ({ ok: true, result: null }))
    const client = createClient(t)
    const got: unknown[] = []
    const off = client.on('run.epoch', (p) => got.push(p))
    t.emit('run.epoch', { runId: 'r', record: { epoch: 1, loss: 0.5, valLoss: null, elapsedMs: 3 } })
    t.emit('run.epoch', { runId: 'r', record: { epoch: 'one' } })
    off()
    t.emit('run.epoch', { runId: 'r', record: { epoch: 2, loss: 0.4, valLoss: null, elapsedMs: 6 } })
    expect(got).toHaveLength(1)
  })
})
