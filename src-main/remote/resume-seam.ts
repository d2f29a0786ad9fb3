/**
 * Where a hand-over would resume. Today a new attempt restarts the run from scratch (the owner then
 * replaces the lost attempt's epochs); once runs save checkpoints with their optimizer state, the
 * owner passes the last one it received and this function seeds the new attempt from it.
 */
import type { JobPayload } from '../workers/protocol'

export interface AttemptSeed {
  payload: JobPayload
  /** Recorded on the run: how this attempt began. */
  note: string | null
}

export function seedAttempt(
  payload: JobPayload,
  attempt: number,
  previous: { workerId: string | null; checkpoint: Buffer | null },
  workerId: string
): AttemptSeed {
  if (attempt <= 1) return { payload, note: null }
  // previous.checkpoint is ignored until checkpoints exist: the attempt restarts from epoch 1.
  const lost = previous.workerId ? ` after worker ${previous.workerId} was lost` : ' after an earlier attempt ended'
  return { payload, note: `attempt ${attempt}: restarted from scratch on worker ${workerId}${lost}` }
}
