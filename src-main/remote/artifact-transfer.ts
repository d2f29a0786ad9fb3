/**
 * Saved models through the result stream: the worker packs a model folder (model.json and weights)
 * into the entry; the owner writes it under its own run folder. File names were checked by the
 * entry's schema (no separators, no ".."), and the folder is the owner's, never one from the stream.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface PackedFile {
  name: string
  base64: string
}

export function packModelDir(dir: string): PackedFile[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => ({ name, base64: readFileSync(join(dir, name)).toString('base64') }))
}

/** Replaces `<runDir>/<kind>/` with the files; returns its path and size in bytes. */
export function unpackModelDir(runDir: string, kind: 'best' | 'final', files: PackedFile[]): { path: string; bytes: number } {
  const path = join(runDir, kind)
  const tmp = join(runDir, `.${kind}-incoming`)
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp, { recursive: true })
  let bytes = 0
  for (const f of files) {
    const data = Buffer.from(f.base64, 'base64')
    bytes += data.length
    writeFileSync(join(tmp, f.name), data)
  }
  rmSync(path, { recursive: true, force: true })
  renameSync(tmp, path)
  return { path, bytes }
}
