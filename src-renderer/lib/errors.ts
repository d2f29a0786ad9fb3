/** Turn anything thrown by the client into text for an alert region. */
import { ApiError } from '../../src-shared/errors'

export interface ShownError {
  title: string
  message: string
  issues: { path: string; message: string }[]
}

const TITLES: Record<string, string> = {
  VALIDATION: 'Invalid input',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  UNAUTHORIZED: 'Not authorised',
  CANCELLED: 'Cancelled',
  IMPORT: 'Cannot import this file',
  UNKNOWN_OPERATION: 'Unsupported operation',
  INTERNAL: 'Something went wrong'
}

function issuesOf(details: unknown): ShownError['issues'] {
  if (!details || typeof details !== 'object' || !('issues' in details)) return []
  const list = (details as { issues: unknown }).issues
  if (!Array.isArray(list)) return []
  return list
    .filter((i): i is { path: unknown; message: unknown } => !!i && typeof i === 'object' && 'message' in i)
    .map((i) => ({ path: String(i.path ?? ''), message: String(i.message) }))
}

export function showError(err: unknown): ShownError {
  if (err instanceof ApiError) {
    return { title: TITLES[err.code] ?? 'Error', message: err.message, issues: issuesOf(err.details) }
  }
  return { title: 'Something went wrong', message: err instanceof Error ? err.message : String(err), issues: [] }
}
