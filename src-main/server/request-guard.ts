/**
 * Which requests reach the app: loopback Host names only (DNS rebinding), and for anything but GET a
 * declared JSON body (or octet-stream for uploads) from the page's own origin (or from a script with the
 * token in its Authorization header). A page on another port
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

/**
 * A script or tool (no Origin, no Sec-Fetch-Site: not a browser) presenting the token in the
 * Authorization header. No page can make a browser send that header cross-origin without a CORS
 * preflight, which `serve` never grants, so such a request cannot be a cross-site forgery.
 */
function isScriptWithBearer(req: IncomingMessage): boolean {
  const h = req.headers
  return h.origin === undefined && h['sec-fetch-site'] === undefined && (h.authorization ?? '').startsWith('Bearer ')
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
}

/** Why a state-changing request is refused (403), or null. `expected` is the media type it must declare. */
export function crossSiteRefusal(req: IncomingMessage, port: number, expected: string): ApiError | null {
  if (mediaType(req) !== expected) {
    return new ApiError('FORBIDDEN', `Requests must declare Content-Type: ${expected} (got "${mediaType(req) || 'none'}")`)
  }
  if (!isSameOrigin(req, port) && !isScriptWithBearer(req)) {
    return new ApiError('FORBIDDEN', `Cross-origin request refused (Origin "${req.headers.origin ?? 'none'}")`)
  }
  return null
}
