/**
 * `GET /files/runs/<runId>/<file>?checkpoint=best|final` on `serve` (behind the token like every
 * request): a run's model (TF.js or Keras-named model.json + weights) or its predictions CSV, as a
 * download. The client names a run and one of RUN_FILES; the file comes from that run's folder.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { RUN_FILES_PATH } from '../../src-shared/channels'
import type { RunDetail } from '../../src-shared/domain'
import { ApiError } from '../../src-shared/errors'
import { isRunFile } from '../../src-shared/run-files'
import type { Dispatch } from '../services/dispatcher'
import { runFile } from '../services/run-files'

export function isRunDownload(pathname: string): boolean {
  return pathname.startsWith(`${RUN_FILES_PATH}/`)
}

export async function sendRunDownload(req: IncomingMessage, res: ServerResponse, url: URL, dispatch: Dispatch): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError('VALIDATION', 'Use GET to download a run file')
  const parts = url.pathname.slice(RUN_FILES_PATH.length + 1).split('/')
  const [id, file] = parts.map((p) => decodeURIComponent(p))
  if (parts.length !== 2 || !id || !file || !isRunFile(file)) throw new ApiError('NOT_FOUND', `No such run file: ${url.pathname}`)
  const checkpoint = url.searchParams.get('checkpoint') ?? 'best'
  if (checkpoint !== 'best' && checkpoint !== 'final') throw new ApiError('VALIDATION', 'checkpoint must be best or final')
  const envelope = await dispatch('runs.get', { id })
  if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message)
  const out = runFile(envelope.result as RunDetail, file, checkpoint)
  res.writeHead(200, {
    'Content-Type': out.contentType,
    'Content-Length': String(out.bytes),
    'Content-Disposition': `attachment; filename="${out.filename}"`,
    'Cache-Control': 'no-store'
  })
  if (req.method === 'HEAD') return void res.end()
  if (typeof out.body === 'string') return void res.end(out.body)
  out.body().pipe(res)
}
