/**
 * Which requests reach the app: loopback Host names only (DNS rebinding), and for anything but GET a
 * declared JSON body (or octet-stream for uploads) from the page's own origin. A page on another port
 * of 127.0.0.1 is the same *site* (the SameSite cookie goes along), but never the same *origin*.
 */
import type { IncomingMessage } from 'node:http'
import { ApiError } from '../../src-shared/errors'

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
}

export function isAllowedHost(req: IncomingMessage, port: number): boolean {
  return allowedHosts(port).has(req.headers.host ?? '')
}

/** `Origin` is one of our own loopback origins, or the browser says the request is same-origin. */
export function isSameOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin
  if (origin) return [...allowedHosts(port)].some((h) => origin === `http://${h}`)
  return req.headers['sec-fetch-site'] === 'same-origin'
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
}

/** Why a state-changing request is refused (403), or null. `expected` is the media type it must declare. */
export function crossSiteRefusal(req: IncomingMessage, port: number, expected: string): ApiError | null {
  if (mediaType(req) !== expected) {
    return new ApiError('FORBIDDEN', `Requests must declare Content-Type: ${expected} (got "${mediaType(req) || 'none'}")`)
  }
  if (!isSameOrigin(req, port)) {
    return new ApiError('FORBIDDEN', `Cross-origin request refused (Origin "${req.headers.origin ?? 'none'}")`)
  }
  return null
}
