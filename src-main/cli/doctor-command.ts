/**
 * `rnn-lab doctor`: versions, data folder, the database (opened, and SQLite's integrity check), and each
 * backend used or skipped with its reason. `--repair` moves a damaged database aside (never silently).
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as tf from '@tensorflow/tfjs'
import { defaultDataDir } from '../services/data-dir'
import { APP_VERSION } from '../services/version'
import { CUDA_NEEDED, findCudaLibraries } from '../engine/gpu-truth'
import { DATABASE_FILE, openDatabase } from '../store/database'
import { SCHEMA_VERSION } from '../store/migrations'
import { checkIntegrity, moveAside, type Integrity } from '../store/database-repair'
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
    options: { json: { type: 'boolean', default: false }, repair: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
    strict: true
  })
  const dataDir = values['data-dir'] ?? defaultDataDir()
  const repair = repairDatabase(join(dataDir, DATABASE_FILE), values.repair)
  let database: { path: string; ok: boolean; schemaVersion?: number; error?: string; integrity: Integrity; movedTo: string | null }
  try {
    const db = openDatabase(dataDir)
    const schemaVersion = db.pragma('user_version', { simple: true }) as number
    database = { path: join(dataDir, DATABASE_FILE), ok: repair.integrity.ok, schemaVersion, ...repair }
    db.close()
  } catch (err) {
    database = { path: join(dataDir, DATABASE_FILE), ok: false, error: (err as Error).message, ...repair }
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
  console.log(`Database: ${database.path} — ${database.error ? `ERROR ${database.error}` : `schema ${database.schemaVersion}`}`)
  console.log(`Integrity check: ${database.integrity.ok ? 'ok' : `DAMAGED: ${database.integrity.problems.join('; ')}`}`)
  if (database.movedTo) console.log(`The damaged database was moved to ${database.movedTo}; a new, empty one was created.`)
  else if (!database.integrity.ok) console.log('Run `rnn-lab doctor --repair` to move it aside and start a new one, or restore a backup.')
  console.log('Training backends (in order of preference):')
  for (const a of report.backends) console.log(`  ${a.status.padEnd(9)} ${a.backend.padEnd(15)} ${a.reason}`)
  console.log(`RNN kernels: ${report.rnnKernels}`)
  console.log(`GPU: ${report.gpu}`)
  const found = Object.entries(report.cudaLibraries.found)
  console.log(`CUDA libraries (tfjs-node-gpu needs ${CUDA_NEEDED}):`)
  for (const [lib, path] of found) console.log(`  ${path ? 'found    ' : 'missing  '} ${lib}${path ? ` ${path}` : ''}`)
}

/** The integrity check of the database file, and with --repair a damaged file moved aside. */
function repairDatabase(file: string, repair: boolean): { integrity: Integrity; movedTo: string | null } {
  const integrity = checkIntegrity(file)
  const movedTo = repair && !integrity.ok ? moveAside(file) : null
  return { integrity, movedTo }
}
