import { describe, expect, it } from 'vitest'
import type { CsvImportSummary } from '../../src-shared/dataset-import'
import { ImportOptions } from '../../src-shared/dataset-import'
import { datasetSize, importOptionFacts, textVocabulary } from './dataset-facts'

const text = (vocabulary: 'char' | 'word') => ({
  kind: 'text' as const,
  rows: 1_115_394,
  params: { origin: 'text' as const, text: { length: 1_115_394, vocabulary, vocabularySize: 65, tokenCount: 209_913 } }
})

describe('dataset facts', () => {
  it('sizes a series in rows and a text in characters or words, with its vocabulary', () => {
    expect(datasetSize({ kind: 'series', rows: 1, params: null })).toBe('1 row')
    expect(datasetSize({ kind: 'series', rows: 2518, params: null })).toBe('2,518 rows')
    expect(datasetSize(text('char'))).toBe('1,115,394 characters')
    expect(textVocabulary(text('char'))).toBe('65-character vocabulary')
    expect(datasetSize(text('word'))).toBe('209,913 words')
    expect(textVocabulary(text('word'))).toBe('65-word vocabulary')
    expect(textVocabulary({ params: null })).toBeNull()
  })

  it('lists import options in words: chosen values, or "detected"', () => {
    const summary = { timeColumn: 'Date', descending: true } as CsvImportSummary
    const facts = importOptionFacts(
      summary,
      ImportOptions.parse({ delimiter: ';', dateFormat: 'DD.MM.YYYY', roles: { Volume: 'ignored' } })
    )
    const byLabel = Object.fromEntries(facts.map((f) => [f.label, f.value]))
    expect(byLabel).toMatchObject({
      Delimiter: 'semicolon (;)',
      'Header row': 'detected',
      'Date column': 'Date',
      'Date format': 'DD.MM.YYYY',
      'Categorical columns': 'one-hot encoded',
      'Column roles': 'Volume: ignored'
    })
  })

  it('names what the importer sniffed when the import recorded it', () => {
    const readWith = { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimal: '.', thousands: '', dateFormat: 'MM/DD/YYYY' }
    const summary = { timeColumn: 'Date', descending: true, readWith } as CsvImportSummary
    const byLabel = Object.fromEntries(importOptionFacts(summary, ImportOptions.parse({ hasHeader: false })).map((f) => [f.label, f.value]))
    expect(byLabel).toMatchObject({
      Delimiter: 'comma (,), detected',
      'Header row': 'no',
      'Decimal separator': 'dot (.), detected',
      'Thousands separator': 'none, detected',
      'Date format': 'MM/DD/YYYY, detected',
      Encoding: 'utf-8'
    })
  })
})
