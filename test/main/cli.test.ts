/**
 * The `rnn-lab` executable as a person runs it: the built CLI (out/main/cli.js, made by `npm run build`,
 * which `npm test` runs first) in real processes on a real data folder.
 */
import { execFile } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'

const CLI = join(__dirname, '../../out/main/cli.js')
const run = promisify(execFile)

async function cli(args: string[], dataDir?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args, ...(dataDir ? ['--data-dir', dataDir] : [])], { timeout: 120_000 })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`)
})

describe('rnn-lab --help', () => {
  it('every subcommand answers --help with its own usage and exit 0', async () => {
    const overview = await cli(['--help'])
    expect(overview.code).toBe(0)
    const names = [...overview.stdout.matchAll(/^ {2}rnn-lab ([a-z-]+) /gm)].map((m) => m[1]).filter((n) => n !== '<command>')
    expect(names).toEqual(expect.arrayContaining(['serve', 'train', 'import', 'rm-run', 'runs', 'export', 'import-run']))
    for (const name of names) {
      const r = await cli([name, '--help'])
      expect(r.code, `${name} --help`).toBe(0)
      expect(r.stdout, `${name} --help`).toMatch(new RegExp(`^Usage: rnn-lab ${name}\\b`))
    }
    expect((await cli(['help', 'serve'])).stdout).toMatch(/^Usage: rnn-lab serve/)
    // Where the link's token lives, for a browser opened without it (issue #17).
    expect((await cli(['serve', '--help'])).stdout).toContain('<data dir>/serve-token')
  }, 120_000)
})

describe('rnn-lab rm-run', () => {
  const { dir, cleanup } = tempDir('rnn-lab-cli-')
  afterAll(cleanup)

  it('deletes a finished run and its saved models; the run is then unknown (exit 2)', async () => {
    const csv = join(dir, 'sine.csv')
    writeFileSync(csv, 'step,value\n' + Array.from({ length: 120 }, (_, i) => `${i},${Math.sin(i / 5).toFixed(5)}`).join('\n') + '\n')
    const imported = await cli(['import', csv, '--json'], dir)
    expect(imported.code, imported.stderr).toBe(0)
    const datasetId = JSON.parse(imported.stdout).id
    const config = join(dir, 'config.json')
    writeFileSync(
      config,
      JSON.stringify({
        task: 'forecast',
        layout: 'many-to-one',
        window: 8,
        horizon: 1,
        features: ['value'],
        target: 'value',
        model: { cell: 'simple_rnn', layers: [{ units: 4 }] },
        training: { epochs: 2, batchSize: 16, seed: 1 }
      })
    )
    const trained = await cli(['train', '--dataset', datasetId, '--config', config, '--json'], dir)
    expect(trained.code, trained.stderr).toBe(0)
    const runId = JSON.parse(trained.stdout.trim().split('\n').at(-1)!).id
    expect(existsSync(join(dir, 'runs', runId))).toBe(true)

    const removed = await cli(['rm-run', runId], dir)
    expect(removed.code, removed.stderr).toBe(0)
    expect(removed.stdout).toContain(`Deleted run ${runId}`)
    expect(existsSync(join(dir, 'runs', runId))).toBe(false)
    const shown = await cli(['show', runId], dir)
    expect(shown.code).toBe(2)
    expect(shown.stderr).toMatch(/not found|no run/i)
  }, 180_000)
})
