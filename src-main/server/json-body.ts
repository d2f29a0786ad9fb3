/** Request bodies of the HTTP binding: size-limited, parsed as JSON, nesting bounded (never a 500). */
import type { IncomingMessage } from 'node:http'
import { ApiError } from '../../src-shared/errors'

export const MAX_BODY_BYTES = 1024 * 1024
/** Far deeper than any request of the contract; deeper values would exhaust the stack downstream. */
export const MAX_JSON_DEPTH = 64

export class BodyTooLarge extends ApiError {
  constructor() {
    super('VALIDATION', `Request body larger than ${MAX_BODY_BYTES} bytes`)
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data')
        req.resume() // drain and discard the rest
        reject(new BodyTooLarge())
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** True when `value` nests objects or arrays deeper than `max` (checked without recursion). */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (depth > max) return true
    for (const child of Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}

/** The parsed body ({} when empty); VALIDATION when it is not JSON or nests too deep. */
export function parseJsonBody(text: string): unknown {
  if (!text.trim()) return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    if (err instanceof RangeError) throw new ApiError('VALIDATION', `Request body is nested deeper than ${MAX_JSON_DEPTH} levels`)
    throw new ApiError('VALIDATION', `Request body is not valid JSON: ${(err as Error).message}`)
  }
  if (nestedDeeperThan(value, MAX_JSON_DEPTH))
    throw new ApiError('VALIDATION', `Request body is nested deeper than ${MAX_JSON_DEPTH} levels`)
  return value
}
