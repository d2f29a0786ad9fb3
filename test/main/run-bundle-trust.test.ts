// Finding: a run bundle escaped the data folder. Its run id and artifact paths were joined into paths
// unchecked: id ".." made deleting the imported run delete the whole data folder, and an artifact path
// "../../../../etc/hostname" was copied into the run folder. Real training, real SQLite, real folders.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import type { AppCore } from '../../src-main/services/app-core'
import { ok, tempDir, testCore } from '../helpers/core'

let root: { dir: string; cleanup: () => void }
let exported: string
let original: RunDetail

const config = {
  ...sineExampleConfig(),
  model: { cell: 'simple_rnn', layers: [{ units: 4 }] },
  training: { ...sineExampleConfig().training, epochs: 2, batchSize: 32 }
}

async function exportBundle(core: AppCore, id: string, dir: string) {
  return ok<{ dir: string; files: string[] }>(core.dispatch('runs.export', { id, folder: core.grants.register(dir, 'write') }))
}

async function importBundle(core: AppCore, dir: string) {
  return core.dispatch('runs.import', { bundle: core.grants.register(dir, 'read') })
}

/** A copy of the exported bundle with run.json edited by `edit`. */
function tamperedBundle(name: string, edit: (run: Record<string, unknown>) => void): string {
  const dir = join(root.dir, 'bundles', name)
  cpSync(exported, dir, { recursive: true })
  const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))
  edit(json.run)
  writeFileSync(join(dir, 'run.json'), JSON.stringify(json))
  return dir
}

/** A fresh installation with a sentinel file in its data folder and one outside it. */
function installation(name: string) {
  const dataDir = join(root.dir, name, 'data')
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(join(dataDir, 'keep.txt'), 'mine')
  mkdirSync(join(root.dir, name, 'elsewhere', 'victim'), { recursive: true })
  writeFileSync(join(root.dir, name, 'elsewhere', 'victim', 'precious.txt'), 'not RNN Lab’s')
  return { core: testCore(dataDir), dataDir, outside: join(root.dir, name, 'elsewhere') }
}

beforeAll(async () => {
  root = tempDir()
  const core = testCore(join(root.dir, 'source'))
  const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 300 }))
  const run = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, config }))
  await core.runs.whenDone(run.id)
  original = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
  exported = join(root.dir, 'exported')
  await exportBundle(core, run.id, exported)
  await core.close()
}, 120_000)

afterAll(() => root.cleanup())

describe('run bundles are hostile input', () => {
  it.each([
    ['..', 'dot-dot'],
    ['../../elsewhere/victim', 'outside']
  ])('run id %j gets a new id (importedFrom keeps it); deleting it removes only its own folder', async (badId, name) => {
    const { core, dataDir, outside } = installation(name)
    try {
      const bundle = tamperedBundle(name, (run) => (run.id = badId))
      const env = await importBundle(core, bundle)
      expect(env.ok).toBe(true)
      const run = (env as { result: RunSummary }).result
      expect(run.id).toMatch(/^run_[a-z0-9]+_[0-9a-f]+$/)
      expect(run.importedFrom).toBe(badId)
      const detail = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
      for (const a of detail.artifacts) expect(a.path.startsWith(join(dataDir, 'runs', run.id))).toBe(true)
      expect(readdirSync(outside)).toEqual(['victim'])
      await ok(core.dispatch('runs.delete', { id: run.id }))
      expect(readFileSync(join(dataDir, 'keep.txt'), 'utf8')).toBe('mine')
      expect(existsSync(join(dataDir, 'rnn-lab.sqlite'))).toBe(true)
      expect(existsSync(join(outside, 'victim', 'precious.txt'))).toBe(true)
    } finally {
      await core.close()
    }
  })

  it('a run whose id already exists is imported under a new id, the original kept as importedFrom', async () => {
    const { core } = installation('twice')
    try {
      const first = await ok<RunSummary>(importBundle(core, exported))
      expect(first).toMatchObject({ id: original.id, importedFrom: null })
      const second = await ok<RunSummary>(importBundle(core, exported))
      expect(second.id).not.toBe(original.id)
      expect(second.importedFrom).toBe(original.id)
      const detail = await ok<RunDetail>(core.dispatch('runs.get', { id: second.id }))
      expect(detail.epochs).toHaveLength(2)
      expect(detail.artifacts.map((a) => a.kind).sort()).toEqual(['best', 'final'])
    } finally {
      await core.close()
    }
  })

  it('artifact paths in run.json are ignored: models are found by kind inside the bundle only', async () => {
    const { core, dataDir } = installation('artifacts')
    try {
      const bundle = tamperedBundle('artifacts', (run) => {
        const artifacts = run.artifacts as { kind: string; path: string }[]
        for (const a of artifacts) a.path = '../../../../../../../../etc/hostname'
      })
      const run = await ok<RunSummary>(importBundle(core, bundle))
      const detail = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
      expect(detail.artifacts.map((a) => a.kind).sort()).toEqual(['best', 'final'])
      const folder = join(dataDir, 'runs', run.id)
      expect(readdirSync(folder).sort()).toEqual(['best', 'final'])
      expect(readdirSync(join(folder, 'best')).sort()).toEqual(['model.json', 'weights.bin'])
      expect(JSON.parse(readFileSync(join(folder, 'best', 'model.json'), 'utf8'))).toHaveProperty('modelTopology')
    } finally {
      await core.close()
    }
  })

  it('a model folder in the bundle that is a symlink out of it is not copied', async () => {
    const { core, dataDir } = installation('symlink')
    try {
      const bundle = tamperedBundle('symlink', () => {})
      const secret = join(root.dir, 'symlink', 'secret')
      mkdirSync(secret, { recursive: true })
      writeFileSync(join(secret, 'model.json'), '{"stolen":true}')
      rmSync(join(bundle, 'model', 'best'), { recursive: true })
      symlinkSync(secret, join(bundle, 'model', 'best'))
      const run = await ok<RunSummary>(importBundle(core, bundle))
      const detail = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
      expect(detail.artifacts.map((a) => a.kind)).toEqual(['final'])
      expect(existsSync(join(dataDir, 'runs', run.id, 'best'))).toBe(false)
    } finally {
      await core.close()
    }
  })
})
