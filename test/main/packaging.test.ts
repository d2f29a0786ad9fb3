// electron-builder's configuration, checked offline against its own schema (building the packages
// needs the network for the Electron binary and headers, so `npm run dist` runs on a connected machine).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..', '..')
const req = createRequire(join(ROOT, 'package.json'))
const { validateConfiguration } = req('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>
}
const { DebugLogger } = req('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }
const yaml = req('js-yaml') as { load(text: string): Record<string, unknown> }
const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'))

describe('packaging configuration (offline schema check; no packages are built here)', () => {
  it('passes electron-builder 26 schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    await expect(validateConfiguration({ ...config, notAnOption: true }, new DebugLogger(false))).rejects.toThrow(
      /does not match the API schema/
    )
  })

  it('targets AppImage and deb, dmg, nsis; keeps native modules outside the asar; has an icon', () => {
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb'])
    expect((config.mac as { target: string }).target).toBe('dmg')
    expect((config.win as { target: string }).target).toBe('nsis')
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/@tensorflow/tfjs-node-gpu/**'])
    )
    expect(config.npmRebuild).toBe(true)
    const png = readFileSync(join(ROOT, String(config.icon)))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512) // width
  })

  it('flips the Electron fuses of the security checklist', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false
    })
  })
})
