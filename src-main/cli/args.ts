/** Argument helpers and exit codes shared by the CLI commands. */
import { ApiError } from '../../src-shared/errors'

export const EXIT = { ok: 0, failure: 1, refused: 2, interrupted: 130 } as const

/** A usage mistake: printed without a stack, exit code 2. */
export class UsageError extends Error {}

export function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`)
  return n
}

export function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`)
  return n
}

/** Exit code for an error: 2 for what the user can fix (bad input, refused file), else 1. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return EXIT.refused
  if ((err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')) return EXIT.refused
  if (err instanceof ApiError && ['VALIDATION', 'IMPORT', 'NOT_FOUND', 'CONFLICT', 'UNKNOWN_OPERATION'].includes(err.code))
    return EXIT.refused
  return EXIT.failure
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n')
}
