/**
 * Crash safety: starts `rnn-lab serve` (the built CLI), trains, and kills the process with SIGKILL at
 * random moments, N times (default 20). After each kill: `PRAGMA integrity_check` is ok; after the
 * restart no run is left running or queued (they are interrupted); every epoch the server announced
 * over its WebSocket before the kill is in the database, epochs are contiguous, and each run's
 * summary columns agree with its epochs. Prints a JSON report; exits 1 on any violation.
 *
 *   npm run build && npx tsx scripts/crash-test.ts [--iterations 20] [--seed 1]
 */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import WebSocket from 'ws'
import { mulberry32 } from '../src-shared/random'
import { startServe, type ServeHandle } from '../e2e/serve-process'

const ROOT = process.env.RNN_LAB_ROOT ?? join(__dirname, '..')

async function api<T>(s: ServeHandle, op: string, body: unknown): Promise<T> {
  const res = await fetch(`${s.origin}/api/${op}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  const env = (await res.json()) as { ok: boolean; result: T; error?: { message: string } }
  if (!env.ok) throw new Error(`${op}: ${env.error?.message}`)
  return env.result
}

export async function crashTest(iterations: number, seed: number) {
  const rand = mulberry32(seed)
  const dataDir = mkdtempSync(join(tmpdir(), 'rnn-lab-crash-'))
  const violations: string[] = []
  const announced = new Map<string, Set<number>>()
  let epochsChecked = 0
  let killedWhileRunning = 0
  try {
    let serve = await startServe(dataDir, { root: ROOT, workers: 2 })
    const ds = await api<{ id: string }>(serve, 'datasets.generateSine', { length: 1500, noise: 0.05 })
    for (let i = 1; i <= iterations; i++) {
      const ws = new WebSocket(`ws://${new URL(serve.origin).host}/events?token=${serve.token}`)
      await new Promise((resolve, reject) => {
        ws.on('open', resolve)
        ws.on('error', reject)
      })
      ws.on('message', (m) => {
        const e = JSON.parse(String(m)) as { event: string; payload: { runId: string; record: { epoch: number } } }
        if (e.event !== 'runs.epoch') return
        if (!announced.has(e.payload.runId)) announced.set(e.payload.runId, new Set())
        announced.get(e.payload.runId)!.add(e.payload.record.epoch)
      })
      for (let k = 0; k < 2; k++) {
        await api(serve, 'runs.start', {
          datasetId: ds.id,
          config: {
            window: 20,
            features: ['value'],
            target: 'value',
            model: { cell: k === 0 ? 'simple_rnn' : 'lstm', layers: [{ units: 16 }] },
            training: { epochs: 400, batchSize: 32, seed: i * 10 + k }
          }
        })
      }
      await new Promise((r) => setTimeout(r, 400 + Math.floor(rand() * 3000)))
      const running = await api<{ status: string }[]>(serve, 'runs.list', { status: 'running' })
      if (running.length > 0) killedWhileRunning++
      await serve.stop('SIGKILL')
      ws.terminate()

      // The file as the killed process left it.
      const db = new Database(join(dataDir, 'rnn-lab.sqlite'))
      const integrity = db.pragma('integrity_check', { simple: true })
      if (integrity !== 'ok') violations.push(`iteration ${i}: integrity_check says ${integrity}`)
      db.close()

      serve = await startServe(dataDir, { root: ROOT, workers: 2 })
      const left = await api<{ id: string }[]>(serve, 'runs.list', { status: 'running' })
      const queued = await api<{ id: string }[]>(serve, 'runs.list', { status: 'queued' })
      if (left.length + queued.length > 0)
        violations.push(`iteration ${i}: ${left.length} running and ${queued.length} queued after restart`)

      const check = new Database(join(dataDir, 'rnn-lab.sqlite'), { readonly: true })
      for (const [runId, epochs] of announced) {
        const rows = check.prepare('SELECT epoch, loss FROM run_epochs WHERE run_id = ? ORDER BY epoch').all(runId) as {
          epoch: number
          loss: number
        }[]
        const have = new Set(rows.map((r) => r.epoch))
        for (const e of epochs) if (!have.has(e)) violations.push(`iteration ${i}: run ${runId} lost announced epoch ${e}`)
        rows.forEach((r, idx) => {
          if (r.epoch !== idx + 1) violations.push(`iteration ${i}: run ${runId} epochs not contiguous at ${r.epoch}`)
        })
        const run = check.prepare('SELECT status, epochs_done, last_loss FROM runs WHERE id = ?').get(runId) as {
          status: string
          epochs_done: number
          last_loss: number | null
        }
        if (run.epochs_done !== rows.length)
          violations.push(`iteration ${i}: run ${runId} says ${run.epochs_done} epochs, has ${rows.length}`)
        if (rows.length && run.last_loss !== rows[rows.length - 1].loss) violations.push(`iteration ${i}: run ${runId} last_loss disagrees`)
        epochsChecked += rows.length
      }
      check.close()
    }
    await serve.stop('SIGKILL')
    const db = new Database(join(dataDir, 'rnn-lab.sqlite'), { readonly: true })
    const statuses = db.prepare('SELECT status, COUNT(*) AS n FROM runs GROUP BY status').all()
    db.close()
    return { iterations, killedWhileRunning, runs: announced.size, epochsChecked, statuses, violations, ok: violations.length === 0 }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { iterations: { type: 'string' }, seed: { type: 'string' } } })
  crashTest(Number(values.iterations ?? 20), Number(values.seed ?? 1)).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2))
      process.exit(r.ok ? 0 : 1)
    },
    (err) => {
      console.error(err)
      process.exit(1)
    }
  )
}
