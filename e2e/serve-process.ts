/** Starts and stops a real `rnn-lab serve` (the built CLI) on a random loopback port. */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

export interface ServeHandle {
  url: string
  origin: string
  token: string
  process: ChildProcess
  output: () => string
  stop(signal?: NodeJS.Signals): Promise<void>
}

export interface ServeOptions {
  /** The checkout holding the built app (default: this one). */
  root?: string
  workers?: number
  /** A fixed port (default: a random free one). */
  port?: number
  /** More arguments for `serve`, e.g. `--new-token`. */
  args?: string[]
}

export async function startServe(dataDir: string, options: ServeOptions = {}): Promise<ServeHandle> {
  const root = options.root ?? join(__dirname, '..')
  const args = ['serve', '--port', String(options.port ?? 0), '--data-dir', dataDir, '--workers', String(options.workers ?? 1)]
  args.push(...(options.args ?? []))
  const child = spawn(process.execPath, [join(root, 'bin', 'rnn-lab.cjs'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout!.on('data', (d) => (log += d))
  child.stderr!.on('data', (d) => (log += d))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL in 60 s:\n${log}`)), 60_000)
    const check = () => {
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(log)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    child.stdout!.on('data', check)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${code}:\n${log}`))
    })
  })
  const parsed = new URL(url)
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    process: child,
    output: () => log,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill(signal)
      })
  }
}
