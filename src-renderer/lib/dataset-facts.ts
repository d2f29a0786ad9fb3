/**
 * What a dataset's typed params say, in words: its size (rows for a series; characters, words and
 * vocabulary for a text, never "rows"), and the options a CSV was read with (delimiter, header, number
 * format, date column and format, categorical columns, roles) as label/value pairs for a definition
 * list (the dataset page shows the order and missing-value handling beside them, from the import).
 */
import type { CsvImportSummary, ResolvedImportOptions } from '../../src-shared/dataset-import'
import type { DatasetParams, DatasetSummary } from '../../src-shared/domain'
import { fmtCount as count, fmtInt } from './format'

export type TextFacts = Extract<DatasetParams, { origin: 'text' }>['text']

export const textFacts = (d: Pick<DatasetSummary, 'params'>): TextFacts | null => (d.params?.origin === 'text' ? d.params.text : null)

export const csvImportOf = (d: Pick<DatasetSummary, 'params'>): { import: CsvImportSummary; options: ResolvedImportOptions } | null =>
  d.params?.origin === 'csv' ? d.params : null

/** "2,518 rows", or for a text "1,115,394 characters" (word-level: "209,913 words"). */
export function datasetSize(d: Pick<DatasetSummary, 'kind' | 'rows' | 'params'>): string {
  if (d.kind !== 'text') return count(d.rows, 'row', 'rows')
  const t = textFacts(d)
  if (!t) return count(d.rows, 'token', 'tokens')
  return t.vocabulary === 'word' ? count(t.tokenCount ?? d.rows, 'word', 'words') : count(t.length, 'character', 'characters')
}

/** A text's vocabulary: "65-character vocabulary", "8,000-word vocabulary"; null for a series. */
export function textVocabulary(d: Pick<DatasetSummary, 'params'>): string | null {
  const t = textFacts(d)
  return t ? `${fmtInt(t.vocabularySize)}-${t.vocabulary === 'word' ? 'word' : 'character'} vocabulary` : null
}

const DELIMITERS: Record<string, string> = { ',': 'comma (,)', ';': 'semicolon (;)', '\t': 'tab', '|': 'pipe (|)' }
const THOUSANDS: Record<string, string> = { '': 'none', ',': 'comma (,)', '.': 'dot (.)', ' ': 'space', "'": "apostrophe (')" }
export const MISSING_LABELS: Record<string, string> = { interpolate: 'linear interpolation', ffill: 'forward-fill', drop: 'dropped rows' }

const DECIMALS: Record<string, string> = { '.': 'dot (.)', ',': 'comma (,)' }

/**
 * The options a CSV was read with, in words: what was chosen, else what the importer sniffed ("comma (,),
 * detected"); imports recorded before the sniffed values were kept say only "detected".
 */
export function importOptionFacts(summary: CsvImportSummary, o: ResolvedImportOptions): { label: string; value: string }[] {
  const read = summary.readWith
  const sniffed = (label: string | undefined): string => (label ? `${label}, detected` : 'detected')
  const yesNo = (v: boolean | undefined): string | undefined => (v === undefined ? undefined : v ? 'yes' : 'no')
  const facts = [
    { label: 'Delimiter', value: o.delimiter ? DELIMITERS[o.delimiter] : sniffed(read && DELIMITERS[read.delimiter]) },
    { label: 'Header row', value: yesNo(o.hasHeader) ?? sniffed(yesNo(read?.hasHeader)) },
    { label: 'Decimal separator', value: o.decimal ? DECIMALS[o.decimal] : sniffed(read && DECIMALS[read.decimal]) },
    {
      label: 'Thousands separator',
      value: o.thousands !== undefined ? THOUSANDS[o.thousands] : sniffed(read && THOUSANDS[read.thousands])
    },
    { label: 'Date column', value: o.dateColumn ?? summary.timeColumn ?? (o.dateParts ? Object.values(o.dateParts).join(' + ') : 'none') },
    { label: 'Date format', value: o.dateFormat ?? (summary.timeColumn ? sniffed(read?.dateFormat) : '—') },
    { label: 'Categorical columns', value: o.categorical === 'onehot' ? 'one-hot encoded' : 'left out' }
  ]
  if (read) facts.push({ label: 'Encoding', value: read.encoding })
  const roles = Object.entries(o.roles ?? {})
  if (roles.length) facts.push({ label: 'Column roles', value: roles.map(([c, r]) => `${c}: ${r}`).join(', ') })
  return facts
}
