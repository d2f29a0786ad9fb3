// What crosses Redis, without Redis: dataset blobs round-trip and refuse what does not add up; queue
// URLs are checked and shown without their password; models arrive only under the owner's folder.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeDataset, encodeDataset, sha256 } from '../../src-main/remote/dataset-blob'
import { unpackModelDir } from '../../src-main/remote/artifact-transfer'
import { QueueUrl, redactQueueUrl, RemoteEntry, RemoteJobData } from '../../src-shared/remote'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import { tempDir } from '../helpers/core'

describe('the queue boundaries', () => {
  it('round-trips series and text datasets as blobs, and refuses blobs that do not add up', () => {
    const series = { kind: 'series' as const, columns: { t: Float64Array.from([1, 2, 3]), value: Float64Array.from([0.5, -1, NaN]) } }
    const blob = encodeDataset(series)
    expect(decodeDataset(blob)).toEqual(series)
    expect(sha256(encodeDataset(series))).toBe(sha256(blob))
    const text = {
      kind: 'text' as const,
      text: { vocabulary: 'char' as const, tokens: ['a', 'b', '한'], ids: Uint32Array.from([0, 2, 1, 1]) }
    }
    expect(decodeDataset(encodeDataset(text))).toEqual(text)
    expect(() => decodeDataset(blob.subarray(0, blob.length - 8))).toThrow(/size does not match/)
    const bad = encodeDataset({ kind: 'text', text: { vocabulary: 'char', tokens: ['a'], ids: Uint32Array.from([0, 7]) } })
    expect(() => decodeDataset(bad)).toThrow(/outside its vocabulary/)
    expect(() => decodeDataset(Buffer.from('{"kind":"exec","code":"x"}\n'))).toThrow()
  })

  it('accepts redis:// and rediss:// URLs only, and never shows a password', () => {
    for (const ok of ['redis://127.0.0.1:6379', 'redis://:pw@10.0.0.5:6379/2', 'rediss://user:pw@host.lan:6380/0'])
      expect(QueueUrl.safeParse(ok).success).toBe(true)
    for (const bad of ['http://127.0.0.1:6379', 'redis://', 'redis://h:1/../../x', 'file:///etc/passwd', 'not a url'])
      expect(QueueUrl.safeParse(bad).success).toBe(false)
    expect(redactQueueUrl('redis://user:s3cret@10.0.0.5:6379/1')).toBe('redis://user:***@10.0.0.5:6379/1')
    expect(redactQueueUrl('redis://:s3cret@h:1')).not.toContain('s3cret')
  })

  it('accepts a well-formed job and refuses ids, hashes and fields it does not know', () => {
    const job = { v: 1, runId: 'run_mabc12_0123abcd', datasetHash: 'f'.repeat(64), config: sineExampleConfig(), gpu: false }
    expect(RemoteJobData.safeParse(job).success).toBe(true)
    expect(RemoteJobData.safeParse({ ...job, runId: 'run_x/../../y_0123abcd' }).success).toBe(false)
    expect(RemoteJobData.safeParse({ ...job, datasetHash: '../x' }).success).toBe(false)
    expect(RemoteJobData.safeParse({ ...job, script: 'process.exit()' }).success).toBe(false)
  })

  it('writes arriving models under the owner folder only; file names with separators are refused', () => {
    const entry = (name: string) => ({ type: 'artifact', attempt: 1, kind: 'best', epoch: 1, files: [{ name, base64: 'AA==' }] })
    expect(RemoteEntry.safeParse(entry('model.json')).success).toBe(true)
    for (const name of ['../model.json', '/etc/passwd', 'a/b', '..', '.hidden'])
      expect(RemoteEntry.safeParse(entry(name)).success).toBe(false)
    const t = tempDir()
    try {
      const { path, bytes } = unpackModelDir(t.dir, 'best', [{ name: 'model.json', base64: Buffer.from('{}').toString('base64') }])
      expect(path).toBe(join(t.dir, 'best'))
      expect(bytes).toBe(2)
      expect(readdirSync(path)).toEqual(['model.json'])
      expect(existsSync(join(t.dir, '.best-incoming'))).toBe(false)
    } finally {
      t.cleanup()
    }
  })
})
