/**
 * Fused recurrent layers (src-main/engine/fused) vs tfjs-layers vs PyTorch CPU: training samples/s
 * of the fixed workloads of bench/train-throughput.ts (fused: median of epochs 2-6; tfjs-layers: second
 * epoch; the first warms up), both engines on the wasm backend (tfjs on one thread) in the same
 * run, plus generation speed for workload A
 * (stateful sampling with the fused LSTM, one character per step, vs re-running a 64-char window
 * through the tfjs-layers model).
 *
 *   npx tsx -e "import('./bench/fused-throughput.ts').then(m => m.benchFused()).then(r => console.log(JSON.stringify(r, null, 2)))"
 *
 * benchFused(only?) takes workload ids (A, A-gru, B, B-gru, C) to run a subset.
 *
 * The fused layers run twice: kernels on one thread (`setKernelThreads(1)`, the fusedSamplesPerSecond
 * column) and on two (this thread + the kernels' helper thread, `setKernelThreads(2)`:
 * fused2ThreadsSamplesPerSecond). Batches below the split threshold (wasm-kernels.ts `batchSplit`)
 * run on one thread either way. Epoch losses are identical with 1 and 2 threads by construction.
 */
import * as tf from '@tensorflow/tfjs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { selectBackend } from '../src-main/engine/backends'
import { buildForecastModel, makeOptimizer } from '../src-main/engine/build-model'
import { batchSplit, kernelThreadStats, setKernelThreads } from '../src-main/engine/fused'
import { fit } from '../src-main/engine/fit-loop'
import { statefulSampler } from '../src-main/engine/stateful-sampler'
import { lossFunction } from '../src-main/engine/train-forecast'
import { buildTextModel, textLoss } from '../src-main/engine/train-text'
import { mulberry32 } from '../src-shared/random'
import { RunConfig } from '../src-shared/run-config'
import { TextConfig } from '../src-shared/text-config'
import { WORKLOADS } from './workloads'

type Workload = (typeof WORKLOADS)[number]

/** Epochs of the fused runs (median of the last FUSED_EPOCHS − 1); the tfjs-layers reference runs 2. */
const FUSED_EPOCHS = 6

function buildWorkload(w: Workload, reference: boolean, epochs: number) {
  const rand = mulberry32(1)
  const trainCount = w.batch * w.batches
  if (w.kind === 'text') {
    const config = TextConfig.parse({
      task: 'text',
      sequenceLength: 64,
      model: { cell: w.cell, layers: [{ units: 128 }] },
      training: { epochs, batchSize: w.batch }
    })
    const model = buildTextModel(tf, config, 65, { reference })
    const ids = Int32Array.from({ length: trainCount * 64 }, () => Math.floor(rand() * 65))
    const x = tf.tidy(() => tf.oneHot(tf.tensor2d(ids, [trainCount, 64], 'int32'), 65).toFloat())
    const y = tf.tensor2d(
      Int32Array.from({ length: trainCount * 64 }, () => Math.floor(rand() * 65)),
      [trainCount, 64],
      'int32'
    )
    return { model, x, y, loss: textLoss(tf, 65), training: config.training, trainCount }
  }
  const window = w.id.startsWith('B') ? 30 : 20
  const features = w.id.startsWith('B') ? ['a', 'b', 'c', 'd', 'e'] : ['a']
  const units = w.id.startsWith('B') ? 64 : 32
  const config = RunConfig.parse({
    window,
    features,
    target: 'a',
    model: { cell: w.cell, layers: [{ units }] },
    training: { epochs, batchSize: w.batch }
  })
  const model = buildForecastModel(tf, config, { reference })
  const x = tf.randomUniform([trainCount, window, features.length], 0, 1, 'float32', 1)
  const y = tf.randomUniform([trainCount, 1], 0, 1, 'float32', 2)
  return { model, x, y, loss: lossFunction(tf, 'mse'), training: config.training, trainCount }
}

/**
 * Samples/s: the median over epochs 2..`epochs` (the first warms up; an epoch of B or C is only
 * ~0.1 s, so one epoch is noisy). `fused` trains the same model with fused recurrent layers.
 */
async function samplesPerSecond(
  w: Workload,
  fused: boolean,
  epochs = 2
): Promise<{ samplesPerSecond: number; firstEpochLoss: number; secondEpochLoss: number }> {
  // The engine builds fused layers; `reference` asks it for stock tfjs-layers cells instead.
  const built = buildWorkload(w, !fused, epochs)
  const { x, y, loss, training, trainCount } = built
  const model: tf.LayersModel = built.model
  const optimizer = makeOptimizer(tf, { training })
  const ends: number[] = []
  const losses: number[] = []
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
    {
      onEpoch: (r) => {
        ends.push(r.elapsedMs)
        losses.push(r.loss)
      }
    }
  )
  tf.dispose([x, y])
  optimizer.dispose()
  model.dispose()
  const times = ends
    .slice(1)
    .map((e, i) => e - ends[i])
    .sort((a, b) => a - b)
  const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2
  return { samplesPerSecond: trainCount / (median / 1000), firstEpochLoss: losses[0], secondEpochLoss: losses[1] }
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

function sample(logits: Float32Array, rand: () => number): number {
  let max = -Infinity
  for (const v of logits) max = Math.max(max, v)
  let sum = 0
  const p = Array.from(logits, (v) => {
    const e = Math.exp(v - max)
    sum += e
    return e
  })
  let r = rand() * sum
  for (let i = 0; i < p.length; i++) if ((r -= p[i]) <= 0) return i
  return p.length - 1
}

/** ms per generated character for workload A: fused stateful sampling vs a 64-char window through tfjs-layers. */
async function generationMsPerChar(): Promise<Record<string, number>> {
  const config = TextConfig.parse({
    task: 'text',
    sequenceLength: 64,
    model: { cell: 'lstm', layers: [{ units: 128 }] },
    training: { epochs: 1, batchSize: 64 }
  })
  const stock = buildTextModel(tf, config, 65, { reference: true })
  const rand = mulberry32(5)
  // tfjs-layers: re-run the last 64 characters for every new one.
  const window: number[] = Array.from({ length: 64 }, () => Math.floor(rand() * 65))
  const stockChars = 40
  let t0 = performance.now()
  for (let i = 0; i < stockChars + 3; i++) {
    if (i === 3) t0 = performance.now() // warm-up
    const logits = tf.tidy(() => {
      const x = tf.oneHot(tf.tensor2d(window.slice(-64), [1, 64], 'int32'), 65).toFloat()
      const out = stock.predict(x) as tf.Tensor
      return tf.slice(out, [0, 63, 0], [1, 1, 65])
    })
    window.push(sample(logits.dataSync() as Float32Array, rand))
    logits.dispose()
  }
  const stockMs = (performance.now() - t0) / stockChars
  // The engine's sampler: the fused model, one step per character, the LSTM state carried.
  const fusedModel = buildTextModel(tf, config, 65)
  const sampler = statefulSampler(tf, fusedModel, 65)!
  let id = window[window.length - 1]
  const fusedChars = 400
  for (let i = 0; i < fusedChars + 20; i++) {
    if (i === 20) t0 = performance.now()
    id = sample(sampler.step(id), rand)
  }
  const fusedMs = (performance.now() - t0) / fusedChars
  sampler.dispose()
  fusedModel.dispose()
  stock.dispose()
  return { fusedStatefulMsPerChar: fusedMs, tfjsLayersWindow64MsPerChar: stockMs, speedup: stockMs / fusedMs }
}

/** The batch split of the workload's recurrent layer: "16+16", or "one thread (below threshold)". */
function splitOf(w: Workload): string {
  const kind = w.cell === 'lstm' ? 'lstm' : w.cell === 'gru' ? 'gru' : 'rnn'
  const [T, D, U] = w.kind === 'text' ? [64, 65, 128] : w.id.startsWith('B') ? [30, 5, 64] : [20, 1, 32]
  const split = batchSplit(kind, w.batch, T, D, U)
  return split < w.batch ? `${split}+${w.batch - split}` : 'one thread (below threshold)'
}

export async function benchFused(only?: string[]): Promise<Record<string, unknown>> {
  const report = await selectBackend(tf, { allowNative: false, only: ['wasm'] })
  const torch = torchSamplesPerSecond()
  const rows: Record<string, unknown>[] = []
  for (const w of WORKLOADS) {
    if (only && !only.includes(w.id)) continue
    setKernelThreads(1)
    const fused = await samplesPerSecond(w, true, FUSED_EPOCHS)
    setKernelThreads(2)
    const halvesBefore = kernelThreadStats().helperHalves
    const fused2 = await samplesPerSecond(w, true, FUSED_EPOCHS)
    const helperHalves = kernelThreadStats().helperHalves - halvesBefore
    setKernelThreads('auto')
    const layers = await samplesPerSecond(w, false)
    const pt = 'results' in torch ? (torch.results[w.id] ?? null) : null
    rows.push({
      workload: w.id,
      description: w.description,
      fusedSamplesPerSecond: Math.round(fused.samplesPerSecond),
      fused2ThreadsSamplesPerSecond: Math.round(fused2.samplesPerSecond),
      twoThreadsOverOne: +(fused2.samplesPerSecond / fused.samplesPerSecond).toFixed(2),
      kernelSplit: splitOf(w),
      helperHalves,
      tfjsLayersSamplesPerSecond: Math.round(layers.samplesPerSecond),
      pytorchSamplesPerSecond: pt === null ? null : Math.round(pt),
      fusedOverTfjsLayers: +(fused.samplesPerSecond / layers.samplesPerSecond).toFixed(2),
      fusedOverPytorch: pt ? +(fused.samplesPerSecond / pt).toFixed(2) : null,
      fused2ThreadsOverPytorch: pt ? +(fused2.samplesPerSecond / pt).toFixed(2) : null,
      tfjsLayersOverPytorch: pt ? +(layers.samplesPerSecond / pt).toFixed(2) : null,
      fusedEpochLosses: [fused.firstEpochLoss, fused.secondEpochLoss],
      fused2ThreadsEpochLosses: [fused2.firstEpochLoss, fused2.secondEpochLoss],
      tfjsLayersEpochLosses: [layers.firstEpochLoss, layers.secondEpochLoss]
    })
  }
  const generation = !only || only.includes('A') ? await generationMsPerChar() : null
  return {
    backend: report.selected,
    backendReason: report.attempts.find((a) => a.status === 'used')?.reason,
    pytorch: 'results' in torch ? torch.python : torch.unavailable,
    workloads: rows,
    generationA: generation
  }
}
