// `rnn-lab train --from <runId> --set path=value`: the built CLI (npm test builds before the unit tests)
// on a real data folder: a tiny run, then a copy of it with one field changed, then refused overrides.
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'

const CLI = join(__dirname, '..', '..', 'out', 'main', 'cli.js')
const tmp = tempDir('rnn-lab-cli-from-')
afterAll(() => tmp.cleanup())

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data-dir', tmp.dir], { encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

function lastJson(out: string): Record<string, unknown> {
  const lines = out.trim().split('\n')
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>
}

describe('rnn-lab train --from', () => {
  it('needs the built CLI (npm run build)', () => expect(existsSync(CLI)).toBe(true))

  it('copies a run with --set overrides, and refuses a bad field with exit 2 naming it', () => {
    const csv = join(tmp.dir, 'wave.csv')
    writeFileSync(csv, 'value\n' + Array.from({ length: 160 }, (_, i) => Math.sin(i / 5).toFixed(4)).join('\n') + '\n')
    const imported = cli('import', csv, '--json')
    expect(imported.code, imported.err).toBe(0)
    const datasetId = (JSON.parse(imported.out) as { id: string }).id
    const config = join(tmp.dir, 'config.json')
    const base = {
      window: 8,
      features: ['value'],
      target: 'value',
      model: { cell: 'simple_rnn', layers: [{ units: 4 }] },
      training: { epochs: 1, batchSize: 32, learningRate: 0.01, seed: 1 }
    }
    writeFileSync(config, JSON.stringify(base))
    const first = cli('train', '--dataset', datasetId, '--config', config, '--name', 'tiny', '--json')
    expect(first.code, first.err).toBe(0)
    const run = lastJson(first.out) as { id: string }

    const copy = cli('train', '--from', run.id, '--set', 'model.layers[0].units=6', '--set', 'training.learningRate=0.003', '--json')
    expect(copy.code, copy.err).toBe(0)
    const copied = lastJson(copy.out) as { name: string; datasetId: string; config: typeof base }
    expect(copied.name).toBe('tiny (copy)')
    expect(copied.datasetId).toBe(datasetId)
    expect(copied.config.model.layers[0]!.units).toBe(6)
    expect(copied.config.training.learningRate).toBe(0.003)
    expect(copied.config.window).toBe(8)

    const tooBig = cli('train', '--from', run.id, '--set', 'model.layers[0].units=100000')
    expect(tooBig.code).toBe(2)
    expect(tooBig.err).toContain('model.layers[0].units')
    const unknown = cli('train', '--from', run.id, '--set', '__proto__.polluted=1')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain('__proto__')
  })
})
