/** The options of `rnn-lab worker` (also parsed by the tests' worker process). */
import { parseArgs } from 'node:util'
import type { BackendName } from '../../src-shared/domain'
import type { RemoteWorkerOptions } from '../remote/remote-worker'
import { intOption, UsageError } from './args'

export const WORKER_USAGE =
  'usage: rnn-lab worker --queue redis://[user:password@]host:port[/db] [--workers N] [--gpu] [--backend wasm|cpu|tensorflow] [--cache-dir D] [--name ID] [--lock-ms MS]'

/** Parses the options shared by the command and the tests' worker process. */
export function workerOptions(argv: string[]): Omit<RemoteWorkerOptions, 'script'> {
  const { values } = parseArgs({
    args: argv,
    options: {
      queue: { type: 'string' },
      workers: { type: 'string' },
      gpu: { type: 'boolean', default: false },
      backend: { type: 'string' },
      'cache-dir': { type: 'string' },
      name: { type: 'string' },
      'lock-ms': { type: 'string' }
    },
    strict: true
  })
  if (!values.queue) throw new UsageError(WORKER_USAGE)
  if (values.name !== undefined && !/^[A-Za-z0-9._-]{1,100}$/.test(values.name)) throw new UsageError('--name: letters, digits, . _ - only')
  return {
    url: values.queue,
    threads: intOption(values.workers, 'workers', 1, 64) ?? 1,
    gpu: values.gpu,
    backends: values.backend ? [values.backend as BackendName] : undefined,
    cacheDir: values['cache-dir'],
    name: values.name,
    lockMs: intOption(values['lock-ms'], 'lock-ms', 500, 600_000)
  }
}
