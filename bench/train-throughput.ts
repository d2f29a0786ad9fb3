/**
 * Training throughput (samples/s) of the fixed workloads on the tfjs-layers engine (wasm backend, one
 * thread), measured on the second epoch (the first warms up), with PyTorch CPU beside it when
 * `import torch` works (bench/torch_rnn.py, run in the same invocation; ratios = ours / PyTorch's).
 */
import * as tf from '@tensorflow/tfjs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { selectBackend } from '../src-main/engine/backends'
import { buildForecastModel, makeOptimizer } from '../src-main/engine/build-model'
import { fit } from '../src-main/engine/fit-loop'
import { lossFunction } from '../src-main/engine/train-forecast'
import { buildTextModel, textLoss } from '../src-main/engine/train-text'
import { mulberry32 } from '../src-shared/random'
import { RunConfig, type Cell } from '../src-shared/run-config'
import { TextConfig } from '../src-shared/text-config'

interface Workload {
  id: string
  description: string
  kind: 'text' | 'forecast'
  cell: Cell
  batch: number
  batches: number
}

export const WORKLOADS: Workload[] = [
  { id: 'A', description: 'char LM many-to-many, vocab 65 one-hot, seq 64, LSTM(128), batch 64', kind: 'text', cell: 'lstm', batch: 64, batches: 3 },
  { id: 'A-gru', description: 'A with GRU(128)', kind: 'text', cell: 'gru', batch: 64, batches: 3 },
  { id: 'B', description: 'stock many-to-one, window 30 × 5, LSTM(64), batch 32', kind: 'forecast', cell: 'lstm', batch: 32, batches: 20 },
  { id: 'B-gru', description: 'B with GRU(64)', kind: 'forecast', cell: 'gru', batch: 32, batches: 20 },
  { id: 'C', description: 'sine, window 20 × 1, SimpleRNN(32), batch 32', kind: 'forecast', cell: 'simple_rnn', batch: 32, batches: 100 }
]

async function tfjsSamplesPerSecond(w: Workload): Promise<number> {
  const rand = mulberry32(1)
  const trainCount = w.batch * w.batches
  let model: tf.LayersModel
  let x: tf.Tensor
  let y: tf.Tensor
  let loss
  let training
  if (w.kind === 'text') {
    const config = TextConfig.parse({ task: 'text', sequenceLength: 64, model: { cell: w.cell, layers: [{ units: 128 }] }, training: { epochs: 2, batchSize: w.batch } })
    model = buildTextModel(tf, config, 65)
    const ids = Int32Array.from({ length: trainCount * 64 }, () => Math.floor(rand() * 65))
    x = tf.oneHot(tf.tensor2d(ids, [trainCount, 64], 'int32'), 65).toFloat()
    y = tf.tensor2d(Int32Array.from({ length: trainCount * 64 }, () => Math.floor(rand() * 65)), [trainCount, 64], 'int32')
    loss = textLoss(tf, 65)
    training = config.training
  } else {
    const window = w.id.startsWith('B') ? 30 : 20
    const features = w.id.startsWith('B') ? ['a', 'b', 'c', 'd', 'e'] : ['a']
    const units = w.id.startsWith('B') ? 64 : 32
    const config = RunConfig.parse({ window, features, target: 'a', model: { cell: w.cell, layers: [{ units }] }, training: { epochs: 2, batchSize: w.batch } })
    model = buildForecastModel(tf, config)
    x = tf.randomUniform([trainCount, window, features.length], 0, 1, 'float32', 1)
    y = tf.randomUniform([trainCount, 1], 0, 1, 'float32', 2)
    loss = lossFunction(tf, 'mse')
    training = config.training
  }
  const optimizer = makeOptimizer(tf, { training })
  const ends: number[] = []
  await fit(
    tf,
    {
      model,
      optimizer,
      training,
      trainCount,
      batch: (idx, from, to) => {
        const sel = tf.tensor1d(idx.slice(from, to), 'int32')
        const out = { x: tf.gather(x, sel), y: tf.gather(y, sel) }
        sel.dispose()
        return out
      },
      loss,
      validate: async () => null,
      restoreBest: false
    },
    { onEpoch: (r) => ends.push(r.elapsedMs) }
  )
  tf.dispose([x, y])
  optimizer.dispose()
  model.dispose()
  return trainCount / ((ends[1] - ends[0]) / 1000)
}

function torchSamplesPerSecond(): { python: string; results: Record<string, number> } | { unavailable: string } {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' })
    } catch {
      continue
    }
    const out = execFileSync(python, [join(__dirname, 'torch_rnn.py')], { encoding: 'utf8', timeout: 600_000 })
    return { python, results: JSON.parse(out.trim().split('\n').at(-1)!) }
  }
  return { unavailable: 'no python3 with torch (apt-get install python3-torch)' }
}

export async function benchTrainThroughput(only?: string[]): Promise<Record<string, unknown>> {
  const report = await selectBackend(tf, { allowNative: true })
  const rows: Record<string, unknown>[] = []
  const torch = torchSamplesPerSecond()
  for (const w of WORKLOADS) {
    if (only && !only.includes(w.id)) continue
    const ours = await tfjsSamplesPerSecond(w)
    const theirs = 'results' in torch ? (torch.results[w.id] ?? null) : null
    rows.push({ workload: w.id, description: w.description, tfjsLayersSamplesPerSecond: ours, pytorchSamplesPerSecond: theirs, ratioToPytorch: theirs ? ours / theirs : null })
  }
  return { backend: report.selected, backendReason: report.attempts.find((a) => a.status === 'used')?.reason, pytorch: 'results' in torch ? torch.python : torch.unavailable, workloads: rows }
}
