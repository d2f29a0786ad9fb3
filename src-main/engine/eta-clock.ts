/**
 * The training ETA and the progress throttle: the rate counts from after the first batches this process
 * trains (warm-up is several times slower; a resumed run starts mid-way), reports at most every
 * `intervalMs` and at the end of every epoch.
 */

/** Batches left out of the ETA's rate (warm-up). */
export const ETA_WARMUP_BATCHES = 2

export class EtaClock {
  private warmAt: number
  private lastReport = 0

  constructor(
    started: number,
    /** Batches already done when this process started (a resumed run). */
    private readonly resumedAt: number,
    private readonly totalBatches: number,
    private readonly intervalMs: number
  ) {
    this.warmAt = started
  }

  /**
   * After a batch (`batchesDone` in all): the ETA in ms when a progress report is due (null while the
   * rate is still unknown), undefined when it is not due yet.
   */
  batchDone(batchesDone: number, lastOfEpoch: boolean): number | null | undefined {
    const now = Date.now()
    const trained = batchesDone - this.resumedAt
    if (trained === ETA_WARMUP_BATCHES) this.warmAt = now
    if (now - this.lastReport < this.intervalMs && !lastOfEpoch) return undefined
    this.lastReport = now
    const perBatch = trained > ETA_WARMUP_BATCHES ? (now - this.warmAt) / (trained - ETA_WARMUP_BATCHES) : null
    return perBatch === null ? null : perBatch * (this.totalBatches - batchesDone)
  }
}
