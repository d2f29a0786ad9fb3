/**
 * The live list of runs: loaded with `runs.list`, then kept current from the `run.*` events, and
 * reloaded after the event stream reconnects (events may have been missed meanwhile).
 */
import type { EventPayload } from '../../src-shared/contract'
import type { RunSummary } from '../../src-shared/domain'
import { client, onReconnect } from '../api/client'
import { showError, type ShownError } from './errors'

export type RunProgress = EventPayload<'runs.progress'>

function byNewest(a: RunSummary, b: RunSummary): number {
  return b.createdAt.localeCompare(a.createdAt)
}

class RunsStore {
  runs = $state.raw<RunSummary[]>([])
  progress = $state.raw<Record<string, RunProgress>>({})
  loaded = $state(false)
  loading = $state(false)
  error = $state<ShownError | null>(null)
  private listening = false
  private inflight: Promise<void> | null = null

  /** Starts listening to events (once) and loads the list; concurrent calls share one request. */
  refresh(): Promise<void> {
    this.listen()
    this.inflight ??= this.load().finally(() => (this.inflight = null))
    return this.inflight
  }

  private async load(): Promise<void> {
    this.loading = true
    try {
      const runs = await client.invoke('runs.list', {})
      this.runs = [...runs].sort(byNewest)
      this.error = null
      this.loaded = true
    } catch (err) {
      this.error = showError(err)
    } finally {
      this.loading = false
    }
  }

  get(id: string): RunSummary | undefined {
    return this.runs.find((r) => r.id === id)
  }

  upsert(run: RunSummary): void {
    const i = this.runs.findIndex((r) => r.id === run.id)
    if (i === -1) this.runs = [run, ...this.runs].sort(byNewest)
    else this.runs = this.runs.map((r) => (r.id === run.id ? run : r))
    if (run.status !== 'running' && run.status !== 'queued') this.dropProgress(run.id)
  }

  remove(id: string): void {
    this.runs = this.runs.filter((r) => r.id !== id)
    this.dropProgress(id)
  }

  private patch(id: string, f: (r: RunSummary) => RunSummary): void {
    if (!this.runs.some((r) => r.id === id)) return
    this.runs = this.runs.map((r) => (r.id === id ? f(r) : r))
  }

  private dropProgress(id: string): void {
    if (!(id in this.progress)) return
    const next = { ...this.progress }
    delete next[id]
    this.progress = next
  }

  private listen(): void {
    if (this.listening) return
    this.listening = true
    client.on('runs.status', ({ run }) => this.upsert(run))
    client.on('runs.epoch', ({ runId, record }) =>
      this.patch(runId, (r) => ({
        ...r,
        epochsDone: Math.max(r.epochsDone, record.epoch),
        lastLoss: record.loss,
        lastValLoss: record.valLoss
      }))
    )
    client.on('runs.progress', (p) => {
      this.progress = { ...this.progress, [p.runId]: p }
    })
    client.on('runs.finished', ({ runId, status, metrics, error }) => {
      this.patch(runId, (r) => ({ ...r, status, metrics: metrics ?? r.metrics, error }))
      this.dropProgress(runId)
      // The finished summary (finishedAt, epochsDone) comes with the next list load.
      if (!this.get(runId)) void this.refresh()
    })
    onReconnect(() => void this.refresh())
  }
}

export const runsStore = new RunsStore()
