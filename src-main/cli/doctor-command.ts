/** `rnn-lab doctor`: versions, data folder, database, and each backend used or skipped with its reason. */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as tf from '@tensorflow/tfjs'
import { defaultDataDir } from '../services/data-dir'
import { APP_VERSION } from '../services/version'
import { CUDA_NEEDED, findCudaLibraries } from '../engine/gpu-truth'
import { DATABASE_FILE, openDatabase } from '../store/database'
import { SCHEMA_VERSION } from '../store/migrations'
import { TRAIN_WORKER_SCRIPT } from '../workers/worker-script'
import { WorkerPool } from '../workers/worker-pool'

function packageVersion(name: string): string | null {
  try {
    return (createRequire(__filename)(`${name}/package.json`) as { version: string }).version
  } catch {
    return null
  }
}

export async function doctorCommand(argv: string[]): Promise<void> {
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
    rnnKernels: backends.kernels,
    gpu:
      backends.selected === 'tensorflow-gpu' && /\(CUDA\)$/.test(backends.attempts.find((a) => a.status === 'used')?.reason ?? '')
        ? 'CUDA through @tensorflow/tfjs-node-gpu'
        : 'not in use: ' + (backends.attempts.find((a) => a.backend === 'tensorflow-gpu')?.reason ?? 'unknown'),
    cudaLibraries: { needed: CUDA_NEEDED, found: findCudaLibraries() }
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
  console.log(`RNN kernels: ${report.rnnKernels}`)
  console.log(`GPU: ${report.gpu}`)
  const found = Object.entries(report.cudaLibraries.found)
  console.log(`CUDA libraries (tfjs-node-gpu needs ${CUDA_NEEDED}):`)
  for (const [lib, path] of found) console.log(`  ${path ? 'found    ' : 'missing  '} ${lib}${path ? ` ${path}` : ''}`)
}
