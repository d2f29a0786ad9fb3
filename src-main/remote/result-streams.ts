/**
 * The owner's side of the result streams: one blocking reader follows every remote run's Redis stream
 * and turns each entry (validated, from the current attempt only) into the messages a local run
 * produces, writing arriving models under the run's own folder. Entries stay in Redis until the owner
 * has recorded the run's end, so an owner that stops and comes back reads them again (writes are
 * idempotent) and picks up what arrived meanwhile.
 */
import type { Redis } from 'ioredis'
import { RemoteEntry } from '../../src-shared/remote'
import type { FollowedRun, RemoteEnd, RemoteMessage } from '../services/remote-port'
import { unpackModelDir } from './artifact-transfer'
import { keys } from './keys'

interface Follow extends FollowedRun {
  cursor: string
  listener: (m: RemoteMessage) => void
  resolve: (end: RemoteEnd) => void
}

export class ResultStreams {
  private readonly follows = new Map<string, Follow>()
  private closed = false
  private loop: Promise<void> | null = null

  constructor(
    private readonly reader: Redis,
    private readonly onError: (err: unknown) => void
  ) {}

  follow(run: FollowedRun, listener: (m: RemoteMessage) => void): Promise<RemoteEnd> {
    this.follows.get(run.runId)?.resolve({ type: 'detached', jobId: run.runId })
    return new Promise<RemoteEnd>((resolve) => {
      this.follows.set(run.runId, { ...run, cursor: '0', listener, resolve })
      this.loop ??= this.readLoop()
    })
  }

  followed(): FollowedRun[] {
    return [...this.follows.values()]
  }

  /** Ends a followed run from outside the stream (its job failed for good, or was removed). */
  end(runId: string, end: RemoteEnd): void {
    const f = this.follows.get(runId)
    if (!f) return
    this.follows.delete(runId)
    f.resolve(end)
  }

  async close(): Promise<void> {
    this.closed = true
    for (const id of [...this.follows.keys()]) this.end(id, { type: 'detached', jobId: id })
    await this.loop
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      const follows = [...this.follows.values()]
      if (follows.length === 0) {
        await new Promise((r) => setTimeout(r, 100))
        continue
      }
      try {
        const reply = (await this.reader.xread(
          'COUNT',
          200,
          'BLOCK',
          300,
          'STREAMS',
          ...follows.map((f) => keys.runStream(f.runId)),
          ...follows.map((f) => f.cursor)
        )) as [string, [string, string[]][]][] | null
        for (const [key, entries] of reply ?? []) {
          const follow = follows.find((f) => keys.runStream(f.runId) === key)
          for (const [id, fields] of entries) if (follow && this.follows.get(follow.runId) === follow) this.apply(follow, id, fields)
        }
      } catch (err) {
        if (this.closed) break
        this.onError(err)
        await new Promise((r) => setTimeout(r, 500))
      }
    }
  }

  private apply(f: Follow, id: string, fields: string[]): void {
    f.cursor = id
    let parsed
    try {
      parsed = RemoteEntry.safeParse(JSON.parse(fields[1] ?? 'null'))
    } catch {
      parsed = null
    }
    if (!parsed?.success) {
      console.error(`rnn-lab: ignored an invalid entry ${id} in the results of run ${f.runId}`)
      return
    }
    const e = parsed.data
    // A worker that lost its job (stalled, handed over) may still write: only the newest attempt counts.
    if (e.attempt < f.attempt) return
    if (e.type === 'attempt') f.attempt = e.attempt
    this.dispatch(f, e)
  }

  private dispatch(f: Follow, e: RemoteEntry): void {
    const jobId = f.runId
    switch (e.type) {
      case 'attempt':
        return f.listener({ type: 'attempt', attempt: e.attempt, host: e.host, workerId: e.workerId, note: e.note })
      case 'started':
        return f.listener({ type: 'started', jobId, report: e.report, attempt: e.attempt })
      case 'progress':
        return f.listener({ type: 'progress', jobId, progress: e.progress, attempt: e.attempt })
      case 'epoch':
        return f.listener({ type: 'epoch', jobId, record: e.record, numTensors: 0, attempt: e.attempt })
      case 'model':
        return f.listener({ type: 'model', jobId, parameterCount: e.parameterCount, attempt: e.attempt })
      case 'artifact': {
        const { path, bytes } = unpackModelDir(f.artifactsDir, e.kind, e.files)
        return f.listener({ type: 'artifact', jobId, artifact: { kind: e.kind, path, bytes, epoch: e.epoch }, attempt: e.attempt })
      }
      case 'completed': {
        const end = { type: 'completed' as const, jobId, result: e.result, numTensors: 0 }
        f.listener({ ...end, attempt: e.attempt })
        return this.end(f.runId, end)
      }
      case 'cancelled':
        f.listener({ type: 'cancelled', jobId, attempt: e.attempt })
        return this.end(f.runId, { type: 'cancelled', jobId })
      case 'failed':
        // One attempt failed; BullMQ retries while attempts remain, and the job's state says when none do.
        return
    }
  }
}
