/**
 * A small ballast file in the data folder (`rnn-lab.reserve`, 1 MiB). When the disk fills, deleting it
 * leaves room to record how a run ended (failed, with the reason) instead of leaving it `running`; it
 * is created again at the next start that has the space.
 */
import { rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const RESERVE_FILE = 'rnn-lab.reserve'
const RESERVE_BYTES = 1 << 20

/** Creates the reserve when missing; a disk without room for it goes without (no error). */
export function ensureReserve(dataDir: string): void {
  const file = join(dataDir, RESERVE_FILE)
  try {
    if (statSync(file, { throwIfNoEntry: false })?.size === RESERVE_BYTES) return
    writeFileSync(file, Buffer.alloc(RESERVE_BYTES))
  } catch {
    rmSync(file, { force: true })
  }
}

/** Frees the reserve's space; true when there was one to free. */
export function releaseReserve(dataDir: string): boolean {
  const file = join(dataDir, RESERVE_FILE)
  const existed = statSync(file, { throwIfNoEntry: false }) !== undefined
  rmSync(file, { force: true })
  return existed
}
