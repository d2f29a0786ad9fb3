/**
 * The contract over HTTP + WebSocket on loopback (`rnn-lab serve`): `POST /api/<operation>` with a JSON
 * body answers an Envelope; `/events` is a WebSocket of contract events; everything else serves the
 * built renderer. Every request needs the token (header, query or the cookie set on first visit), and
 * every request that is not a GET must come from the page's own origin with its declared body type.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { HTTP_API_PREFIX, UPLOAD_PATH, WS_EVENTS_PATH } from '../../src-shared/contract'
import type { UploadStore } from '../services/uploads'
import { ApiError, toWireError, type Envelope } from '../../src-shared/errors'
import type { Dispatch } from '../services/dispatcher'
import type { EventBus } from '../services/event-bus'
import { isAuthorized, presentedToken, tokenCookie } from './auth'
import { httpStatusFor } from './http-status'
import { BodyTooLarge, parseJsonBody, readBody } from './json-body'
import { crossSiteRefusal, isAllowedHost, isSameOrigin } from './request-guard'
import { contentType, openStatic, resolveStatic } from '../services/renderer-files'
import { isRunDownload, sendRunDownload } from './run-downloads'
import { tokenPage, wantsTokenPage } from './token-page'

export { MAX_BODY_BYTES } from './json-body'

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

function setSecurityHeaders(res: ServerResponse, port: number): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(port))
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('X-Frame-Options', 'DENY')
}

/** Why a request may not reach the app at all (Host, token), or null. */
function entryRefusal(req: IncomingMessage, url: URL, token: string, port: number): ApiError | null {
  // DNS-rebinding guard: only loopback host names reach the app.
  if (!isAllowedHost(req, port)) return new ApiError('UNAUTHORIZED', 'Unexpected Host header')
  if (!isAuthorized(req, url, token)) {
    return new ApiError('UNAUTHORIZED', 'Missing or wrong token: open the URL that `rnn-lab serve` printed')
  }
  return null
}

function operationName(url: URL): string {
  try {
    return decodeURIComponent(url.pathname.slice(HTTP_API_PREFIX.length))
  } catch {
    throw new ApiError('VALIDATION', 'The operation name in the URL is not valid percent-encoding')
  }
}

async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, options: ServeOptions, port: number) {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST')
    return send(res, 405, { ok: false, error: { code: 'VALIDATION', message: 'Use POST for API calls' } })
  }
  const refused = crossSiteRefusal(req, port, 'application/json')
  if (refused) return sendError(res, refused)
  const op = operationName(url)
  const args = parseJsonBody(await readBody(req))
  const envelope = await options.dispatch(op, args)
  send(res, envelope.ok ? 200 : httpStatusFor(envelope.error.code), envelope)
}

async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL, uploads: Pick<UploadStore, 'save'>, port: number) {
  if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'VALIDATION', message: 'Use POST to upload' } })
  const refused = crossSiteRefusal(req, port, 'application/octet-stream')
  if (refused) return sendError(res, refused)
  const saved = await uploads.save(url.searchParams.get('name') ?? 'upload', req)
  send(res, 200, { ok: true, result: saved })
}

function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL, options: ServeOptions): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed', 'text/plain')
  const file = resolveStatic(options.rendererDir, url.pathname)
  if (!file) return send(res, 404, 'Not found', 'text/plain')
  // The first visit carries ?token=; a cookie keeps the session for the page's own requests.
  if (url.searchParams.has('token')) res.setHeader('Set-Cookie', tokenCookie(options.token))
  res.writeHead(200, { 'Content-Type': contentType(file), 'Cache-Control': 'no-cache' })
  if (req.method === 'HEAD') return void res.end()
  openStatic(file).pipe(res)
}

/** A browser without the token: a page that says where the link is (401, not the app). */
function sendTokenPage(req: IncomingMessage, res: ServerResponse, url: URL): void {
  res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(req.method === 'HEAD' ? undefined : tokenPage(presentedToken(req, url) !== null))
}

function sendFailure(res: ServerResponse, err: unknown): void {
  const apiErr = err instanceof ApiError ? err : new ApiError('INTERNAL', toWireError(err).message)
  if (res.headersSent) res.destroy()
  else if (err instanceof BodyTooLarge) {
    res.setHeader('Connection', 'close')
    send(res, 413, { ok: false, error: apiErr.toWire() })
  } else sendError(res, apiErr)
}

function requestHandler(options: ServeOptions, port: () => number) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(res, port())
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const refused = entryRefusal(req, url, options.token, port())
    if (refused && isAllowedHost(req, port()) && wantsTokenPage(req, url)) return sendTokenPage(req, res, url)
    if (refused) return sendError(res, refused)
    try {
      if (url.pathname.startsWith(HTTP_API_PREFIX)) return await handleApi(req, res, url, options, port())
      if (url.pathname === UPLOAD_PATH && options.uploads) return await handleUpload(req, res, url, options.uploads, port())
      if (isRunDownload(url.pathname)) return await sendRunDownload(req, res, url, options.dispatch)
      serveStatic(req, res, url, options)
    } catch (err) {
      sendFailure(res, err)
    }
  }
}

/** The events WebSocket: same Host, token and Origin checks as the API; answers 401 otherwise. */
function bindEvents(server: Server, options: ServeOptions, port: () => number): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  const sockets = new Set<WebSocket>()
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const crossOrigin = req.headers.origin !== undefined && !isSameOrigin(req, port())
    if (url.pathname !== WS_EVENTS_PATH || crossOrigin || entryRefusal(req, url, options.token, port())) {
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
  return () => {
    unsubscribe()
    for (const ws of sockets) ws.terminate()
    wss.close()
  }
}

export function startServer(options: ServeOptions): Promise<RunningServer> {
  let port = options.port ?? 0
  const server = createServer(requestHandler(options, () => port))
  const closeEvents = bindEvents(server, options, () => port)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, options.host ?? '127.0.0.1', () => {
      const bound = server.address() as AddressInfo
      port = bound.port
      const close = () =>
        new Promise<void>((done) => {
          closeEvents()
          server.closeAllConnections()
          server.close(() => done())
        })
      resolve({ url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(options.token)}`, port, address: bound.address, close })
    })
  })
}
