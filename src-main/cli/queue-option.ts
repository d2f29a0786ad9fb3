/** `--queue URL [--gpu]` on train, sweep and rerun: the runs go to remote workers instead of this machine. */
import type { RunTarget } from '../../src-shared/remote'
import { checkReachable } from '../remote'

export const QUEUE_OPTIONS = { queue: { type: 'string' }, gpu: { type: 'boolean', default: false } } as const

/** Checks the queue answers (one clear error naming the URL, password redacted) and gives the target. */
export async function queueTarget(values: { queue?: string; gpu?: boolean }): Promise<{ queueUrl?: string; target?: RunTarget }> {
  if (!values.queue) return {}
  await checkReachable(values.queue)
  return { queueUrl: values.queue, target: values.gpu ? 'remote-gpu' : 'remote' }
}
