/**
 * Where runs train: the machine (host, worker id) of each run, the queue of remote runs, and the
 * attempt their stored epochs belong to. A newer attempt replaces the epochs of the one it follows,
 * in one transaction, so a run's epochs stay contiguous and nothing is recorded twice.
 */
import type Database from 'better-sqlite3'

export interface Placement {
  attempt: number
  host: string
  workerId: string
  note: string | null
}

export class PlacementRepo {
  constructor(private readonly db: Database.Database) {}

  /** Marks a run as sent to a queue (before its job is added, so a restart finds it). */
  markRemote(id: string, queue: string): void {
    this.db.prepare('UPDATE runs SET remote_queue = ? WHERE id = ?').run(queue, id)
  }

  setLocal(id: string, host: string): void {
    this.db.prepare(`UPDATE runs SET worker_host = ?, worker_id = 'local' WHERE id = ?`).run(host, id)
  }

  attempt(id: string): number {
    const row = this.db.prepare('SELECT attempt FROM runs WHERE id = ?').get(id) as { attempt: number } | undefined
    return row?.attempt ?? 1
  }

  /**
   * Records the worker of an attempt. Returns false (and changes nothing) for an attempt older than
   * the stored one. A newer attempt starts from scratch: the epochs of the lost one are removed.
   */
  place(id: string, p: Placement): boolean {
    return this.db.transaction(() => {
      const current = this.attempt(id)
      if (p.attempt < current) return false
      if (p.attempt > current) {
        this.db.prepare('DELETE FROM run_epochs WHERE run_id = ?').run(id)
        this.db
          .prepare(
            `UPDATE runs SET epochs_done = 0, last_loss = NULL, last_val_loss = NULL, best_val_loss = NULL, best_epoch = NULL
             WHERE id = ?`
          )
          .run(id)
      }
      this.db
        .prepare('UPDATE runs SET attempt = ?, worker_host = ?, worker_id = ?, attempt_note = COALESCE(?, attempt_note) WHERE id = ?')
        .run(p.attempt, p.host, p.workerId, p.note, id)
      return true
    })()
  }

  /** Remote runs not finished yet: a core that opens the queue follows them again. */
  unfinishedRemote(): string[] {
    return (
      this.db
        .prepare(`SELECT id FROM runs WHERE remote_queue IS NOT NULL AND status IN ('queued', 'running') ORDER BY created_at`)
        .all() as {
        id: string
      }[]
    ).map((r) => r.id)
  }
}
