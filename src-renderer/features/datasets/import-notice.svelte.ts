/**
 * What the last import reported, handed from the Datasets page (where it ran) to the dataset page
 * (where the app goes next), which shows it once as a notice.
 */
import type { CsvImportSummary, TextStats } from '../../../src-shared/dataset-import'

export type ImportOutcome =
  | { kind: 'csv'; datasetId: string; name: string; duplicateOf: string | null; report: CsvImportSummary }
  | { kind: 'text'; datasetId: string; name: string; duplicateOf: string | null; report: TextStats }

class ImportNotice {
  last = $state.raw<ImportOutcome | null>(null)

  /** The outcome for this dataset, if the last import was for it. */
  for(datasetId: string): ImportOutcome | null {
    return this.last && this.last.datasetId === datasetId ? this.last : null
  }
}

export const importNotice = new ImportNotice()

/** Whitespace made visible for token tables: "␣" for a space, "⏎" for a newline, "⇥" for a tab. */
export function visibleToken(token: string): string {
  return (
    token
      .replace(/ /g, '␣')
      .replace(/\r\n|\n|\r/g, '⏎')
      .replace(/\t/g, '⇥') || '∅'
  )
}
