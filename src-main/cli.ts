/**
 * The `rnn-lab` command. `serve` runs the core behind the HTTP + WebSocket binding on loopback;
 * `doctor` reports versions, the data folder and every tfjs backend tried with its reason.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as tf from '@tensorflow/tfjs'
import { AppCore } from './services/app-core'
import { defaultDataDir } from './services/data-dir'
import { APP_VERSION } from './services/version'
import { newToken } from './server/auth'
import { startServer } from './server/http-server'
import { TRAIN_WORKER_SCRIPT } from './workers/worker-script'
import { WorkerPool } from './workers/worker-pool'
import { DATABASE_FILE, openDatabase } from './store/database'
import { SCHEMA_VERSION } from './store/migrations'

const HELP = `rnn-lab ${APP_VERSION} — experiment workbench for recurrent neural networks

Usage:
  rnn-lab serve [--port N] [--data-dir D] [--workers N]
      Serve the app to a browser on 127.0.0.1 (prints a URL with an access token).
  rnn-lab doctor [--data-dir D] [--json]
      Versions, data folder, and each training backend: used or skipped, and why.
  rnn-lab --help | --version

The data folder defaults to the desktop app's (${defaultDataDir()}); RNN_LAB_DATA_DIR overrides it.
`

/** Exit codes: 0 ok, 1 failure, 2 bad usage. */
class UsageError extends Error {}

function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`)
  return n
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      workers: { type: 'string' }
    },
    strict: true
  })
  const port = intOption(values.port, 'port', 0, 65535) ?? 0
  const workers = intOption(values.workers, 'workers', 1, 64)
  const dataDir = values['data-dir'] ?? defaultDataDir()
  const rendererDir = join(__dirname, '../renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir}): run \`npm run build\` first`)
  }
  const core = new AppCore({ dataDir, workerScript: TRAIN_WORKER_SCRIPT, workers, transport: 'http' })
  const token = newToken()
  const server = await startServer({ dispatch: core.dispatch, events: core.events, token, rendererDir, port })
  if (core.interruptedAtStart > 0) {
    console.log(`${core.interruptedAtStart} run(s) left unfinished by an earlier stop are now marked interrupted.`)
  }
  console.log(`RNN Lab ${APP_VERSION} serving data folder ${dataDir}`)
  console.log(`Open ${server.url}`)
  let closing = false
  const stop = async (signal: string) => {
    if (closing) return
    closing = true
    console.log(`\n${signal}: stopping (unfinished runs will show as interrupted)`)
    await server.close()
    await core.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

function packageVersion(name: string): string | null {
  try {
    return (createRequire(__filename)(`${name}/package.json`) as { version: string }).version
  } catch {
    return null
  }
}

async function doctor(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
    strict: true
  })
  const dataDir = values['data-dir'] ?? defaultDataDir()
  let database: { path: string; ok: boolean; schemaVersion?: number; error?: string }
  try {
    const db = openDatabase(dataDir)
    database = { path: join(dataDir, DATABASE_FILE), ok: true, schemaVersion: db.pragma('user_version', { simple: true }) as number }
    db.close()
  } catch (err) {
    database = { path: join(dataDir, DATABASE_FILE), ok: false, error: (err as Error).message }
  }
  // The same worker code as training, so the report is what a run would get.
  const pool = new WorkerPool({ size: 1, script: TRAIN_WORKER_SCRIPT })
  let backends
  try {
    backends = (await pool.reports())[0]
  } finally {
    await pool.close()
  }
  const report = {
    app: APP_VERSION,
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    tfjs: tf.version.tfjs,
    electron: packageVersion('electron'),
    betterSqlite3: packageVersion('better-sqlite3'),
    schemaVersion: SCHEMA_VERSION,
    dataDir,
    database,
    backend: backends.selected,
    backends: backends.attempts,
    gpu:
      backends.selected === 'tensorflow-gpu'
        ? 'CUDA through @tensorflow/tfjs-node-gpu'
        : 'not in use: ' + (backends.attempts.find((a) => a.backend === 'tensorflow-gpu')?.reason ?? 'unknown')
  }
  if (values.json) {
    console.log(JSON.stringify(report, null, 2))
    return
  }
  console.log(`RNN Lab ${report.app} · Node ${report.node} · ${report.platform} · tfjs ${report.tfjs}`)
  console.log(`Electron package: ${report.electron ?? 'not installed'} · better-sqlite3 ${report.betterSqlite3}`)
  console.log(`Data folder: ${dataDir}`)
  console.log(`Database: ${database.path} — ${database.ok ? `ok, schema ${database.schemaVersion}` : `ERROR ${database.error}`}`)
  console.log('Training backends (in order of preference):')
  for (const a of report.backends) console.log(`  ${a.status.padEnd(9)} ${a.backend.padEnd(15)} ${a.reason}`)
  console.log(`GPU: ${report.gpu}`)
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP)
        return 0
      case '--version':
      case '-v':
        console.log(APP_VERSION)
        return 0
      case 'serve':
        await serve(rest)
        return -1 // keeps running
      case 'doctor':
        await doctor(rest)
        return 0
      default:
        throw new UsageError(`Unknown command "${command}". Run \`rnn-lab --help\`.`)
    }
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    console.error(`rnn-lab: ${(err as Error).message}`)
    return usage ? 2 : 1
  }
}

main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exit(code)
})
