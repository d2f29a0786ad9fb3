/**
 * Fused recurrent layers (src-main/engine/fused) vs tfjs-layers vs PyTorch CPU at its best: training
 * samples/s of the fixed workloads (bench/workloads.ts), all in ONE invocation, plus generation speed
 * for workload A (stateful sampling, one character per step, vs re-running a 64-char window through
 * the tfjs-layers model).
 *
 *   npm run bench -- --only fused --json [--workloads A,B]
 *
 * Ours: every configuration of ENGINE_CONFIGS (kernel backend × kernel threads), median of epochs
 * 2..FUSED_EPOCHS; the best is reported beside all. PyTorch: ./torch-rival.ts (torch threads ×
 * OpenBLAS threads × ATen SIMD level, the best per workload, all trials listed). tfjs-layers: the
 * second epoch. Epoch losses are identical with 1 and 2 kernel threads by construction.
 */
import * as tf from '@tensorflow/tfjs'
import { selectBackend } from '../src-main/engine/backends'
import { buildForecastModel, makeOptimizer } from '../src-main/engine/build-model'
import { batchSplit, kernelsDescription, setKernelBackend, setKernelThreads } from '../src-main/engine/fused'
import { fit } from '../src-main/engine/fit-loop'
import { statefulSampler } from '../src-main/engine/stateful-sampler'
import { lossFunction } from '../src-main/engine/train-forecast'
import { buildTextModel, textLoss } from '../src-main/engine/train-text'
import { mulberry32 } from '../src-shared/random'
import { ForecastConfig } from '../src-shared/forecast-config'
import { TextConfig } from '../src-shared/text-config'
import { torchAtItsBest } from './torch-rival'
import { WORKLOADS } from './workloads'

type Workload = (typeof WORKLOADS)[number]

/** Epochs of the fused runs (median of the last FUSED_EPOCHS − 1); the tfjs-layers reference runs 2. */
const FUSED_EPOCHS = 4

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
  const config = ForecastConfig.parse({
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
export async function samplesPerSecond(
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

/** Our engine's configurations, each measured on every workload (the best is reported beside all). */
const ENGINE_CONFIGS: { label: string; setup: () => void }[] = [
  ...(['native', 'wasm'] as const).flatMap((backend) =>
    ([1, 2] as const).map((threads) => ({
      label: `${backend} kernels, ${threads} thread${threads > 1 ? 's' : ''}`,
      setup: () => {
        setKernelBackend(backend)
        setKernelThreads(threads)
      }
    }))
  )
]

const round = (v: number) => Math.round(v)

export async function benchFused(only?: string[]): Promise<Record<string, unknown>> {
  const report = await selectBackend(tf, { allowNative: false, only: ['wasm'] })
  const ids = WORKLOADS.map((w) => w.id).filter((id) => !only || only.includes(id))
  const rows: Record<string, unknown>[] = []
  let rival: unknown = null
  for (const w of WORKLOADS) {
    if (!ids.includes(w.id)) continue
    // The rival right before ours on the same workload: the machine's load drifts.
    const torch = torchAtItsBest([w.id], FUSED_EPOCHS)
    rival ??= 'best' in torch ? { python: torch.python, process: torch.trials[0].reported } : torch.unavailable
    const ours: Record<string, number> = {}
    const losses: Record<string, number[]> = {}
    for (const c of ENGINE_CONFIGS) {
      c.setup()
      const r = await samplesPerSecond(w, true, FUSED_EPOCHS)
      ours[c.label] = round(r.samplesPerSecond)
      losses[c.label] = [r.firstEpochLoss, r.secondEpochLoss]
    }
    setKernelThreads('auto')
    setKernelBackend('auto')
    const layers = await samplesPerSecond(w, false)
    const [bestLabel, bestOurs] = Object.entries(ours).sort((a, b) => b[1] - a[1])[0]
    const pt = 'best' in torch ? (torch.best[w.id] ?? null) : null
    rows.push({
      workload: w.id,
      description: w.description,
      ours,
      oursBest: { samplesPerSecond: bestOurs, config: bestLabel },
      pytorchBest: pt && { samplesPerSecond: round(pt.samplesPerSecond), config: pt.config },
      oursBestOverPytorchBest: pt ? +(bestOurs / pt.samplesPerSecond).toFixed(2) : null,
      tfjsLayersSamplesPerSecond: round(layers.samplesPerSecond),
      oursBestOverTfjsLayers: +(bestOurs / layers.samplesPerSecond).toFixed(2),
      pytorchTrials: 'best' in torch ? torch.trials.map((t) => ({ ...t.config, samplesPerSecond: round(t.results[w.id]) })) : null,
      kernelSplit: splitOf(w),
      epochLosses: { ...losses, 'tfjs-layers': [layers.firstEpochLoss, layers.secondEpochLoss] }
    })
  }
  const generation = ids.includes('A') ? await generationMsPerChar() : null
  return {
    backend: report.selected,
    backendReason: report.attempts.find((a) => a.status === 'used')?.reason,
    kernels: kernelsDescription(),
    method: `samples/s = median over epochs 2..${FUSED_EPOCHS} (the first warms up), every configuration in this one invocation`,
    pytorch: rival,
    workloads: rows,
    generationA: generation
  }
}
