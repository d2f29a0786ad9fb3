// A damaged database file (bytes overwritten in the middle of a real one): every command says which
// file, what happened and what to do, without a stack; `rnn-lab doctor` reports SQLite's integrity
// check; only `doctor --repair` moves the file aside. Uses the built CLI (npm run build first).
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import { ok, tempDir, testCore, useTeardown } from '../helpers/core'
import { runCli } from '../helpers/cli-process'

const teardown = useTeardown()

/** A data folder whose database holds 400 runs, then has 12 KiB in its middle overwritten. */
async function damagedFolder(): Promise<{ dir: string; file: string }> {
  const t = tempDir()
  teardown.push(async () => t.cleanup())
  const core = testCore(t.dir)
  const ds = await ok<{ id: string; hash: string }>(core.dispatch('datasets.generateSine', { length: 200 }))
  for (let i = 0; i < 400; i++) {
    core.runsRepo.insert({
      id: `run_${i}`,
      name: `run ${i} `.repeat(20),
      datasetId: ds.id,
      datasetHash: ds.hash,
      config: sineExampleConfig(),
      appVersion: 'test',
      parameterCount: 1
    })
  }
  await core.close()
  const file = join(t.dir, 'rnn-lab.sqlite')
  const fd = openSync(file, 'r+')
  writeSync(fd, Buffer.alloc(12_288, 0xa5), 0, 12_288, Math.floor(statSync(file).size / 2 / 4096) * 4096)
  closeSync(fd)
  return { dir: t.dir, file }
}

describe('a damaged database', () => {
  it('commands name the file, what happened and what to do; doctor reports it; only --repair moves it aside', async () => {
    const { dir, file } = await damagedFolder()
    const runs = await runCli(['runs', '--data-dir', dir])
    expect(runs.code).toBe(1)
    expect(runs.stderr).toContain(`The database ${file} is damaged (SQLite: database disk image is malformed).`)
    expect(runs.stderr).toMatch(/models under runs\/ beside it are intact\. Run `rnn-lab doctor --repair` to move the file aside/)
    expect(runs.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(file)).toBe(true)

    const doctor = await runCli(['doctor', '--json', '--data-dir', dir])
    const report = JSON.parse(doctor.stdout)
    expect(report.database).toMatchObject({ ok: false, integrity: { ok: false }, movedTo: null })
    expect(report.database.integrity.problems.length).toBeGreaterThan(0)
    expect(existsSync(file)).toBe(true)

    const repaired = JSON.parse((await runCli(['doctor', '--repair', '--json', '--data-dir', dir])).stdout)
    expect(repaired.database.movedTo).toMatch(/rnn-lab\.sqlite\.damaged-/)
    expect(existsSync(repaired.database.movedTo)).toBe(true)
    const after = await runCli(['runs', '--json', '--data-dir', dir])
    expect(after.code).toBe(0)
    expect(JSON.parse(after.stdout)).toEqual([])
  }, 180_000)
})
