/** Waiting for a run to finish through the contract alone (the CLI, scripts, tests): no core internals. */
import type { Client } from './client'
import { FINISHED_STATUSES } from './domain'

/** Resolves once run `id` has finished (completed, failed, cancelled or interrupted) and is stored. */
export function waitForRun(client: Client, id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const off = client.on('runs.finished', (e) => {
      if (e.runId === id) settle()
    })
    function settle(err?: unknown): void {
      off()
      if (err === undefined) resolve()
      else reject(err)
    }
    // The run may have finished before the listener was attached.
    client.invoke('runs.get', { id }).then(
      (run) => FINISHED_STATUSES.includes(run.status) && settle(),
      (err: unknown) => settle(err)
    )
  })
}
