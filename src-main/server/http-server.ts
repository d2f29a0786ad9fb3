/**
 * The contract over HTTP + WebSocket on loopback (`rnn-lab serve`): `POST /api/<operation>` with a JSON
 * body answers an Envelope; `/events` is a WebSocket of contract events; everything else serves the
 * built renderer. Every request needs the token (header, query or the cookie set on first visit).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { HTTP_API_PREFIX, UPLOAD_PATH, WS_EVENTS_PATH } from '../../src-shared/contract'
import type { UploadStore } from '../services/uploads'
import { ApiError, toWireError, type Envelope } from '../../src-shared/errors'
import type { Dispatch } from '../services/dispatcher'
import { httpStatusFor } from '../services/dispatcher'
import type { EventBus } from '../services/event-bus'
import { isAuthorized, tokenCookie } from './auth'
import { isRunDownload, sendRunDownload } from './run-downloads'
import { contentType, openStatic, resolveStatic } from './static-files'

export const MAX_BODY_BYTES = 1024 * 1024

export interface ServeOptions {
  dispatch: Dispatch
  events: EventBus
  token: string
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string
  port?: number
  host?: string
  /** Stores an uploaded file for import (`POST /upload?name=…`, raw body). */
  uploads?: Pick<UploadStore, 'save'>
}

export interface RunningServer {
  url: string
  port: number
  /** The address the socket is bound to. */
  address: string
  close(): Promise<void>
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'"
  ].join('; ')
}

function send(res: ServerResponse, status: number, body: Envelope | string, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' })
  res.end(text)
}

function sendError(res: ServerResponse, err: ApiError): void {
  send(res, httpStatusFor(err.code), { ok: false, error: err.toWire() })
}

class BodyTooLarge extends ApiError {
  constructor() {
    super('VALIDATION', `Request body larger than ${MAX_BODY_BYTES} bytes`)
  }
}

function readBody(req: IncomingMessage): Promise<string> {
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

export function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  let port = options.port ?? 0
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])

  const server = createServer(async (req, res) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(port))
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('X-Frame-Options', 'DENY')
    // DNS-rebinding guard: only loopback host names reach the app.
    if (!allowedHosts().has(req.headers.host ?? '')) {
      return sendError(res, new ApiError('UNAUTHORIZED', 'Unexpected Host header'))
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
    if (!isAuthorized(req, url, options.token)) {
      return sendError(res, new ApiError('UNAUTHORIZED', 'Missing or wrong token: open the URL that `rnn-lab serve` printed'))
    }
    try {
      if (url.pathname.startsWith(HTTP_API_PREFIX)) {
        if (req.method !== 'POST') {
          res.setHeader('Allow', 'POST')
          return send(res, 405, { ok: false, error: { code: 'VALIDATION', message: 'Use POST for API calls' } })
        }
        const op = decodeURIComponent(url.pathname.slice(HTTP_API_PREFIX.length))
        const text = await readBody(req)
        let args: unknown = {}
        if (text.trim()) {
          try {
            args = JSON.parse(text)
          } catch (err) {
            throw new ApiError('VALIDATION', `Request body is not valid JSON: ${(err as Error).message}`)
          }
        }
        const envelope = await options.dispatch(op, args)
        return send(res, envelope.ok ? 200 : httpStatusFor(envelope.error.code), envelope)
      }
      if (url.pathname === UPLOAD_PATH && options.uploads) {
        if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'VALIDATION', message: 'Use POST to upload' } })
        const name = url.searchParams.get('name') ?? 'upload'
        const saved = await options.uploads.save(name, req)
        return send(res, 200, { ok: true, result: saved })
      }
      if (isRunDownload(url.pathname)) return await sendRunDownload(req, res, url, options.dispatch)
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed', 'text/plain')
      const file = resolveStatic(options.rendererDir, url.pathname)
      if (!file) return send(res, 404, 'Not found', 'text/plain')
      // The first visit carries ?token=; a cookie keeps the session for the page's own requests.
      if (url.searchParams.has('token')) res.setHeader('Set-Cookie', tokenCookie(options.token))
      res.writeHead(200, { 'Content-Type': contentType(file), 'Cache-Control': 'no-cache' })
      if (req.method === 'HEAD') return res.end()
      openStatic(file).pipe(res)
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError('INTERNAL', toWireError(err).message)
      if (res.headersSent) res.destroy()
      else if (err instanceof BodyTooLarge) {
        res.setHeader('Connection', 'close')
        send(res, 413, { ok: false, error: apiErr.toWire() })
      } else sendError(res, apiErr)
    }
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  const sockets = new Set<WebSocket>()
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
    const origin = req.headers.origin
    const originOk = !origin || [...allowedHosts()].some((h) => origin === `http://${h}`)
    if (
      url.pathname !== WS_EVENTS_PATH ||
      !allowedHosts().has(req.headers.host ?? '') ||
      !originOk ||
      !isAuthorized(req, url, options.token)
    ) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('error', () => sockets.delete(ws))
    })
  })
  const unsubscribe = options.events.subscribe((event) => {
    const text = JSON.stringify({ event: event.name, payload: event.payload })
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text)
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const bound = server.address() as AddressInfo
      port = bound.port
      resolve({
        url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(options.token)}`,
        port,
        address: bound.address,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe()
            for (const ws of sockets) ws.terminate()
            wss.close()
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
}
