/**
 * A dataset's stored `params_json` read back as typed `DatasetParams`. Rows written before params
 * carried their `origin` get it from the dataset's source (`generated:sine`, `csv:<file>`, …); what
 * no longer fits the schema reads as null (the dataset itself still opens) instead of failing a list.
 */
import { DatasetParams } from '../../src-shared/domain'

/** The origin a pre-typed row had, from its source column. */
function originOf(source: string): DatasetParams['origin'] | null {
  if (source === 'generated:sine') return 'sine'
  if (source === 'generated:gbm') return 'gbm'
  if (source.startsWith('csv:')) return 'csv'
  if (source.startsWith('text:') || source === 'generated:verse') return 'text'
  return null
}

export function readDatasetParams(source: string, json: string | null): DatasetParams | null {
  if (!json) return null
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return null
  }
  if (!raw || typeof raw !== 'object') return null
  const origin = 'origin' in raw ? raw.origin : originOf(source)
  const parsed = DatasetParams.safeParse({ ...raw, origin })
  return parsed.success ? parsed.data : null
}
