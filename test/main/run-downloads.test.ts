// Downloading a run's model and predictions from `serve`: GET behind the token, files from the run's own
// folder, each model.json naming the weights file it is downloaded with, and loadable by stock tfjs.
import * as tf from '@tensorflow/tfjs'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src-main/server/http-server'
import { saveRunFiles } from '../../src-main/services/run-files'
import type { AppCore } from '../../src-main/services/app-core'
import type { RunSummary } from '../../src-shared/domain'
import { runFileUrl } from '../../src-shared/run-files'
import { ok, tempDir, testCore } from '../helpers/core'

let core: AppCore
let server: RunningServer
let base: string
let cleanup: () => void
let run: RunSummary
let dataDir: string
const token = 'test-token-downloads-0123'
const auth = { authorization: `Bearer ${token}` }

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  const rendererDir = join(t.dir, 'renderer')
  mkdirSync(rendererDir, { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>RNN Lab</title>')
  dataDir = t.dir
  core = testCore(join(t.dir, 'data'))
  server = await startServer({ dispatch: core.dispatch, events: core.events, token, rendererDir })
  base = `http://127.0.0.1:${server.port}`
  const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 200 }))
  const config = {
    window: 8,
    features: ['value'],
    target: 'value',
    model: { cell: 'lstm', layers: [{ units: 4 }] },
    training: { epochs: 2, batchSize: 32, seed: 1 }
  }
  run = await ok<RunSummary>(core.dispatch('runs.start', { datasetId: ds.id, name: 'Sine LSTM (copy)', config }))
  await core.runs.whenDone(run.id)
})

afterAll(async () => {
  await server?.close()
  await core?.close()
  cleanup?.()
})

const get = (path: string, headers: Record<string, string> = auth) => fetch(`${base}${path}`, { headers })

describe('serve: run file downloads', () => {
  it('needs the token and names only known files of a known run', async () => {
    expect((await get(runFileUrl(run.id, 'tfjs-model.json', 'best'), {})).status).toBe(401)
    expect((await get(`/files/runs/${run.id}/..%2F..%2Frnn-lab.sqlite`)).status).toBe(404)
    expect((await get(`/files/runs/${run.id}/model.json`)).status).toBe(404)
    expect((await get(runFileUrl('run_nope', 'tfjs-model.json', 'best'))).status).toBe(404)
    expect((await get(`${runFileUrl(run.id, 'tfjs-model.json', 'best').split('?')[0]}?checkpoint=../x`)).status).toBe(400)
  })

  it('streams the predictions CSV as an attachment named after the run', async () => {
    const res = await get(runFileUrl(run.id, 'predictions.csv', 'best'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sine-lstm-copy-predictions.csv"')
    expect((await res.text()).split('\n')[0]).toBe('index,actual,predicted,persistence')
  })

  it('the Keras-named model loads in stock tfjs (tf.io.fromMemory) and predicts', async () => {
    const modelRes = await get(runFileUrl(run.id, 'keras-model.json', 'final'))
    expect(modelRes.status).toBe(200)
    expect(modelRes.headers.get('content-disposition')).toContain('sine-lstm-copy-final-keras.json')
    const model = (await modelRes.json()) as {
      modelTopology: object
      weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]
    }
    expect(model.weightsManifest[0]!.paths).toEqual(['sine-lstm-copy-final-keras.weights.bin'])
    expect(JSON.stringify(model.modelTopology)).toContain('"class_name":"LSTM"')
    const weights = await (await get(runFileUrl(run.id, 'keras-weights.bin', 'final'))).arrayBuffer()
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: model.modelTopology, weightSpecs: model.weightsManifest[0]!.weights, weightData: weights })
    )
    const y = loaded.predict(tf.zeros([1, 8, 1])) as tf.Tensor
    expect(y.shape).toEqual([1, 1])
    expect(Number.isFinite((await y.data())[0])).toBe(true)
  })
})

describe("desktop: Save As of a run's files", () => {
  it('is refused where there are no native dialogs (serve, CLI)', async () => {
    expect(await core.dispatch('runs.saveFiles', { id: run.id, what: 'model' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_AVAILABLE' }
    })
  })

  it('writes both models under their download names; the tfjs one loads back with stock tfjs', async () => {
    const dir = join(dataDir, 'saved')
    mkdirSync(dir)
    const files = saveRunFiles(core.runs.get(run.id), 'model', 'best', dir)
    expect(files.sort()).toEqual(readdirSync(dir).sort())
    expect(files).toContain('sine-lstm-copy-best-tfjs.json')
    const model = JSON.parse(readFileSync(join(dir, 'sine-lstm-copy-best-keras.json'), 'utf8'))
    const weightData = new Uint8Array(readFileSync(join(dir, model.weightsManifest[0].paths[0]))).buffer
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: model.modelTopology, weightSpecs: model.weightsManifest[0].weights, weightData })
    )
    expect(loaded.outputs[0]!.shape).toEqual([null, 1])
  })
})
