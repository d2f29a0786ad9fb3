import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/**
 * The house's layer rules (eslint.config.mjs) fire. Each fixture names the path it is linted as
 * ("lint as: src-shared/lint-fixture.ts"); a line ending in "// ✗ <text>" must get a layer error whose
 * message contains <text>, and every other line none. The fixtures are left out of `npm run lint`.
 */
const root = join(__dirname, '..', '..')
const fixtures = join(__dirname, 'fixtures')
const LAYER_RULES = new Set(['boundaries/dependencies', 'no-restricted-globals'])

describe('layer rules', () => {
  const eslint = new ESLint({ cwd: root })
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.ts'))) {
    it(`fail the lint on ${name}`, async () => {
      const code = readFileSync(join(fixtures, name), 'utf8')
      const lintAs = /lint as: (\S+)/.exec(code)?.[1]
      expect(lintAs, `${name} names the path it is linted as`).toBeTruthy()
      const expected = code.split('\n').flatMap((line, i) => {
        const mark = /\/\/ ✗ (.+)$/.exec(line)
        return mark ? [{ line: i + 1, text: mark[1].trim() }] : []
      })
      expect(expected.length).toBeGreaterThan(0)

      const [result] = await eslint.lintText(code, { filePath: join(root, lintAs!) })
      const layerErrors = result.messages.filter((m) => m.ruleId && LAYER_RULES.has(m.ruleId))
      for (const { line, text } of expected) {
        const onLine = layerErrors.filter((m) => m.line === line).map((m) => m.message)
        expect(onLine.join(' | '), `line ${line} of ${name}`).toContain(text)
      }
      expect(layerErrors.map((m) => m.line).sort((a, b) => a - b)).toEqual([...new Set(expected.map((e) => e.line))].sort((a, b) => a - b))
      for (const m of layerErrors) expect(m.message).toContain('Layers: ')
    })
  }
})
