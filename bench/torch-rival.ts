/**
 * PyTorch CPU at its best, for the training benchmark: bench/torch_rnn.py runs once per
 * configuration — torch threads 1 and 2 × OPENBLAS_NUM_THREADS 1 and 2 × ATen SIMD level (torch
 * 1.13 defaults to AVX2; ATEN_CPU_CAPABILITY=avx512 is tried too) — and every workload keeps its
 * best configuration. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (set on some machines for old OpenBLAS
 * builds) are removed in the child only, so OpenBLAS picks its own kernels for this CPU; the child
 * reports the BLAS library it really mapped (/proc/self/maps) and OpenBLAS's core type.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

export interface TorchConfig {
  torchThreads: number
  openblasThreads: number
  cpuCapability: 'default' | 'avx512'
}

export interface TorchTrial {
  config: TorchConfig
  /** What the child reported: torch version, threads, BLAS libraries, OpenBLAS core type. */
  reported: Record<string, unknown>
  results: Record<string, number>
}

export interface TorchBest {
  python: string
  trials: TorchTrial[]
  /** Per workload: the best samples/s over all configurations and the configuration that gave it. */
  best: Record<string, { samplesPerSecond: number; config: TorchConfig }>
}

const CONFIGS: TorchConfig[] = [1, 2].flatMap((torchThreads) =>
  [1, 2].flatMap((openblasThreads) =>
    (['default', 'avx512'] as const).map((cpuCapability) => ({ torchThreads, openblasThreads, cpuCapability }))
  )
)

/** The first of $PYTHON, python3, /usr/bin/python3 that imports torch. */
function findPython(): string | null {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p)
  for (const python of candidates) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' })
      return python
    } catch {
      // next
    }
  }
  return null
}

function childEnv(c: TorchConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENBLAS_NUM_THREADS: String(c.openblasThreads),
    OMP_NUM_THREADS: String(c.torchThreads)
  }
  delete env.OPENBLAS_CORETYPE
  delete env.OPENBLAS_L2_SIZE
  if (c.cpuCapability === 'avx512') env.ATEN_CPU_CAPABILITY = 'avx512'
  else delete env.ATEN_CPU_CAPABILITY
  return env
}

export function torchAtItsBest(only: string[] | undefined, epochs: number): TorchBest | { unavailable: string } {
  const python = findPython()
  if (!python) return { unavailable: 'no python with torch (apt-get install python3-torch, or set PYTHON)' }
  const script = join(__dirname, 'torch_rnn.py')
  const trials: TorchTrial[] = []
  for (const config of CONFIGS) {
    const args = [script, '--threads', String(config.torchThreads), '--epochs', String(epochs)]
    if (only) args.push('--only', only.join(','))
    const out = execFileSync(python, args, { encoding: 'utf8', timeout: 600_000, env: childEnv(config) })
    const line = JSON.parse(out.trim().split('\n').at(-1)!) as { config: Record<string, unknown>; results: Record<string, number> }
    trials.push({ config, reported: line.config, results: line.results })
  }
  const best: TorchBest['best'] = {}
  for (const t of trials)
    for (const [id, sps] of Object.entries(t.results))
      if (!best[id] || sps > best[id].samplesPerSecond) best[id] = { samplesPerSecond: sps, config: t.config }
  return { python, trials, best }
}
