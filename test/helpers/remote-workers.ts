/** Real `rnn-lab worker` processes (tsx) and an owner core with a queue, for the remote tests. */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { AppCore } from '../../src-main/services/app-core'
import { RemoteRunner } from '../../src-main/remote/remote-runner'
const WORKER_BOOTSTRAP = new URL('./train-worker-bootstrap.mjs', import.meta.url)

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ENTRY = fileURLToPath(new URL('./remote-worker-process.ts', import.meta.url))

export interface WorkerProcess {
  child: ChildProcess
  output(): string
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** Starts a worker process and resolves once it is connected and taking jobs (bounded wait). */
export async function startWorker(url: string, args: string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--queue', url, '--backend', 'wasm', ...args], {
    cwd: ROOT,
    env: { ...process.env, RNN_LAB_KERNEL_THREADS: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout!.on('data', (d) => (log += d))
  child.stderr!.on('data', (d) => (log += d))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL') // nothing outlives a failed start
      reject(new Error(`worker did not start in 150 s:\n${log}`))
    }, 150_000)
    child.stdout!.on('data', () => {
      if (log.includes('READY')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`worker exited with ${code}:\n${log}`))
    })
  })
  return {
    child,
    output: () => log,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill(signal)
      })
  }
}

/** An owner: a real core on SQLite in `dataDir` whose runs may go to the queue at `url`. */
export function ownerCore(dataDir: string, url: string | undefined, options: { sendRuns?: boolean } = {}): AppCore {
  const core = new AppCore({
    dataDir,
    workerScript: WORKER_BOOTSTRAP,
    workerExecArgv: [],
    workers: 1,
    backends: ['wasm'],
    queueUrl: url,
    connectQueue: (u) => new RemoteRunner(u, { watchMs: 300 })
  })
  if (options.sendRuns) core.remote.configure({ sendRuns: true })
  return core
}

export { join }
