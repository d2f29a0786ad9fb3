/** A real redis-server on a random loopback port with its own temp folder (append-only file on), for tests. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'

export interface RedisHandle {
  port: number
  dir: string
  url: string
  /** Stops the server (SIGTERM: it writes its append-only file and exits). */
  stop(): Promise<void>
  /** Starts it again on the same port and folder (the data comes back from the append-only file). */
  restart(): Promise<void>
  cleanup(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

export async function startRedis(options: { password?: string } = {}): Promise<RedisHandle> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-redis-'))
  const auth = options.password ? `:${options.password}@` : ''
  let child: ChildProcess | null = null
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always']
    args.push('--save', '', '--daemonize', 'no', '--loglevel', 'warning')
    if (options.password) args.push('--requirepass', options.password)
    child = spawn('redis-server', args, { stdio: 'ignore' })
    await waitForPing(`redis://${auth}127.0.0.1:${port}`)
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      const c = child
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve()
      c.once('exit', () => resolve())
      c.kill('SIGTERM')
    })
  await start()
  return {
    port,
    dir,
    url: `redis://${auth}127.0.0.1:${port}`,
    stop,
    restart: start,
    cleanup: async () => {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

async function waitForPing(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
    r.on('error', () => {})
    try {
      await r.connect()
      if ((await r.ping()) === 'PONG') return
    } catch {
      // not up yet
    } finally {
      r.disconnect()
    }
    await new Promise((res) => setTimeout(res, 100))
  }
  throw new Error(`redis-server did not answer on ${url.replace(/:[^:@/]*@/, ':***@')}`)
}
