import { ImportOptions as ImportOptionsSchema, type ImportOptions, type ImportPreview } from '../../src-shared/dataset-import'
import { SNIFF_MIN_LINES, sniffCsv } from './csv-sniff'
import { readSniffHead } from './file-head'
import { parseOptions, toImportError } from './import-error'

/** Rows shown in a preview. */
export const PREVIEW_ROWS = 20

/**
 * What the importer understands about a CSV file, from its head only (64 KiB, more for very wide rows;
 * the rest is not read): delimiter, header, number format, encoding, columns with types and suggested roles,
 * the first 20 rows and warnings. `options` re-previews with the user's choices applied.
 * Throws only ImportError.
 */
export async function previewCsv(path: string, options: ImportOptions = {}): Promise<ImportPreview> {
  try {
    const opts = parseOptions(ImportOptionsSchema, options, path)
    const head = await readSniffHead(path, SNIFF_MIN_LINES)
    const s = sniffCsv(head, opts)
    const warnings = [...s.warnings]
    if (s.dateOrderAmbiguous) {
      warnings.push('Dates could be month-first or day-first; choose a date format before importing.')
    }
    return {
      file: head.path.split(/[\\/]/).pop() ?? head.path,
      kind: 'csv',
      bytes: head.size,
      delimiter: s.delimiter,
      hasHeader: s.hasHeader,
      decimal: s.format.decimal,
      thousands: s.format.thousands,
      encoding: s.encoding.encoding,
      bom: s.encoding.bom,
      lineEnding: s.lineEnding,
      columns: s.columns.map(({ dateAmbiguous: _a, ...c }) => c),
      ...(s.dateParts ? { dateParts: s.dateParts } : {}),
      firstRows: s.rows.slice(0, PREVIEW_ROWS),
      warnings,
      dateOrderAmbiguous: s.dateOrderAmbiguous,
      rowEstimate: s.rowEstimate,
      rowEstimateExact: s.rowEstimateExact
    }
  } catch (err) {
    throw toImportError(err, path)
  }
}
