// The disk under the data folder failing: a folder that cannot be used at start, and a full disk at
// save (SQLite's max_page_count makes the database "full" without filling the machine's disk).
import Database from 'better-sqlite3'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../src-main/store/database'
import type { RunDetail, RunSummary } from '../../src-shared/domain'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'

const teardown = useTeardown()

/** Makes the database full: no more pages, and its free pages taken by a filler table. */
function fillDatabase(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS filler (b BLOB)')
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`)
  for (const size of [4000, 500, 50]) {
    try {
      for (;;) db.prepare('INSERT INTO filler VALUES (randomblob(?))').run(size)
    } catch {
      // full at this size; smaller rows take what is left
    }
  }
}

describe('storage failures', () => {
  it('a data folder that cannot be created gives a clear error at start', () => {
    const t = tempDir()
    teardown.push(async () => t.cleanup())
    writeFileSync(join(t.dir, 'a-file'), 'x')
    expect(() => openDatabase(join(t.dir, 'a-file', 'data'))).toThrow(
      /^Cannot use the data folder .*a-file\/data: ENOTDIR.*Choose another folder/
    )
  })

  it('a full disk during an import stores nothing, says so, and leaves the database intact', async () => {
    const t = tempDir()
    const core = testCore(t.dir)
    teardown.push(async () => {
      await core.close()
      t.cleanup()
    })
    const pages = core.db.pragma('page_count', { simple: true }) as number
    core.db.pragma(`max_page_count = ${pages + 2}`)
    const res = await core.dispatch('datasets.generateSine', { length: 100_000 })
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'STORAGE', message: expect.stringMatching(/disk is full \(SQLITE_FULL\)\. Nothing was saved/) }
    })
    expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(await ok<unknown[]>(core.dispatch('datasets.list', {}))).toHaveLength(0)
    core.db.pragma('max_page_count = 1073741823')
    expect(await ok<unknown>(core.dispatch('datasets.generateSine', { length: 1000 }))).toBeTruthy()
  })

  it('a full disk during training fails that run with the reason and keeps its stored epochs', async () => {
    const t = tempDir()
    const core = testCore(t.dir)
    teardown.push(async () => {
      await core.close()
      t.cleanup()
    })
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 400 }))
    const run = await ok<RunSummary>(
      core.dispatch('runs.start', {
        datasetId: ds.id,
        config: { ...sineExampleConfig(), training: { ...sineExampleConfig().training, epochs: 500 } }
      })
    )
    await new Promise<void>((resolve) => core.events.subscribe((e) => e.name === 'run.epoch' && e.payload.record.epoch === 2 && resolve()))
    core.db.pragma(`max_page_count = ${core.db.pragma('page_count', { simple: true })}`)
    await core.runs.whenDone(run.id)
    core.db.pragma('max_page_count = 1073741823')
    const d = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
    expect(d.status).toBe('failed')
    expect(d.error).toMatch(/disk is full/)
    expect(d.epochs.length).toBeGreaterThanOrEqual(2)
    expect(d.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: d.epochs.length }, (_, i) => i + 1))
    const file = new Database(join(t.dir, 'rnn-lab.sqlite'), { readonly: true })
    expect(file.pragma('integrity_check', { simple: true })).toBe('ok')
    file.close()
  })

  it('a full disk when a run ends: the run ends failed with the STORAGE message, then cancel and delete work', async () => {
    const t = tempDir()
    const core = testCore(t.dir)
    teardown.push(async () => {
      await core.close()
      t.cleanup()
    })
    const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 3000 }))
    const run = await ok<RunSummary>(
      core.dispatch('runs.start', {
        datasetId: ds.id,
        config: {
          ...sineExampleConfig(),
          model: { cell: 'simple_rnn', layers: [{ units: 4 }] },
          training: { ...sineExampleConfig().training, epochs: 2 }
        }
      })
    )
    // Full from the last epoch on: its models and the run's end (metrics, forecasts) cannot be written.
    await new Promise<void>((resolve) =>
      core.events.subscribe((e) => {
        if (e.name !== 'run.epoch' || e.payload.record.epoch !== 2) return
        fillDatabase(core.db)
        resolve()
      })
    )
    const logged: unknown[] = []
    const error = console.error
    console.error = (...a: unknown[]) => logged.push(a)
    try {
      await core.runs.whenDone(run.id)
    } finally {
      console.error = error
    }
    const d = await ok<RunDetail>(core.dispatch('runs.get', { id: run.id }))
    expect(d.status).toBe('failed')
    expect(d.error).toMatch(/^Could not write to the data folder \(.*\): the disk is full \(SQLITE_FULL\)\./)
    expect(JSON.stringify(logged)).not.toMatch(/SqliteError|\n\s+at /)
    expect(readdirSync(core.runs.artifactsDir(run.id)).filter((n) => /\.(tmp|old)-/.test(n))).toEqual([])
    expect(await ok<{ deleted: boolean }>(core.dispatch('runs.delete', { id: run.id }))).toEqual({ deleted: true })
    expect(existsSync(core.runs.artifactsDir(run.id))).toBe(false)
  }, 120_000)
})
