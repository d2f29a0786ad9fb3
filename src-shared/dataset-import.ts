/**
 * What the dataset importer understood about a file (preview) and what the user chose (options).
 * Shared by the main process (src-main/data/) and the renderer's import dialog.
 *
 * All schemas are strict and field-named, so validation messages name the offending field.
 */
import { z } from 'zod'

/** Error codes carried by `ImportError` (src-main/data/import-error.ts). */
export const IMPORT_ERROR_CODES = [
  'NOT_FOUND',
  'NOT_A_FILE',
  'IO',
  'EMPTY_FILE',
  'HEADER_ONLY',
  'BINARY_FILE',
  'INVALID_ENCODING',
  'TOO_LARGE',
  'MALFORMED_CSV',
  'RAGGED_ROW',
  'NOT_A_NUMBER',
  'NO_NUMBERS',
  'BAD_DATE',
  'DATE_ORDER_AMBIGUOUS',
  'NO_TIME_COLUMN',
  'UNKNOWN_COLUMN',
  'INVALID_OPTIONS',
  'NO_DATA',
  'INTERNAL'
] as const
export const ImportErrorCode = z.enum(IMPORT_ERROR_CODES)
export type ImportErrorCode = z.infer<typeof ImportErrorCode>

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const
export const CsvDelimiter = z.enum(CSV_DELIMITERS)
export type CsvDelimiter = z.infer<typeof CsvDelimiter>

export const DecimalSeparator = z.enum(['.', ','])
export type DecimalSeparator = z.infer<typeof DecimalSeparator>

/** '' means "no thousands separator". */
export const ThousandsSeparator = z.enum([',', '.', ' ', "'", ''])
export type ThousandsSeparator = z.infer<typeof ThousandsSeparator>

export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'euc-kr'] as const
export const TextEncodingName = z.enum(TEXT_ENCODINGS)
export type TextEncodingName = z.infer<typeof TextEncodingName>

export const LineEnding = z.enum(['lf', 'crlf', 'cr', 'none'])
export type LineEnding = z.infer<typeof LineEnding>

/**
 * Fixed date formats the importer parses (src-main/data/dates.ts).
 * - Every day-bearing format also accepts a time of day after a space or `T` (`HH:mm[:ss[.sss]]`,
 *   optionally `Z` or `±hh:mm`); without an offset, times are taken as UTC.
 * - `Y-MM` is the shampoo style (`1-01` … `3-12`): year-in-series + month, mapped to 2000+Y
 *   (`1-01` → 2001-01-01), so the series keeps a real monthly calendar.
 * - `YYYY` is a bare year (column must be named like a date/year).
 * - `parts` means separate year/month/day/hour columns (`ImportOptions.dateParts`).
 */
export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYY/MM/DD',
  'YYYY.MM.DD',
  'MM/DD/YYYY',
  'DD/MM/YYYY',
  'MM-DD-YYYY',
  'DD-MM-YYYY',
  'DD.MM.YYYY',
  'YYYY-MM',
  'YYYY/MM',
  'YYYY',
  'Y-MM',
  'parts'
] as const
export const DateFormat = z.enum(DATE_FORMATS)
export type DateFormat = z.infer<typeof DateFormat>

/** The formats tried when sniffing a date column, most specific first (a bare `YYYY` only on request). */
export const SNIFFED_DATE_FORMATS = DATE_FORMATS.filter((f): f is Exclude<DateFormat, 'parts' | 'YYYY'> => f !== 'parts' && f !== 'YYYY')

export const InferredType = z.enum(['number', 'time', 'category', 'text', 'empty'])
export type InferredType = z.infer<typeof InferredType>

export const ColumnRole = z.enum(['time', 'feature', 'target', 'categorical', 'ignored'])
export type ColumnRole = z.infer<typeof ColumnRole>

export const MissingStrategy = z.enum(['drop', 'ffill', 'interpolate'])
export type MissingStrategy = z.infer<typeof MissingStrategy>

export const DateParts = z.strictObject({
  year: z.string().min(1),
  month: z.string().min(1),
  day: z.string().min(1).optional(),
  hour: z.string().min(1).optional()
})
export type DateParts = z.infer<typeof DateParts>

export const PreviewColumn = z.strictObject({
  name: z.string(),
  index: z.number().int().nonnegative(),
  inferredType: InferredType,
  role: ColumnRole,
  /** Only for inferredType 'time' (or date-part columns: 'parts'). */
  dateFormat: DateFormat.optional(),
  /** Missing values (empty, NA, N/A, null, NaN, `-`) among the sampled rows. */
  missing: z.number().int().nonnegative(),
  /** Values carry a currency sign (`$`, `€`, `£`, `¥`) or a percent sign. */
  unit: z.enum(['currency', 'percent']).optional(),
  /** Distinct values in the sample (categorical columns only). */
  categories: z.array(z.string()).optional(),
  samples: z.array(z.string()).max(5)
})
export type PreviewColumn = z.infer<typeof PreviewColumn>

/** What was understood about a CSV file before anything is stored. */
export const ImportPreview = z.strictObject({
  file: z.string(),
  kind: z.literal('csv'),
  bytes: z.number().int().nonnegative(),
  delimiter: CsvDelimiter,
  hasHeader: z.boolean(),
  decimal: DecimalSeparator,
  thousands: ThousandsSeparator,
  encoding: TextEncodingName,
  bom: z.boolean(),
  lineEnding: LineEnding,
  columns: z.array(PreviewColumn),
  /** Suggested split date columns (e.g. Beijing pollution's year/month/day/hour). */
  dateParts: DateParts.optional(),
  /** Up to 20 data rows as parsed strings. */
  firstRows: z.array(z.array(z.string())).max(20),
  /**
   * The same rows as the import will read them: numbers parsed with the sniffed (or chosen) format,
   * times as ISO strings, other cells as they are; null for a missing or unreadable cell.
   */
  firstValues: z.array(z.array(z.union([z.number(), z.string(), z.null()]))).max(20),
  /** Order of the time column in the sampled rows: 'descending' (newest first) is reversed on import. */
  timeOrder: z.enum(['ascending', 'descending', 'unsorted']).nullable(),
  warnings: z.array(z.string()),
  /** True when MM/DD vs DD/MM cannot be decided from the sample: import needs an explicit dateFormat. */
  dateOrderAmbiguous: z.boolean(),
  /** Data rows: counted over the whole file when rowEstimateExact, else estimated from the sample's bytes per row. */
  rowEstimate: z.number().int().nonnegative(),
  rowEstimateExact: z.boolean()
})
export type ImportPreview = z.infer<typeof ImportPreview>

/**
 * The user's choices for a CSV import. Everything is optional; what is not given is sniffed.
 * - `missing` defaults to 'interpolate' (linear in time, or in row order without a time column).
 *   Leading/trailing gaps that cannot be interpolated or forward-filled are back-filled
 *   (filled from the nearest valid value), so no rows are lost; choose 'drop' to lose them instead.
 * - `categorical` defaults to 'onehot': one 0/1 column per category, named `column=value`.
 * - `roles` overrides the suggested role of any column by name.
 */
export const ImportOptions = z.strictObject({
  delimiter: CsvDelimiter.optional(),
  hasHeader: z.boolean().optional(),
  decimal: DecimalSeparator.optional(),
  thousands: ThousandsSeparator.optional(),
  dateColumn: z.string().min(1).optional(),
  dateParts: DateParts.optional(),
  dateFormat: DateFormat.optional(),
  missing: MissingStrategy.default('interpolate'),
  roles: z.record(z.string(), ColumnRole).optional(),
  categorical: z.enum(['onehot', 'exclude']).default('onehot')
})
/** Options as callers write them (defaults not yet applied). */
export type ImportOptions = z.input<typeof ImportOptions>
/** Options after validation, defaults applied. */
export type ResolvedImportOptions = z.output<typeof ImportOptions>

export const TimeGapReport = z.strictObject({
  count: z.number().int().nonnegative(),
  /** Up to 5 examples as ISO strings: the timestamp before the gap and the one after. */
  examples: z.array(z.strictObject({ after: z.string(), before: z.string() })).max(5)
})
export const DuplicateReport = z.strictObject({
  count: z.number().int().nonnegative(),
  examples: z.array(z.string()).max(5)
})

/** JSON-safe summary of a finished CSV import (the typed arrays stay in the main process). */
/** How a CSV was read, whether the person chose it or the importer sniffed it. */
export const CsvReadWith = z.strictObject({
  encoding: z.string(),
  delimiter: z.string(),
  hasHeader: z.boolean(),
  decimal: z.string(),
  thousands: z.string(),
  /** The time column's date format ('parts' for year/month/… columns); absent without time. */
  dateFormat: z.string().optional()
})
export type CsvReadWith = z.infer<typeof CsvReadWith>

export const CsvImportSummary = z.strictObject({
  file: z.string(),
  rows: z.number().int().nonnegative(),
  columns: z.array(z.strictObject({ name: z.string(), type: z.enum(['number', 'time']), role: ColumnRole })),
  timeColumn: z.string().optional(),
  timeRange: z.strictObject({ start: z.string(), end: z.string() }).optional(),
  descending: z.boolean(),
  duplicates: DuplicateReport,
  gaps: TimeGapReport,
  missing: z.record(z.string(), z.number().int().nonnegative()),
  /** Values too large to be a number (`1e400`), per column; filled like missing values. */
  invalid: z.record(z.string(), z.number().int().nonnegative()).default({}),
  missingStrategy: MissingStrategy,
  droppedRows: z.number().int().nonnegative(),
  warnings: z.array(z.string()),
  categories: z.record(z.string(), z.array(z.string())).optional(),
  /** What the file was read with, chosen or sniffed (imports before it was recorded lack it). */
  readWith: CsvReadWith.optional()
})
export type CsvImportSummary = z.infer<typeof CsvImportSummary>

/**
 * Text import choices.
 * - `encoding` 'auto' (default): BOM, then UTF-16 NUL pattern, then valid UTF-8, then EUC-KR/CP949.
 * - `vocabulary` 'char' (default) tokenizes on Unicode code points (`charUnit: 'codepoint'`), or on
 *   grapheme clusters (`charUnit: 'grapheme'`, Intl.Segmenter: keeps emoji ZWJ sequences and
 *   combining marks whole, slower). 'word' splits into words and single punctuation marks.
 * - `minFrequency` (word level only): rarer words become `<unk>`.
 */
export const TextImportOptions = z.strictObject({
  encoding: z.enum(['auto', ...TEXT_ENCODINGS]).default('auto'),
  vocabulary: z.enum(['char', 'word']).default('char'),
  charUnit: z.enum(['codepoint', 'grapheme']).default('codepoint'),
  lowercase: z.boolean().default(false),
  minFrequency: z.number().int().min(1).default(1)
})
export type TextImportOptions = z.input<typeof TextImportOptions>
export type ResolvedTextImportOptions = z.output<typeof TextImportOptions>

export const TokenCount = z.strictObject({ token: z.string(), count: z.number().int().nonnegative() })
export type TokenCount = z.infer<typeof TokenCount>

/** What was understood about a text file from its head. */
export const TextPreview = z.strictObject({
  file: z.string(),
  kind: z.literal('text'),
  bytes: z.number().int().nonnegative(),
  encoding: TextEncodingName,
  bom: z.boolean(),
  lineEnding: LineEnding,
  /** The first ~2,000 characters, decoded. */
  sample: z.string(),
  /** Vocabulary of the sampled head only. */
  sampleVocabularySize: z.number().int().nonnegative(),
  /** Length in characters (code points), estimated from the head (exact when the whole file was read). */
  lengthEstimate: z.number().int().nonnegative(),
  warnings: z.array(z.string())
})
export type TextPreview = z.infer<typeof TextPreview>

/** JSON-safe statistics of an imported text. */
export const TextStats = z.strictObject({
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  encoding: TextEncodingName,
  bom: z.boolean(),
  /** Characters as Unicode code points (after lower-casing when chosen). */
  length: z.number().int().nonnegative(),
  vocabulary: z.enum(['char', 'word']),
  vocabularySize: z.number().int().nonnegative(),
  tokenCount: z.number().int().nonnegative(),
  unknownCount: z.number().int().nonnegative(),
  topTokens: z.array(TokenCount).max(20),
  warnings: z.array(z.string())
})
export type TextStats = z.infer<typeof TextStats>
