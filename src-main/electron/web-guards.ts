/**
 * The window's guards from Electron's security checklist, written against the few methods they use
 * (type-only electron import) so that they are unit-tested with fakes: every permission denied, asked
 * or checked; no navigation or redirect away from our page; no new windows (http(s) links go to the
 * system browser).
 */
import type { Session, WebContents } from 'electron'
import { isExternalLink, isTrustedRendererUrl, type RendererLocation } from './sender-policy'

export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

type Guarded = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

export function guardNavigation(wc: Guarded, renderer: RendererLocation, openExternal: (url: string) => void): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!isTrustedRendererUrl(url, renderer)) event.preventDefault()
  }
  wc.on('will-navigate', guard)
  wc.on('will-redirect', guard)
  wc.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url)
    return { action: 'deny' }
  })
}
