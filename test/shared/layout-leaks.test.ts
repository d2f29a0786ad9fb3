import { describe, expect, it } from 'vitest'
import { operations } from '../../src-shared/contract'
import { LAYOUTS } from '../../src-shared/model-config'
import { ForecastConfig } from '../../src-shared/forecast-config'
import { TEXT_LAYOUTS, TextConfig } from '../../src-shared/text-config'
import { parseOrThrow } from '../../src-shared/validation'

const model = { cell: 'lstm', layers: [{ units: 4 }], bidirectional: true }
const forecast = (layout: string) => ({ layout, window: 5, horizon: 1, features: ['x'], target: 'x', model, training: { epochs: 1 } })
const text = (layout: string) => ({ task: 'text', layout, model, training: { epochs: 1 } })

describe('configurations that read the answer are refused', () => {
  it('bidirectional many-to-many forecast: refused, naming model.bidirectional', () => {
    const r = ForecastConfig.safeParse(forecast('many-to-many'))
    expect(r.success).toBe(false)
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['model.bidirectional'])
    expect(() => parseOrThrow(operations['runs.start'].request, { datasetId: 'd', config: forecast('many-to-many') }, 'r')).toThrow(
      /config\.model\.bidirectional: many-to-many predicts step t \+ 1/
    )
  })

  it('bidirectional many-to-many language model: refused, naming model.bidirectional', () => {
    expect(() => parseOrThrow(operations['runs.start'].request, { datasetId: 'd', config: text('many-to-many') }, 'r')).toThrow(
      /config\.model\.bidirectional: many-to-many predicts/
    )
  })

  it('every other layout keeps its bidirectional option (they read only the past)', () => {
    for (const layout of LAYOUTS.filter((l) => l !== 'many-to-many')) {
      expect(ForecastConfig.safeParse({ ...forecast(layout), horizon: 2 }).success, layout).toBe(true)
    }
    for (const layout of TEXT_LAYOUTS.filter((l) => l !== 'many-to-many')) expect(TextConfig.safeParse(text(layout)).success).toBe(true)
    expect(ForecastConfig.safeParse({ ...forecast('many-to-many'), model: { ...model, bidirectional: false } }).success).toBe(true)
  })
})
