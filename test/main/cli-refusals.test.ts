import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'

const teardown = useTeardown()

/** The built command (`npm run build` first, as for the browser tests). */
function cli(args: string[]) {
  return spawnSync(process.execPath, ['out/main/cli.js', ...args], { encoding: 'utf8', timeout: 60_000 })
}

describe('rnn-lab train refuses a configuration that reads the answer', () => {
  it('bidirectional many-to-many: exit 2 naming config.model.bidirectional, for a forecast and a language model', async () => {
    const { dir, cleanup } = tempDir()
    teardown.push(async () => cleanup())
    const core = testCore(dir)
    const sine = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 200 }))
    const verse = await ok<{ id: string }>(core.dispatch('datasets.generateText', {}))
    await core.close()
    const model = { cell: 'lstm', layers: [{ units: 4 }], bidirectional: true }
    const configs = {
      [sine.id]: { layout: 'many-to-many', window: 10, features: ['value'], target: 'value', model, training: { epochs: 1 } },
      [verse.id]: { task: 'text', layout: 'many-to-many', model, training: { epochs: 1 } }
    }
    for (const [dataset, config] of Object.entries(configs)) {
      const file = join(dir, `${dataset}.json`)
      writeFileSync(file, JSON.stringify(config))
      const r = cli(['train', '--data-dir', dir, '--dataset', dataset, '--config', file])
      expect(r.status, r.stderr).toBe(2)
      expect(r.stderr).toMatch(/config\.model\.bidirectional: many-to-many predicts step t \+ 1/)
    }
  }, 120_000)
})
