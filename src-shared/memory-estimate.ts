/**
 * The memory a forecast run needs, from its config and the dataset's rows: the series (raw columns and
 * the scaled copy), one batch buffer, the model with its optimizer state, the recurrent kernels'
 * activations kept for backpropagation through time, the evaluation outputs, and the training worker
 * itself. An estimate (≈), checked against measured peak RSS by `npm run bench -- --only memory`.
 */
import { ApiError } from './errors'
import { layoutShape, type ForecastConfig } from './forecast-config'

export interface MemoryEstimate {
  /** The total, in bytes. */
  bytes: number
  parts: {
    /** tfjs with its WebAssembly backend in a worker thread, and what every run adds whatever its size. */
    runtime: number
    /** The raw columns the worker holds and the scaled float32 series. */
    series: number
    /** Window starts, the shuffled order, one batch buffer and its tensors. */
    batches: number
    /** Weights, gradients, optimizer slots and the best weights kept aside. */
    model: number
    /** What the recurrent kernels keep for BPTT (training batch) or compute (evaluation batch of 512). */
    activations: number
    /** Test forecasts and the arrays they are scored in. */
    evaluation: number
  }
}

/**
 * Measured by the bench memory case: tfjs with the wasm backend loaded (≈ 70 MB), a worker thread's
 * own heap, and what any run adds whatever its data (≈ 50 MB: compiled code, kernel and tensor heaps).
 */
export const RUNTIME_BYTES = 130 * 2 ** 20
/** Windows per validation, test and prediction batch (train-forecast's EVAL_BATCH). */
export const EVAL_BATCH = 512

const F32 = 4
const F64 = 8

/** Optimizer slots per weight: Adam keeps two moments, RMSprop two accumulators, SGD a momentum. */
function optimizerSlots(t: ForecastConfig['training']): number {
  if (t.optimizer === 'adam' || t.optimizer === 'rmsprop') return 2
  return t.momentum > 0 ? 1 : 0
}

interface RecurrentPass {
  steps: number
  inputs: number
  units: number
}

/** Every recurrent layer with the steps it runs over and its input width (per direction). */
function recurrentPasses(config: ForecastConfig): RecurrentPass[] {
  const { inputSteps, outputSteps } = layoutShape(config)
  const dirs = config.model.bidirectional ? 2 : 1
  const stack = (steps: number, inputs: number): RecurrentPass[] => {
    let width = inputs
    return config.model.layers.flatMap((l) => {
      const pass = Array.from({ length: dirs }, () => ({ steps, inputs: width, units: l.units }))
      width = l.units * dirs
      return pass
    })
  }
  const f = config.features.length
  const last = (config.model.layers.at(-1)?.units ?? 0) * dirs
  switch (config.layout) {
    case 'many-to-one':
    case 'many-to-many':
      return stack(inputSteps, f)
    case 'one-to-many':
      return stack(outputSteps, f)
    case 'encoder-decoder':
      return [...stack(inputSteps, f), ...stack(outputSteps, last)]
  }
}

/**
 * Floats per sample and step of one layer: forward (inputs, gate pre-activations, outputs, LSTM cell
 * states, GRU reset products) and backward (gradients of each, transposes).
 */
function floatsPerStep(cell: ForecastConfig['model']['cell'], p: RecurrentPass): { forward: number; backward: number } {
  const gates = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1
  const states = cell === 'lstm' ? 3 : cell === 'gru' ? 2 : 1
  const forward = p.inputs + gates * p.units + states * p.units
  const backward = 3 * p.inputs + 2 * gates * p.units + 5 * p.units
  return { forward, backward }
}

export function forecastMemory(config: ForecastConfig, rows: number, parameters: number): MemoryEstimate {
  const f = config.features.length
  const columns = new Set([...config.features, config.target]).size
  const { inputSteps, outputSteps } = layoutShape(config)
  const horizon = config.layout === 'many-to-many' ? 1 : config.horizon
  const batch = config.training.batchSize
  const testRows = rows - Math.floor(rows * config.split.train) - Math.floor(rows * config.split.val)

  // Raw float64 columns (plus one log-return column while scaling) and the float32 series + target.
  const series = (columns + (config.transform === 'logReturns' ? 1 : 0)) * rows * F64 + (f + 1) * rows * F32
  // Starts and target starts of every window, the shuffled training order, the in-order index of a
  // split, and one buffer of the larger of a training and an evaluation batch (twice: its tensors).
  const capacity = Math.max(batch, EVAL_BATCH)
  const batches = rows * (3 * 4) + 2 * capacity * (inputSteps * f + outputSteps) * F32
  // Weights, gradients, optimizer slots, the best weights and the final ones while checkpointing.
  const model = parameters * F32 * (4 + optimizerSlots(config.training))
  // The kernels' memory grows to the largest call and stays; the forward outputs kept for backward
  // are copied out besides.
  let training = 0
  let evaluation = 0
  for (const pass of recurrentPasses(config)) {
    const { forward, backward } = floatsPerStep(config.model.cell, pass)
    training += batch * pass.steps * (forward + Math.max(forward, backward))
    evaluation += EVAL_BATCH * pass.steps * forward
  }
  const activations = Math.max(training, evaluation) * F32
  // Scaled forecasts, then per test step: actual / predicted / last / four baselines, the per-horizon
  // indices and the predictions sent back, in JS arrays (with their growth slack).
  const scored = testRows * horizon
  const evaluationBytes = testRows * outputSteps * F32 + scored * 24 * F64
  const parts = { runtime: RUNTIME_BYTES, series, batches, model, activations, evaluation: evaluationBytes }
  return { bytes: Object.values(parts).reduce((a, b) => a + b, 0), parts }
}

/** "3.2 GB", "640 MB": binary units, two significant figures at most. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB']
  let v = bytes
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${v >= 10 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`
}

/** Refuses a run that needs more than the memory left: "needs ~3.2 GB, 1.1 GB free". */
export function refuseIfTooLarge(estimate: MemoryEstimate, freeBytes: number): void {
  if (estimate.bytes <= freeBytes) return
  const message = `needs ~${formatBytes(estimate.bytes)} of memory, ${formatBytes(freeBytes)} free`
  throw new ApiError(
    'VALIDATION',
    `config: this run ${message}: use a shorter window, fewer units or a smaller batch, or free memory (close other runs or programs)`,
    { issues: [{ path: 'config', message }], neededBytes: estimate.bytes, freeBytes }
  )
}
