/**
 * How long a training batch takes, measured before a run starts (the epoch-time estimate): a few passes
 * of the real training loop over the first batches until their times settle.
 */
import type { Tfjs } from './backends'
import { fit, type FitTask } from './fit-loop'
import { CancelledError } from './train-hooks'

/** The probe's passes: at least 3 (the first ones run while wasm code is still being optimised), at most 10. */
export const PROBE_PASSES = { min: 3, max: 10, budgetMs: 3000 }

/**
 * Whether the probe's pass times (ms per pass, warm-up first) have settled: the last two within 15 %
 * of each other after the minimum passes, or the time budget spent.
 */
export function probeSettled(passMs: readonly number[], spentMs: number): boolean {
  if (passMs.length >= PROBE_PASSES.max || (passMs.length >= PROBE_PASSES.min && spentMs >= PROBE_PASSES.budgetMs)) return true
  if (passMs.length < PROBE_PASSES.min) return false
  const [a, b] = passMs.slice(-2) as [number, number]
  return Math.abs(a - b) <= 0.15 * Math.max(a, b)
}

/**
 * Steady-state ms per batch from the probe's pass times: the faster of the last two passes (never the
 * first when there are more). Warm-up (wasm tier-up, first-use allocations) makes the early passes
 * several times slower than training runs.
 */
export function steadyMsPerBatch(passMs: readonly number[], batchesPerPass: number): number {
  const warm = passMs.length > 1 ? passMs.slice(1) : passMs
  return Math.min(...warm.slice(-2)) / batchesPerPass
}

/**
 * Milliseconds per training batch of a task: passes over `batches` batches until their times settle
 * (warm-up excluded), with a throw-away copy of the training settings (the caller disposes the model).
 */
export async function probe(
  tf: Tfjs,
  task: Pick<FitTask, 'model' | 'optimizer' | 'loss' | 'batch' | 'batchArrays' | 'training' | 'trainCount'>,
  batches: number
): Promise<{ msPerBatch: number; batchesPerEpoch: number; probeBatches: number }> {
  const { batchSize } = task.training
  const probeBatches = Math.max(1, Math.min(batches, Math.ceil(task.trainCount / batchSize)))
  // performance.now(), not the records' elapsedMs: a pass of the native step can take well under a millisecond.
  const started = performance.now()
  const ends: number[] = [started]
  const passMs = () => ends.slice(1).map((e, i) => e - ends[i]!)
  try {
    await fit(
      tf,
      {
        ...task,
        training: { ...task.training, epochs: PROBE_PASSES.max, earlyStopping: null, lrSchedule: null },
        trainCount: Math.min(task.trainCount, probeBatches * batchSize),
        validate: async () => null,
        restoreBest: false
      },
      { onEpoch: () => ends.push(performance.now()), isCancelled: () => probeSettled(passMs(), performance.now() - started) }
    )
  } catch (err) {
    if (!(err instanceof CancelledError)) throw err
  }
  return { msPerBatch: steadyMsPerBatch(passMs(), probeBatches), batchesPerEpoch: Math.ceil(task.trainCount / batchSize), probeBatches }
}
