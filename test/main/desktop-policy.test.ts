// The Electron shell's security policy, tested as pure functions: the Electron binary cannot run here
// (its download fails), so the window itself is covered by e2e/desktop.electron.spec.ts where it exists.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, resolveAppRequest } from '../../src-main/electron/app-protocol'
import { devToolsAllowed, viewMenu } from '../../src-main/electron/dev-tools-policy'
import { isExternalLink, isTrustedRendererUrl } from '../../src-main/electron/sender-policy'
import { denyAllPermissions, guardNavigation } from '../../src-main/electron/web-guards'
import { defaultDataDir } from '../../src-main/services/data-dir'

const indexFile = join('/opt', 'RNN Lab', 'resources', 'app', 'out', 'renderer', 'index.html')

describe('IPC sender check (policy only; no Electron binary here)', () => {
  it('trusts only our own renderer page, served on app://rnn-lab (never file://)', () => {
    expect(isTrustedRendererUrl(APP_ENTRY_URL, {})).toBe(true)
    expect(isTrustedRendererUrl(`${APP_ENTRY_URL}#/runs/abc`, {})).toBe(true)
    expect(isTrustedRendererUrl(pathToFileURL(indexFile).href, {})).toBe(false)
    expect(isTrustedRendererUrl('file:///tmp/evil.html', {})).toBe(false)
    expect(isTrustedRendererUrl('app://evil/index.html', {})).toBe(false)
    expect(isTrustedRendererUrl('https://example.com/', {})).toBe(false)
    expect(isTrustedRendererUrl(undefined, {})).toBe(false)
    expect(isTrustedRendererUrl('not a url', {})).toBe(false)
  })

  it('trusts the dev server origin only in development', () => {
    const loc = { devUrl: 'http://localhost:5173/' }
    expect(isTrustedRendererUrl('http://localhost:5173/#/runs', loc)).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5174/', loc)).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5173/', {})).toBe(false)
  })

  it('lets only http(s) links out to the system browser', () => {
    expect(isExternalLink('https://www.tensorflow.org/js')).toBe(true)
    expect(isExternalLink('file:///etc/passwd')).toBe(false)
    expect(isExternalLink('javascript:alert(1)')).toBe(false)
  })
})

describe('the app:// protocol (policy only)', () => {
  const root = mkdtempSync(join(tmpdir(), 'rnn-lab-app-'))
  mkdirSync(join(root, 'renderer', 'assets'), { recursive: true })
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html>')
  writeFileSync(join(root, 'renderer', 'assets', 'app.js'), '')
  writeFileSync(join(root, 'secret.txt'), 'secret')
  const dir = join(root, 'renderer')

  it('is a privileged standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true })
  })

  it('serves the built renderer and refuses path traversal and other hosts', () => {
    expect(resolveAppRequest(dir, APP_ENTRY_URL)).toBe(join(dir, 'index.html'))
    expect(resolveAppRequest(dir, 'app://rnn-lab/assets/app.js')).toBe(join(dir, 'assets', 'app.js'))
    for (const url of [
      'app://rnn-lab/../secret.txt',
      'app://rnn-lab/%2e%2e/secret.txt',
      'app://rnn-lab/assets/..%2f..%2fsecret.txt',
      'app://rnn-lab/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/hostname'
    ])
      expect(resolveAppRequest(dir, url) ?? '').not.toMatch(/secret|hostname/)
    expect(resolveAppRequest(dir, 'app://other/index.html')).toBeNull()
  })
})

describe('DevTools (policy only)', () => {
  const roles = (devTools: boolean) => (viewMenu(devTools).submenu as { role?: string }[]).map((i) => i.role)

  it('exist only in development: not in the shipped menu, not in webPreferences', () => {
    expect(devToolsAllowed(true)).toBe(false)
    expect(devToolsAllowed(false)).toBe(true)
    expect(devToolsAllowed(true, 'http://localhost:5173/')).toBe(true)
    expect(roles(false)).not.toContain('toggleDevTools')
    expect(roles(true)).toContain('toggleDevTools')
  })
})

describe('window guards (against fakes; no Electron binary here)', () => {
  it('deny every permission request and check', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {}
    denyAllPermissions({
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h)
    } as never)
    let granted: boolean | null = null
    ;(handlers.request as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)(null, 'media', (ok) => (granted = ok))
    expect(granted).toBe(false)
    expect((handlers.check as (...a: unknown[]) => boolean)(null, 'clipboard-read', 'app://rnn-lab')).toBe(false)
  })

  it('stop navigation and redirects away from our page, and deny new windows', () => {
    const on: Record<string, (e: { preventDefault(): void }, url: string) => void> = {}
    let openHandler: (d: { url: string }) => { action: string } = () => ({ action: 'allow' })
    const opened: string[] = []
    guardNavigation(
      { on: (name: string, fn: never) => (on[name] = fn), setWindowOpenHandler: (fn: never) => (openHandler = fn) } as never,
      {},
      (url) => opened.push(url)
    )
    const blocked = (name: string, url: string) => {
      let prevented = false
      on[name]({ preventDefault: () => (prevented = true) }, url)
      return prevented
    }
    for (const name of ['will-navigate', 'will-redirect']) {
      expect(blocked(name, 'https://evil.example/')).toBe(true)
      expect(blocked(name, 'file:///etc/passwd')).toBe(true)
      expect(blocked(name, 'app://rnn-lab/index.html#/runs')).toBe(false)
    }
    expect(openHandler({ url: 'https://www.tensorflow.org/js' })).toEqual({ action: 'deny' })
    expect(openHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://www.tensorflow.org/js'])
  })
})

describe('data folder', () => {
  it('is the same per-platform folder as Electron userData for "RNN Lab"', () => {
    const env = { HOME: '/home/ada' } as NodeJS.ProcessEnv
    expect(defaultDataDir(env, 'linux')).toMatch(/\.config\/RNN Lab$/)
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(join('/x', 'RNN Lab'))
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32')).toMatch(/RNN Lab$/)
    expect(defaultDataDir(env, 'darwin')).toMatch(/Library\/Application Support\/RNN Lab$/)
    expect(defaultDataDir({ RNN_LAB_DATA_DIR: '/data/lab' }, 'linux')).toBe('/data/lab')
  })
})
