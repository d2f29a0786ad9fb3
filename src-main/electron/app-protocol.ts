/**
 * The renderer loads from `app://rnn-lab/…`, a privileged custom scheme (standard, secure), instead
 * of `file://`: the page's origin is its own, and it can reach only the built renderer's files. Pure
 * (no electron import) so that path traversal is unit-tested; main.ts registers and handles the scheme.
 */
import { resolveStatic } from '../services/renderer-files'

export const APP_SCHEME = 'app'
export const APP_HOST = 'rnn-lab'
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`
/** For `protocol.registerSchemesAsPrivileged` (before the app is ready). */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false }

export function isAppUrl(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST
}

/** The file of the built renderer that an `app://` request names, or null (other host, traversal, missing). */
export function resolveAppRequest(rendererDir: string, requestUrl: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (!isAppUrl(url)) return null
  return resolveStatic(rendererDir, url.pathname)
}
