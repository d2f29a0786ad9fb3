/**
 * Keeps this core's runs marked as alive (a heartbeat every few seconds) and turns the runs of owners
 * that ended (killed, crashed, closed) into `interrupted`, at start and periodically. Runs of other
 * live processes on the same data folder are never touched.
 */
import { restoreAfterKill } from '../engine/atomic-dir'
import type { RunsRepo } from '../store/runs-repo'
import { ownerIsGone, registerOwner, releaseOwner, type RunOwner } from './process-identity'

/** A run of another host whose heartbeat is older than this is orphaned. */
export const DEFAULT_STALE_MS = 10 * 60_000

export interface OwnershipOptions {
  /** Milliseconds between heartbeats and orphan checks (default 5 s). */
  heartbeatMs?: number
  /** A run of another host whose heartbeat is older than this is orphaned (default 10 minutes). */
  staleMs?: number
}

export class RunOwnership {
  readonly owner: RunOwner = registerOwner()
  private timer: NodeJS.Timeout | null = null
  private readonly heartbeatMs: number
  private readonly staleMs: number

  constructor(
    private readonly repo: RunsRepo,
    options: OwnershipOptions = {}
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 5000
    this.staleMs = options.staleMs ?? DEFAULT_STALE_MS
  }

  /**
   * Marks the runs of ended owners interrupted, with their saved folders (checkpoint, best, final) as
   * their last completed write left them; returns their ids.
   */
  reclaimOrphans(): string[] {
    const now = Date.now()
    const gone = this.repo
      .unfinished()
      .filter((r) => ownerIsGone(r, this.owner, now, this.staleMs))
      .map((r) => r.id)
    if (gone.length === 0) return gone
    this.repo.markInterrupted(gone)
    for (const id of gone) for (const a of this.repo.artifacts(id)) restoreAfterKill(a.path)
    return gone
  }

  /** Heartbeats and orphan checks until `stop`; `onTick` hears of runs found orphaned in this tick. */
  start(onTick: (reclaimed: string[]) => void, onError: (err: unknown) => void): void {
    this.timer = setInterval(() => {
      try {
        this.repo.heartbeat(this.owner, Date.now())
        onTick(this.reclaimOrphans())
      } catch (err) {
        onError(err)
      }
    }, this.heartbeatMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    releaseOwner(this.owner)
  }
}
