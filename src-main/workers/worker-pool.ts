/**
 * A fixed-size pool of training workers (node:worker_threads). Jobs queue FIFO and go to the first idle
 * worker. Only worker 0 may load native TensorFlow (tfjs issue 8388); the others use wasm or cpu. A
 * worker that dies fails its job and is replaced. Cancellation uses a shared flag that the worker
 * checks before every batch, so it takes effect within one batch even while the worker is busy.
 */
import { Worker } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import type { BackendName, BackendReport } from '../../src-shared/domain'
import type { FromWorker, Job, JobPayload, WorkerInit } from './protocol'

export interface PoolOptions {
  /** Number of workers; default cores − 1, at least 1. */
  size?: number
  /** The built train-worker script (electron-vite `?modulePath`) or a test bootstrap. */
  script: string | URL
  execArgv?: string[]
  backends?: BackendName[]
  /** Diagnostics: a full GC in the worker after every epoch (soak test). */
  gcEachEpoch?: boolean
}

export type JobEnd =
  Extract<FromWorker, { type: 'completed' }> | Extract<FromWorker, { type: 'cancelled' }> | Extract<FromWorker, { type: 'failed' }>

export type JobListener = (msg: Exclude<FromWorker, { type: 'ready' | 'init-failed' }>) => void

interface Pending {
  job: Job
  /** Buffers moved to the worker with the job (not copied); the caller gives them up. */
  transfer: ArrayBuffer[]
  listener: JobListener
  resolve: (end: JobEnd) => void
}

interface Slot {
  index: number
  worker: Worker
  ready: Promise<BackendReport>
  current: Pending | null
  /** The worker ends itself after a failed job; no new job goes to it. */
  retiring: boolean
}

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1)
}

export class WorkerPool {
  readonly size: number
  private readonly slots: Slot[] = []
  private readonly queue: Pending[] = []
  private closed = false
  /** Busy workers, shared with every worker: a run uses both kernel threads when a core is free. */
  private readonly busy = new Int32Array(new SharedArrayBuffer(4))

  constructor(private readonly options: PoolOptions) {
    this.size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()))
  }

  /** Workers start on first use, so commands that train nothing start none. */
  private ensureStarted(): void {
    if (this.slots.length > 0 || this.closed) return
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn(i, i === 0))
  }

  private spawn(index: number, allowNative: boolean): Slot {
    const init: WorkerInit = {
      workerIndex: index,
      allowNative,
      backends: this.options.backends,
      gcEachEpoch: this.options.gcEachEpoch,
      busyWorkers: this.busy.buffer as SharedArrayBuffer,
      cores: availableParallelism()
    }
    const worker = new Worker(this.options.script, { workerData: init, execArgv: this.options.execArgv })
    let settleReady!: { resolve: (r: BackendReport) => void; reject: (e: Error) => void }
    const ready = new Promise<BackendReport>((resolve, reject) => (settleReady = { resolve, reject }))
    ready.catch(() => {})
    const slot: Slot = { index, worker, ready, current: null, retiring: false }
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') return settleReady.resolve(msg.report)
      if (msg.type === 'init-failed') return settleReady.reject(new Error(msg.error))
      const pending = slot.current
      if (!pending || pending.job.jobId !== msg.jobId) return
      pending.listener(msg)
      if (msg.type === 'completed' || msg.type === 'cancelled' || msg.type === 'failed') {
        if (msg.type === 'failed') slot.retiring = true
        slot.current = null
        Atomics.sub(this.busy, 0, 1)
        pending.resolve(msg)
        this.pump()
      }
    })
    const die = (reason: string) => {
      settleReady.reject(new Error(reason))
      const pending = slot.current
      slot.current = null
      if (pending) Atomics.sub(this.busy, 0, 1)
      if (this.closed || this.slots[index] !== slot) return
      // Replace the worker; a replacement never loads native TensorFlow again (tfjs issue 8388).
      this.slots[index] = this.spawn(index, false)
      if (pending) {
        const failed: JobEnd = { type: 'failed', jobId: pending.job.jobId, error: `The training worker stopped: ${reason}` }
        pending.listener(failed)
        pending.resolve(failed)
      }
      this.pump()
    }
    worker.on('error', (err) => die(err.message))
    worker.on('exit', (code) => die(slot.retiring ? 'recycled after a failed job' : `exited with code ${code}`))
    return slot
  }

  /**
   * Queues a training job; resolves with its end (completed, cancelled or failed), never rejects.
   * `transfer`: buffers of the payload (a series' columns) that move to the worker without a copy;
   * the caller must not use them afterwards.
   */
  run(jobId: string, payload: JobPayload, listener: JobListener = () => {}, transfer: ArrayBuffer[] = []): Promise<JobEnd> {
    if (this.closed) return Promise.resolve({ type: 'failed', jobId, error: 'The worker pool is closed' })
    const job = { ...payload, jobId, cancelFlag: new SharedArrayBuffer(4) } as Job
    this.ensureStarted()
    return new Promise<JobEnd>((resolve) => {
      this.queue.push({ job, transfer, listener, resolve })
      this.pump()
    })
  }

  /** Cancels a queued job at once, or a running one before its next batch. */
  cancel(jobId: string): boolean {
    const q = this.queue.findIndex((p) => p.job.jobId === jobId)
    if (q >= 0) {
      const [p] = this.queue.splice(q, 1)
      p.resolve({ type: 'cancelled', jobId })
      return true
    }
    const slot = this.slots.find((s) => s.current?.job.jobId === jobId)
    if (!slot) return false
    Atomics.store(new Int32Array(slot.current!.job.cancelFlag), 0, 1)
    return true
  }

  /** The backend each worker selected (or the reason it could not start). */
  async reports(): Promise<({ worker: number } & BackendReport)[]> {
    this.ensureStarted()
    return Promise.all(this.slots.map(async (s) => ({ worker: s.index, ...(await s.ready) })))
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.current || slot.retiring || this.queue.length === 0) continue
      const pending = this.queue.shift()!
      slot.current = pending
      Atomics.add(this.busy, 0, 1)
      // Buffers the caller gave up move without a copy; everything else is copied.
      slot.worker.postMessage(pending.job, pending.transfer)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const p of this.queue.splice(0)) p.resolve({ type: 'cancelled', jobId: p.job.jobId })
    await Promise.all(this.slots.map((s) => s.worker.terminate()))
  }
}
