/**
 * Errors that cross a transport boundary. They travel as plain `{code, message, details}` objects
 * (IPC and JSON cannot carry Error instances) and are rebuilt as `ApiError` on the client side.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_OPERATION',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHORIZED',
  'CANCELLED',
  /** A file the importer refuses (details: file, line, column, importCode). */
  'IMPORT',
  /** The data folder cannot be written: disk full, read-only, permissions. Nothing was saved. */
  'STORAGE',
  /** An operation only the desktop app offers (native dialogs), asked of `serve`. */
  'NOT_AVAILABLE',
  /** A path outside the data folder that the person did not grant (dialog, drop, command line). */
  'FORBIDDEN',
  'INTERNAL'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface WireError {
  code: ErrorCode
  message: string
  details?: unknown
}

export class ApiError extends Error {
  readonly code: ErrorCode
  readonly details: unknown
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.details = details
  }
  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

export function toWireError(err: unknown): WireError {
  if (err instanceof ApiError) return err.toWire()
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message }
}

export function fromWireError(wire: unknown): ApiError {
  if (wire && typeof wire === 'object' && 'code' in wire && 'message' in wire) {
    const w = wire as WireError
    const code = (ERROR_CODES as readonly string[]).includes(w.code) ? w.code : 'INTERNAL'
    return new ApiError(code, String(w.message), w.details)
  }
  return new ApiError('INTERNAL', 'Malformed error from the server')
}

/** What every transport returns for one call: a result or a wire error, never a thrown Error. */
export type Envelope<T = unknown> = { ok: true; result: T } | { ok: false; error: WireError }
