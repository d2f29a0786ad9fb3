// The Electron shell's security policy, tested as pure functions: the Electron binary cannot run here
// (its download fails), so the window itself is covered by e2e/desktop.electron.spec.ts where it exists.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isExternalLink, isTrustedRendererUrl } from '../../src-main/electron/sender-policy'
import { defaultDataDir } from '../../src-main/services/data-dir'

const indexFile = join('/opt', 'RNN Lab', 'resources', 'app', 'out', 'renderer', 'index.html')

describe('IPC sender check (policy only; no Electron binary here)', () => {
  it('trusts only our own renderer page', () => {
    const own = pathToFileURL(indexFile).href
    expect(isTrustedRendererUrl(own, { indexFile })).toBe(true)
    expect(isTrustedRendererUrl(`${own}#/runs/abc`, { indexFile })).toBe(true)
    expect(isTrustedRendererUrl('file:///tmp/evil.html', { indexFile })).toBe(false)
    expect(isTrustedRendererUrl('https://example.com/', { indexFile })).toBe(false)
    expect(isTrustedRendererUrl(undefined, { indexFile })).toBe(false)
    expect(isTrustedRendererUrl('not a url', { indexFile })).toBe(false)
  })

  it('trusts the dev server origin only in development', () => {
    const loc = { indexFile, devUrl: 'http://localhost:5173/' }
    expect(isTrustedRendererUrl('http://localhost:5173/#/runs', loc)).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5174/', loc)).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5173/', { indexFile })).toBe(false)
  })

  it('lets only http(s) links out to the system browser', () => {
    expect(isExternalLink('https://www.tensorflow.org/js')).toBe(true)
    expect(isExternalLink('file:///etc/passwd')).toBe(false)
    expect(isExternalLink('javascript:alert(1)')).toBe(false)
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
