/** Dataset import library: CSV and text import, previews, generators. Throws only ImportError. */
export { ImportError } from './import-error'
export { previewCsv, PREVIEW_ROWS } from './csv-preview'
export { importCsv, MAX_CATEGORIES, type CsvImportResult, type ImportedColumn, type ImportProgress } from './csv-import'
export { previewText, importText, MAX_TEXT_BYTES, type TextImportResult } from './text-import'
export { generateGbmStock, ORIGINAL_VERSE, type GbmStock, type GbmStockParams } from './generators'
export { writeSyntheticCsv } from './synthetic-csv'
export { UNK } from './vocabulary'
