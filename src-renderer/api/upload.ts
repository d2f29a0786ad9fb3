/**
 * Getting a file the user dropped or picked to the core as a `FileSource`:
 * - Electron: the preload's `grantForFile` registers the file's path in the main process and gives
 *   an opaque grant, which the core reads in place; the page never holds the path.
 * - Browser (`rnn-lab serve`): the bytes are POSTed to `UPLOAD_PATH`, which answers an upload id.
 */
import type { FileSource } from '../../src-shared/domain'
import { ApiError, fromWireError } from '../../src-shared/errors'
import { UPLOAD_PATH } from '../../src-shared/channels'
import { client } from './client'
import { getBridge } from './ipc-transport'
import { takeToken } from './token'

export interface UploadResult {
  uploadId: string
  name: string
  bytes: number
}

/** Uploads `file` to `serve`; `onProgress` gets (sent, total) bytes while it goes. */
export function uploadFile(
  file: File,
  onProgress?: (sent: number, total: number) => void,
  origin: string = location.origin
): Promise<UploadResult> {
  const token = takeToken()
  const url = new URL(`${UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`, origin)
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.withCredentials = true
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size)
    xhr.onerror = () => reject(new ApiError('INTERNAL', 'Cannot reach the RNN Lab server to upload the file'))
    xhr.onabort = () => reject(new ApiError('CANCELLED', 'Upload cancelled'))
    xhr.onload = () => {
      let body: unknown
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = undefined
      }
      const env = body as { ok?: boolean; result?: UploadResult; error?: unknown } | undefined
      if (env?.ok === true && env.result && typeof env.result.uploadId === 'string') return resolve(env.result)
      if (env?.ok === false) return reject(fromWireError(env.error))
      const code = xhr.status === 401 || xhr.status === 403 ? 'UNAUTHORIZED' : 'INTERNAL'
      reject(new ApiError(code, `Upload failed: HTTP ${xhr.status} ${xhr.statusText}`.trim()))
    }
    xhr.send(file)
  })
}

/** Where the core can read `file` from: its path under Electron, else an upload to `serve`. */
export async function sourceForFile(file: File, onProgress?: (sent: number, total: number) => void): Promise<FileSource> {
  const bridge = getBridge()
  if (client.transport === 'ipc') {
    const chosen = await bridge?.grantForFile?.(file)
    if (chosen) return { kind: 'grant', grant: chosen.grant }
    throw new ApiError(
      'VALIDATION',
      `Cannot read "${file.name}" from here: the desktop app did not give its path. Drop a file from your disk.`
    )
  }
  if (client.transport === 'http') {
    const up = await uploadFile(file, onProgress)
    return { kind: 'upload', uploadId: up.uploadId }
  }
  throw new ApiError('VALIDATION', 'This app cannot import files')
}
