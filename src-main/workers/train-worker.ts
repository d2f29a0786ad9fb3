/**
 * Entry of a training worker thread. It selects its tfjs backend once, reports it, then runs jobs one
 * at a time (training, sampling, forecasting ahead), posting progress and epochs to the pool.
 */
import { join } from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import type { BackendReport } from '../../src-shared/domain'
import { selectBackend } from '../engine/backends'
import { kernelsDescription, setKernelThreads } from '../engine/fused'
import { applyCheckpoint, disposeCheckpoint, loadCheckpoint, saveCheckpoint } from '../engine/checkpoint'
import { CancelledError, type TrainHooks } from '../engine/fit-loop'
import { forecastAhead } from '../engine/forecast-ahead'
import { loadModelFromDir } from '../engine/load-model'
import { outOfMemoryMessage } from '../engine/out-of-memory'
import { sampleSavedModel } from '../engine/sample-saved-model'
import { saveModelToDir } from '../engine/save-model'
import { probeForecast, trainForecast } from '../engine/train-forecast'
import { probeText, trainText } from '../engine/train-text'
import { writeVocabulary } from '../engine/vocabulary-file'
import { isStorageError, storageError } from '../store/storage-errors'
import type { CheckpointPlan, FromWorker, Job, JobResult, WorkerInit } from './protocol'

const port = parentPort
if (!port) throw new Error('train-worker must run in a worker thread')
const init = workerData as WorkerInit
const post = (m: FromWorker) => port.postMessage(m)

// Two kernel threads for this run while at most half the cores are training (RNN_LAB_KERNEL_THREADS
// fixes the count instead).
const busyWorkers = new Int32Array(init.busyWorkers)
if (!process.env.RNN_LAB_KERNEL_THREADS) setKernelThreads(() => (2 * Atomics.load(busyWorkers, 0) <= init.cores ? 2 : 1))

const collectGarbage: (() => void) | null = init.gcEachEpoch ? exposeGc() : null

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc')
  return vm.runInNewContext('gc') as () => void
}

const ready: Promise<BackendReport> = selectBackend(tf, { allowNative: init.allowNative, only: init.backends }).then((report) => {
  const native = report.selected === 'tensorflow' || report.selected === 'tensorflow-gpu'
  const kernels = native ? 'tfjs ops (native backend; batched input projections)' : kernelsDescription()
  return { ...report, kernels }
})
ready.then(
  (report) => post({ type: 'ready', report }),
  (err: Error) => post({ type: 'init-failed', error: err.message })
)

let chain = Promise.resolve()
port.on('message', (job: Job) => {
  chain = chain.then(() => handle(job))
})

function hooksFor(job: Job & { artifactsDir: string | null; checkpoint?: CheckpointPlan }): TrainHooks {
  const flag = new Int32Array(job.cancelFlag)
  return {
    ...checkpointHooks(job),
    isCancelled: () => Atomics.load(flag, 0) === 1,
    onProgress: (progress) => post({ type: 'progress', jobId: job.jobId, progress }),
    onModelBuilt: (parameterCount) => post({ type: 'model', jobId: job.jobId, parameterCount }),
    onEpoch: (record) => {
      // Diagnostics (the soak test): a full GC per epoch, so RSS shows trends, not the GC sawtooth.
      collectGarbage?.()
      post({ type: 'epoch', jobId: job.jobId, record, numTensors: tf.memory().numTensors })
    },
    onCheckpoint: async (kind, model, epoch) => {
      if (!job.artifactsDir) return
      const path = join(job.artifactsDir, kind)
      const bytes = await saveModelToDir(tf, model, path)
      post({ type: 'artifact', jobId: job.jobId, artifact: { kind, path, bytes, epoch } })
    }
  }
}

/** Best model on each improvement, resumable checkpoints at most every `everyMs`, and resuming from one. */
function checkpointHooks(job: Job & { artifactsDir: string | null; checkpoint?: CheckpointPlan }): TrainHooks {
  const { artifactsDir: dir, checkpoint: plan } = job
  if (!dir || !plan) return {}
  const artifact = (kind: 'best' | 'checkpoint', bytes: number, epoch: number) =>
    post({ type: 'artifact', jobId: job.jobId, artifact: { kind, path: join(dir, kind), bytes, epoch } })
  let lastSaved = Date.now()
  return {
    onBest: async (model, epoch) => artifact('best', await saveModelToDir(tf, model, join(dir, 'best')), epoch),
    onEpochEnd: async (snapshot) => {
      if (Date.now() - lastSaved < plan.everyMs) return
      artifact('checkpoint', await saveCheckpoint(join(dir, 'checkpoint'), snapshot), snapshot.state.epoch)
      lastSaved = Date.now()
    },
    resume: plan.resumeFrom
      ? async (model, optimizer) => {
          const checkpoint = loadCheckpoint(tf, plan.resumeFrom!)
          await applyCheckpoint(checkpoint, model, optimizer)
          disposeCheckpoint(tf, checkpoint)
          return { state: checkpoint.state, bestWeights: checkpoint.bestWeights }
        }
      : undefined
  }
}

async function run(job: Job): Promise<JobResult> {
  switch (job.type) {
    case 'train-forecast': {
      const r = await trainForecast(tf, job.config, job.columns, hooksFor(job))
      return { kind: 'forecast', metrics: r.metrics, predictions: r.predictions }
    }
    case 'train-text': {
      if (job.artifactsDir) writeVocabulary(job.artifactsDir, job.text)
      const r = await trainText(tf, job.config, job.text, hooksFor(job))
      return { kind: 'text', metrics: r.metrics, sample: r.sample }
    }
    case 'sample':
      return { kind: 'sample', text: await sampleSavedModel(tf, job) }
    case 'probe-forecast':
      return { kind: 'probe', ...(await probeForecast(tf, job.config, job.columns)), backend: tf.getBackend() }
    case 'probe-text':
      return { kind: 'probe', ...(await probeText(tf, job.config, job.text)), backend: tf.getBackend() }
    case 'predict': {
      const model = await loadModelFromDir(tf, job.modelDir)
      try {
        return { kind: 'predict', values: forecastAhead(tf, model, job.config, job.columns, job.steps) }
      } finally {
        model.dispose()
      }
    }
  }
}

async function handle(job: Job): Promise<void> {
  try {
    const report = await ready
    post({ type: 'started', jobId: job.jobId, report })
    const result = await run(job)
    post({ type: 'completed', jobId: job.jobId, result, numTensors: tf.memory().numTensors })
  } catch (err) {
    if (err instanceof CancelledError) post({ type: 'cancelled', jobId: job.jobId })
    else {
      post({ type: 'failed', jobId: job.jobId, error: failureMessage(err) })
      // A failure can leave the backend unusable (a wasm heap that ran out of memory): this worker
      // ends and the pool starts a fresh one.
      setTimeout(() => process.exit(1), 10)
    }
  }
}

function failureMessage(err: unknown): string {
  // A full or read-only disk while saving a model: the one STORAGE message (the temp folder is gone).
  if (isStorageError(err)) return storageError(err, 'saving the model').message
  return outOfMemoryMessage(err) ?? (err instanceof Error ? err.message : String(err))
}
