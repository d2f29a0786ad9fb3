/**
 * `rnn-lab worker --queue redis://[user:password@]host:port[/db] [--workers N] [--gpu]`: this machine
 * trains runs that other RNN Lab installations send to the queue, until SIGINT or SIGTERM.
 */
import { RemoteWorker } from '../remote/remote-worker'
import { TRAIN_WORKER_SCRIPT } from '../workers/worker-script'
import { workerOptions } from './worker-options'

/** Runs until a signal; resolves once the worker is connected and taking jobs. */
export async function workerCommand(argv: string[], script: string | URL = TRAIN_WORKER_SCRIPT, execArgv?: string[]): Promise<void> {
  const worker = new RemoteWorker({ ...workerOptions(argv), script, execArgv })
  await worker.start()
  let closing = false
  const stop = async (signal: string) => {
    if (closing) return
    closing = true
    console.log(`${signal}: worker stopping (a run still training moves to another worker)`)
    await worker.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}
