/** What a person chose in the import panel, and the importer options it makes. */
import type {
  ColumnRole,
  CsvDelimiter,
  DateFormat,
  DecimalSeparator,
  ImportOptions,
  MissingStrategy,
  TextEncodingName,
  TextImportOptions,
  ThousandsSeparator
} from '../../../src-shared/dataset-import'

/** CSV parsing choices; what is not set is sniffed. */
export type CsvParsing = {
  delimiter?: CsvDelimiter
  hasHeader?: boolean
  decimal?: DecimalSeparator
  thousands?: ThousandsSeparator
  dateFormat?: DateFormat
}

export type CsvChoices = {
  parsing: CsvParsing
  roles: Record<string, ColumnRole>
  missing: MissingStrategy
  categorical: 'onehot' | 'exclude'
}

export type TextChoices = {
  encoding: 'auto' | TextEncodingName
  vocabulary: 'char' | 'word'
  lowercase: boolean
  minFrequency: number | null
}

export const DEFAULT_TEXT_CHOICES: TextChoices = { encoding: 'auto', vocabulary: 'char', lowercase: false, minFrequency: 1 }

export function csvOptions(c: CsvChoices): ImportOptions {
  const o: ImportOptions = { missing: c.missing, categorical: c.categorical }
  const p = c.parsing
  if (p.delimiter !== undefined) o.delimiter = p.delimiter
  if (p.hasHeader !== undefined) o.hasHeader = p.hasHeader
  if (p.decimal !== undefined) o.decimal = p.decimal
  if (p.thousands !== undefined) o.thousands = p.thousands
  if (p.dateFormat !== undefined) o.dateFormat = p.dateFormat
  if (Object.keys(c.roles).length) o.roles = { ...c.roles }
  return o
}

export function textOptions(t: TextChoices): TextImportOptions {
  const o: TextImportOptions = { encoding: t.encoding, vocabulary: t.vocabulary, lowercase: t.lowercase }
  if (t.vocabulary === 'word' && t.minFrequency && t.minFrequency >= 1) o.minFrequency = Math.floor(t.minFrequency)
  return o
}
