/**
 * Which frames may call the core over IPC and where windows may navigate. Pure (no electron import) so
 * that the policy is unit-tested.
 */
import { pathToFileURL } from 'node:url'

export interface RendererLocation {
  /** The dev server URL (electron-vite dev), if any. */
  devUrl?: string
  /** The built renderer's index.html. */
  indexFile: string
}

export function isTrustedRendererUrl(url: string | undefined, loc: RendererLocation): boolean {
  if (!url) return false
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (loc.devUrl) {
    const dev = new URL(loc.devUrl)
    if (u.origin === dev.origin) return true
  }
  const index = pathToFileURL(loc.indexFile)
  return u.protocol === 'file:' && u.pathname === index.pathname
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
