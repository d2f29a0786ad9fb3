/**
 * Datasets through Redis: the owner stores a blob once under its sha256; a worker fetches it when its
 * local cache (a folder of `<sha256>.bin` files) lacks it, and verifies the hash on arrival.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Redis } from 'ioredis'
import { Sha256 } from '../../src-shared/remote'
import { decodeDataset, encodeDataset, sha256, type DatasetContent } from './dataset-blob'
import { keys } from './keys'

/** Stores the dataset unless Redis has it already; returns its hash. */
export async function uploadDataset(redis: Redis, content: DatasetContent): Promise<string> {
  const blob = encodeDataset(content)
  const hash = sha256(blob)
  await redis.set(keys.dataset(hash), blob, 'NX')
  return hash
}

export async function fetchDataset(redis: Redis, hash: string, cacheDir: string): Promise<DatasetContent> {
  // The hash becomes a file name: only 64 hex digits ever reach the disk.
  Sha256.parse(hash)
  const file = join(cacheDir, `${hash}.bin`)
  if (existsSync(file)) {
    const cached = readFileSync(file)
    if (sha256(cached) === hash) return decodeDataset(cached)
  }
  const blob = await redis.getBuffer(keys.dataset(hash))
  if (!blob) throw new Error(`dataset ${hash.slice(0, 12)}… is not in the queue's Redis`)
  if (sha256(blob) !== hash) throw new Error(`dataset ${hash.slice(0, 12)}… arrived with another hash: refused`)
  const content = decodeDataset(blob)
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(`${file}.tmp-${process.pid}`, blob)
  renameSync(`${file}.tmp-${process.pid}`, file)
  return content
}
