/** Runs the built `rnn-lab` CLI (npm run build first) as a real separate process. */
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import { ok, tempDir, testCore } from './core'

const ROOT = join(__dirname, '..', '..')
export const CLI = join(ROOT, 'bin', 'rnn-lab.cjs')

export interface CliProcess {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  /** Resolves once a stdout line matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>
}

export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (err += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs)
      const check = () => {
        const line = out.split('\n').find((l) => pattern.test(l))
        if (line === undefined) return
        clearTimeout(timer)
        child.stdout!.off('data', check)
        resolve(line)
      }
      child.stdout!.on('data', check)
      void exited.then(() => setTimeout(() => reject(new Error(`exited before ${pattern}:\n${out}\n${err}`)), 50))
      check()
    })
  return { child, stdout: () => out, stderr: () => err, exited, waitFor }
}

/** Runs a CLI command to its end. */
export async function runCli(args: string[], env: Record<string, string> = {}) {
  const p = startCli(args, env)
  const code = await p.exited
  return { code, stdout: p.stdout(), stderr: p.stderr() }
}

/** JSON lines of a `--json` output. */
export function jsonLines(text: string): { type: string; [k: string]: unknown }[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
}

/** A temp data folder with a sine dataset and a config file of `epochs` tiny epochs (LSTM, Adam). */
export async function cliFolder(epochs: number, teardown: (() => Promise<void>)[]) {
  const t = tempDir()
  teardown.push(async () => t.cleanup())
  return cliFolderIn(t.dir, epochs)
}

/** The same in a given folder. */
export async function cliFolderIn(dir: string, epochs: number) {
  const t = { dir }
  const core = testCore(t.dir)
  const ds = await ok<{ id: string }>(core.dispatch('datasets.generateSine', { length: 400 }))
  await core.close()
  const config = join(t.dir, 'config.json')
  const base = sineExampleConfig()
  const model = { cell: 'lstm', layers: [{ units: 8 }] }
  writeFileSync(config, JSON.stringify({ ...base, model, training: { ...base.training, epochs, batchSize: 16 } }))
  return { dir: t.dir, datasetId: ds.id, config }
}
