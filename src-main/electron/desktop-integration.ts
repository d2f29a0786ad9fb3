/**
 * The desktop's own signals for training: the taskbar/dock progress bar follows the running runs, and
 * a system notification says when a long run has finished while the window is not in front.
 */
import { Notification, type BrowserWindow } from 'electron'
import type { Client } from '../../src-shared/client'
import type { RunDetail } from '../../src-shared/domain'

const NOTIFY_AFTER_MS = 20_000

/** Follows the runs through the contract's events; returns the function that stops following. */
export function integrateTraining(client: Client, window: () => BrowserWindow | null): () => void {
  const progress = new Map<string, number>()
  const update = () => {
    const w = window()
    if (!w || w.isDestroyed()) return
    if (progress.size === 0) w.setProgressBar(-1)
    else w.setProgressBar([...progress.values()].reduce((a, b) => a + b, 0) / progress.size)
  }
  const offProgress = client.on('runs.progress', (p) => {
    progress.set(p.runId, Math.min(1, (p.epoch - 1 + p.batch / Math.max(1, p.batches)) / Math.max(1, p.epochs)))
    update()
  })
  const offFinished = client.on('runs.finished', ({ runId }) => {
    progress.delete(runId)
    update()
    void client.invoke('runs.get', { id: runId }).then(
      (run) => notifyFinished(run, window()),
      () => {}
    )
  })
  return () => {
    offProgress()
    offFinished()
  }
}

/** A system notification for a long run that finished while the window was not in front. */
function notifyFinished(run: RunDetail, w: BrowserWindow | null): void {
  const took = run.startedAt && run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : 0
  if (took < NOTIFY_AFTER_MS || (w && w.isFocused()) || !Notification.isSupported()) return
  const figure = run.metrics
    ? `test RMSE ${run.metrics.test.rmse.toPrecision(4)} (persistence ${run.metrics.baselines.persistence.rmse.toPrecision(4)})`
    : run.textMetrics
      ? `${run.textMetrics.bitsPerToken.toFixed(3)} bits per token`
      : (run.error ?? '')
  new Notification({ title: `Run ${run.status}: ${run.name}`, body: figure }).show()
}
