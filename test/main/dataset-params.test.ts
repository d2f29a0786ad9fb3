// Dataset params are typed by origin (issue #16): what the service writes validates against the
// contract's schema, and a real SQLite file written by the code before typed params (the fixture was
// made by that code: sine, GBM, the verse, a CSV import and a word-level text import) still reads,
// each row's params typed from its source.
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DatasetSummary } from '../../src-shared/domain'
import { DatasetsService } from '../../src-main/services/datasets-service'
import { DATABASE_FILE, openDatabase } from '../../src-main/store/database'
import { DatasetsRepo } from '../../src-main/store/datasets-repo'
import { readDatasetParams } from '../../src-main/store/stored-dataset-params'
import { tempDir } from '../helpers/core'

const OLD_FILE = join(__dirname, '..', 'fixtures', 'datasets-before-typed-params.sqlite')

let cleanup = () => {}
afterEach(() => cleanup())

function openCopy(): DatasetsRepo {
  const t = tempDir()
  copyFileSync(OLD_FILE, join(t.dir, DATABASE_FILE))
  const db = openDatabase(t.dir)
  cleanup = () => {
    db.close()
    t.cleanup()
  }
  return new DatasetsRepo(db)
}

describe('typed dataset params', () => {
  it('reads every row of a file written before params were typed, each with its origin', () => {
    const repo = openCopy()
    const bySource = new Map(repo.list().map((d) => [d.source, d]))
    expect([...bySource.keys()].sort()).toEqual(['csv:shampoo.csv', 'generated:gbm', 'generated:sine', 'generated:verse', 'text:verse.txt'])
    for (const d of bySource.values()) expect(DatasetSummary.safeParse(d).success).toBe(true)

    const sine = bySource.get('generated:sine')!.params
    expect(sine).toEqual({ origin: 'sine', length: 40, frequency: 0.02, amplitude: 1, noise: 0, seed: 42 })
    expect(bySource.get('generated:gbm')!.params).toMatchObject({ origin: 'gbm', days: 30, seed: 7 })
    const csv = bySource.get('csv:shampoo.csv')!.params
    if (csv?.origin !== 'csv') throw new Error(`csv params read as ${JSON.stringify(csv)}`)
    expect(csv.import.rows).toBe(36)
    expect(csv.import.descending).toBe(false)
    expect(csv.options).toMatchObject({ missing: 'interpolate', categorical: 'onehot' })
    const text = bySource.get('text:verse.txt')!.params
    if (text?.origin !== 'text') throw new Error(`text params read as ${JSON.stringify(text)}`)
    expect(text.text).toMatchObject({ vocabulary: 'word', length: 84, tokenCount: 21 })
    expect(text.options?.vocabulary).toBe('word')
    expect(bySource.get('generated:verse')!.params).toEqual({
      origin: 'text',
      text: { length: 422, vocabularySize: 31, vocabulary: 'char' }
    })
  })

  it('writes params with their origin, valid for the contract, and reads them back the same', async () => {
    const t = tempDir()
    const db = openDatabase(t.dir)
    cleanup = () => {
      db.close()
      t.cleanup()
    }
    const uploads = {
      resolve: () => ({ path: join(__dirname, '..', '..', '..', 'shared', 'data', 'series', 'shampoo.csv'), name: 'shampoo.csv' }),
      remove() {}
    }
    const service = new DatasetsService(new DatasetsRepo(db), uploads as never, { emit() {} } as never)
    const sine = service.generateSine({ length: 40, frequency: 0.02, amplitude: 1, noise: 0, seed: 1 })
    const { dataset: csv } = await service.importCsv({ source: { kind: 'grant', grant: 'g' }, options: { missing: 'ffill' } })
    const verse = service.generateText({})
    expect(sine.params?.origin).toBe('sine')
    expect(csv.params).toMatchObject({ origin: 'csv', options: { missing: 'ffill', categorical: 'onehot' } })
    expect(verse.params).toMatchObject({ origin: 'text', text: { vocabulary: 'char' } })
    for (const d of service.list()) expect(DatasetSummary.parse(d)).toEqual(d)
  })

  it('an unreadable or unknown stored params reads as null, never failing the list', () => {
    expect(readDatasetParams('csv:x.csv', '{"import":{"rows":"many"}}')).toBeNull()
    expect(readDatasetParams('remote:thing', '{"a":1}')).toBeNull()
    expect(readDatasetParams('generated:sine', 'not json')).toBeNull()
    expect(readDatasetParams('generated:sine', null)).toBeNull()
  })
})
