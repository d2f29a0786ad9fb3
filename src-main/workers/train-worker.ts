/**
 * Entry of a training worker thread. It selects its tfjs backend once, reports it, then runs train
 * jobs one at a time, posting progress and epochs to the pool.
 */
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import { join } from 'node:path'
import { selectBackend } from '../engine/backends'
import { saveModelToDir } from '../engine/save-model'
import { CancelledError, trainForecast } from '../engine/train-forecast'
import type { BackendReport } from '../../src-shared/domain'
import type { FromWorker, ToWorker, WorkerInit } from './protocol'

const port = parentPort
if (!port) throw new Error('train-worker must run in a worker thread')
const init = workerData as WorkerInit
const post = (m: FromWorker) => port.postMessage(m)

const ready: Promise<BackendReport> = selectBackend(tf, { allowNative: init.allowNative, only: init.backends })
ready.then(
  (report) => post({ type: 'ready', report }),
  (err: Error) => post({ type: 'init-failed', error: err.message })
)

let chain = Promise.resolve()
port.on('message', (msg: ToWorker) => {
  chain = chain.then(() => handle(msg))
})

async function handle(job: ToWorker): Promise<void> {
  const flag = new Int32Array(job.cancelFlag)
  try {
    const report = await ready
    post({ type: 'started', jobId: job.jobId, report })
    const result = await trainForecast(tf, job.config, job.columns, {
      isCancelled: () => Atomics.load(flag, 0) === 1,
      onProgress: (progress) => post({ type: 'progress', jobId: job.jobId, progress }),
      onEpoch: (record) => post({ type: 'epoch', jobId: job.jobId, record }),
      onCheckpoint: async (kind, model, epoch) => {
        if (!job.artifactsDir) return
        const path = join(job.artifactsDir, kind)
        const bytes = await saveModelToDir(tf, model, path)
        post({ type: 'artifact', jobId: job.jobId, artifact: { kind, path, bytes, epoch } })
      }
    })
    post({
      type: 'completed',
      jobId: job.jobId,
      metrics: result.metrics,
      predictions: result.predictions,
      numTensors: tf.memory().numTensors
    })
  } catch (err) {
    if (err instanceof CancelledError) post({ type: 'cancelled', jobId: job.jobId })
    else post({ type: 'failed', jobId: job.jobId, error: err instanceof Error ? err.message : String(err) })
  }
}
