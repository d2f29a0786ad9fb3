/**
 * The single entry point both transports call: finds the operation, validates the raw request with
 * the contract's schema, runs the handler and returns an Envelope. No transport has logic of its own.
 */
import { ApiError, toWireError, type Envelope } from '../../src-shared/errors'
import { OPERATION_NAMES, isOperationName, operations, type Handlers } from '../../src-shared/contract'
import { parseOrThrow } from '../../src-shared/validation'
import { damagedDatabaseError, isDamagedDatabase, isStorageError, storageError } from '../store/storage-errors'

export type Dispatch = (op: unknown, args: unknown) => Promise<Envelope>

export function createDispatcher(
  handlers: Handlers,
  log: (msg: string, err: unknown) => void = console.error,
  databasePath = 'of this data folder'
): Dispatch {
  return async (op, args) => {
    try {
      if (!isOperationName(op)) {
        throw new ApiError('UNKNOWN_OPERATION', `Unknown operation "${String(op)}"`, { known: OPERATION_NAMES })
      }
      const request = parseOrThrow(operations[op].request, args ?? {}, `request for "${op}"`)
      const handler = handlers[op] as (req: unknown) => Promise<unknown>
      return { ok: true, result: await handler(request) }
    } catch (caught) {
      const err = isStorageError(caught)
        ? storageError(caught, String(op))
        : isDamagedDatabase(caught)
          ? damagedDatabaseError(caught, databasePath)
          : caught
      const wire = toWireError(err)
      if (wire.code === 'INTERNAL') log(`rnn-lab: ${String(op)} failed:`, err)
      return { ok: false, error: wire }
    }
  }
}
