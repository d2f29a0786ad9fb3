/**
 * Writes a folder of files atomically: into `<dir>.tmp-<pid>-<n>`, each file and the folder fsynced,
 * then renamed into place (the previous folder moved aside and removed after). A failure (a full disk)
 * removes the temp folder and leaves the previous folder as it was. A process killed between the two
 * renames leaves no `<dir>` but its previous version aside: `restoreAfterKill` puts it back.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

let counter = 0

function writeSynced(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'w')
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Some platforms (Windows) cannot open a folder for fsync; the rename is still atomic there.
  }
}

/** Replaces `dir` with a folder holding exactly `files` (name → content); returns the bytes written. */
export function writeDirAtomically(dir: string, files: Record<string, Uint8Array | string>): number {
  const tmp = `${dir}.tmp-${process.pid}-${++counter}`
  const old = `${dir}.old-${process.pid}-${counter}`
  let bytes = 0
  try {
    mkdirSync(tmp, { recursive: true })
    for (const [name, data] of Object.entries(files)) {
      writeSynced(join(tmp, name), data)
      bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
    }
    fsyncDir(tmp)
    if (existsSync(dir)) renameSync(dir, old)
    renameSync(tmp, dir)
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true })
    if (existsSync(old) && !existsSync(dir)) renameSync(old, dir)
    throw err
  }
  rmSync(old, { recursive: true, force: true })
  fsyncDir(dirname(dir))
  return bytes
}

/**
 * After the writer of `dir` died: when `dir` is missing because the kill came between the two renames,
 * the previous version (`<dir>.old-<pid>-<n>`, complete: it was `dir`) is renamed back, so `dir` again
 * holds what was last recorded as written; leftover temp and old folders are removed. Returns whether
 * `dir` exists afterwards.
 */
export function restoreAfterKill(dir: string): boolean {
  const parent = dirname(dir)
  const name = basename(dir)
  let entries: string[]
  try {
    entries = readdirSync(parent)
  } catch {
    return false
  }
  const leftovers = entries.filter((e) => e.startsWith(`${name}.old-`) || e.startsWith(`${name}.tmp-`))
  const previous = leftovers.find((e) => e.startsWith(`${name}.old-`))
  if (!existsSync(dir) && previous) renameSync(join(parent, previous), dir)
  for (const e of leftovers) rmSync(join(parent, e), { recursive: true, force: true })
  return existsSync(dir)
}
