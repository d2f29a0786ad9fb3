/**
 * Which frames may call the core over IPC and where windows may navigate or redirect. Pure (no
 * electron import) so that the policy is unit-tested.
 */
import { isAppUrl } from './app-protocol'

export interface RendererLocation {
  /** The dev server URL (electron-vite dev), if any. */
  devUrl?: string
}

/** Our own page: `app://rnn-lab/…`, or the dev server's origin in development. Never `file://`. */
export function isTrustedRendererUrl(url: string | undefined, loc: RendererLocation): boolean {
  if (!url) return false
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (loc.devUrl && u.origin === new URL(loc.devUrl).origin) return true
  return isAppUrl(u)
}

/** Only http(s) links may leave the app, and only to the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}
