/**
 * Writes a folder of files atomically: into `<dir>.tmp-<pid>-<n>`, each file and the folder fsynced,
 * then renamed into place (the previous folder moved aside and removed after). A failure (a full disk)
 * removes the temp folder and leaves the previous folder as it was.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'

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
