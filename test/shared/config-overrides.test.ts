import { describe, expect, it } from 'vitest'
import { applyOverrides, checkConfigText, copyName, parseOverride } from '../../src-shared/config-overrides'
import { sineExampleConfig } from '../../src-shared/forecast-config'
import { charLmExampleConfig } from '../../src-shared/text-config'

describe('--set overrides', () => {
  it('parses values as JSON when they parse, else as strings', () => {
    expect(parseOverride('model.layers[0].units=64')).toEqual({ path: 'model.layers[0].units', value: 64 })
    expect(parseOverride('training.optimizer=rmsprop')).toEqual({ path: 'training.optimizer', value: 'rmsprop' })
    expect(parseOverride('model.bidirectional=true')).toEqual({ path: 'model.bidirectional', value: true })
    expect(parseOverride('training.earlyStopping={"patience":3}')).toEqual({ path: 'training.earlyStopping', value: { patience: 3 } })
    expect(parseOverride('novalue')).toMatchObject({ path: '--set' })
    expect(parseOverride('a..b=1')).toMatchObject({ path: '--set' })
  })

  it('applies overrides and validates the result', () => {
    const r = applyOverrides(sineExampleConfig(), ['model.layers[0].units=64', 'training.learningRate=0.003'])
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.config.model.layers[0]!.units).toBe(64)
    expect(r.config.training.learningRate).toBe(0.003)
  })

  it('may add the next layer, not skip one', () => {
    const r = applyOverrides(sineExampleConfig(), ['model.layers[1]={"units":8}'])
    expect(r.ok && r.config.model.layers.map((l) => l.units)).toEqual([32, 8])
    const skip = applyOverrides(sineExampleConfig(), ['model.layers[3].units=8'])
    expect(skip).toMatchObject({ ok: false, issues: [{ path: 'model.layers[3].units' }] })
  })

  it('names the field of a value the schema refuses', () => {
    const r = applyOverrides(sineExampleConfig(), ['model.layers[0].units=100000'])
    expect(r).toMatchObject({ ok: false, issues: [{ path: 'model.layers[0].units' }] })
    const s = applyOverrides(sineExampleConfig(), ['training.learningRate=fast'])
    expect(s).toMatchObject({ ok: false, issues: [{ path: 'training.learningRate' }] })
  })

  it('refuses keys the config does not have and prototype keys', () => {
    for (const set of ['model.unitz=3', '__proto__.polluted=1', 'constructor.prototype.x=1', 'model.__proto__.x=1']) {
      const r = applyOverrides(sineExampleConfig(), [set])
      expect(r.ok, set).toBe(false)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('keeps the task of the run (a text field on a forecast config is refused)', () => {
    expect(applyOverrides(sineExampleConfig(), ['sequenceLength=5']).ok).toBe(false)
    expect(applyOverrides(charLmExampleConfig(), ['sequenceLength=5']).ok).toBe(true)
  })
})

describe('the config editor text', () => {
  it('accepts a valid config and names the field of an invalid one', () => {
    expect(checkConfigText(JSON.stringify(sineExampleConfig())).ok).toBe(true)
    const bad = { ...sineExampleConfig(), window: 0 }
    expect(checkConfigText(JSON.stringify(bad))).toMatchObject({ ok: false, issues: [{ path: 'window' }] })
    expect(checkConfigText('{ nope')).toMatchObject({ ok: false, issues: [{ path: '(JSON)' }] })
    expect(checkConfigText('[1]')).toMatchObject({ ok: false })
  })

  it('refuses __proto__ anywhere in pasted JSON', () => {
    const text = JSON.stringify(sineExampleConfig()).replace('"model":{', '"model":{"__proto__":{"x":1},')
    expect(checkConfigText(text).ok).toBe(false)
  })
})

describe('copy names', () => {
  it('suffixes "(copy)" and counts when taken', () => {
    expect(copyName('sine LSTM')).toBe('sine LSTM (copy)')
    expect(copyName('sine LSTM (copy)', ['sine LSTM (copy)'])).toBe('sine LSTM (copy 2)')
  })
})
