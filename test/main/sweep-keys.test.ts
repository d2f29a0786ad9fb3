// Finding: a sweep grid key `__proto__.x` polluted Object.prototype in the core, and every later
// request was refused with `Unrecognized key: "x"` until restart.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'

const teardown = useTeardown()

describe('sweeps.create with a prototype key', () => {
  it('is refused naming the field, and the next requests still work', async () => {
    const t = tempDir()
    const core = testCore(join(t.dir, 'data'))
    teardown.push(async () => (await core.close(), t.cleanup()))
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 200 }))
    const r = await core.dispatch('sweeps.create', { datasetId: ds.id, base: {}, spec: { grid: { '__proto__.x': [1] } } })
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('__proto__') } })
    expect(({} as Record<string, unknown>).x).toBeUndefined()
    await ok(core.dispatch('settings.set', { workers: 2 }))
    await ok(core.dispatch('views.save', { name: 'still fine', state: { a: 1 } }))
  })
})
