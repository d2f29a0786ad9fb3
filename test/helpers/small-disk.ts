/** A real small filesystem (tmpfs) for full-disk tests; null where this user may not mount one. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface SmallDisk {
  dir: string
  resize(kb: number): void
  /** Kilobytes used. */
  used(): number
  remove(): void
}

export function smallDisk(kb: number): SmallDisk | null {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-small-disk-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir], { stdio: 'ignore' })
  } catch {
    rmSync(dir, { recursive: true, force: true })
    return null
  }
  return {
    dir,
    resize: (size) => execFileSync('mount', ['-o', `remount,size=${size}k`, dir], { stdio: 'ignore' }),
    used: () => Number(execFileSync('df', ['-k', '--output=used', dir], { encoding: 'utf8' }).split('\n')[1].trim()),
    remove: () => {
      execFileSync('umount', [dir], { stdio: 'ignore' })
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
