import { describe, expect, it } from 'vitest'
import { comparable, groupByLoss, lossMeaning, lossesDifferButErrorsCompare } from '../../src-shared/comparability'
import { ForecastConfig, sineExampleConfig } from '../../src-shared/forecast-config'
import { charLmExampleConfig } from '../../src-shared/text-config'

const stock = (over: Partial<ForecastConfig> = {}) => ({
  datasetHash: 'msft',
  config: ForecastConfig.parse({ ...sineExampleConfig(), features: ['Close'], target: 'Close', ...over })
})
const text = { datasetHash: 'verse', config: charLmExampleConfig() }

describe('comparability of losses and metrics', () => {
  it('puts cross-entropy and MSE on different axes, with units', () => {
    expect(lossMeaning(text).axis).toBe('Cross-entropy (nats/character)')
    expect(lossMeaning(stock()).axis).toBe('MSE (min–max-scaled Close)')
    expect(groupByLoss([stock(), text, stock()]).map((g) => g.runs.length)).toEqual([2, 1])
  })

  it('keeps log-return and price-level losses apart, but compares their test errors in original units', () => {
    const levels = stock()
    const returns = stock({ transform: 'logReturns' })
    expect(lossMeaning(returns).axis).toBe('MSE (min–max-scaled log returns of Close)')
    expect(comparable(levels, returns, 'loss')).toBe(false)
    expect(comparable(levels, returns, 'target')).toBe(true)
    expect(lossesDifferButErrorsCompare([levels, returns])).toBe(true)
  })

  it('treats loss function, scaling and dataset as part of what the loss means', () => {
    const base = stock()
    expect(comparable(base, stock({ training: { ...base.config.training, loss: 'mae' } }), 'loss')).toBe(false)
    expect(comparable(base, stock({ scaling: 'zscore' }), 'loss')).toBe(false)
    expect(comparable(base, { ...stock(), datasetHash: 'aapl' }, 'loss')).toBe(false)
    expect(comparable(base, stock({ model: { ...base.config.model, layers: [{ units: 64 }] } }), 'loss')).toBe(true)
  })

  it('gives no cross deltas between a text run and a forecast run except counts and times', () => {
    expect(comparable(text, stock(), 'loss')).toBe(false)
    expect(comparable(text, stock(), 'target')).toBe(false)
    expect(comparable(text, stock(), 'text')).toBe(false)
    expect(comparable(text, stock(), 'any')).toBe(true)
    expect(lossesDifferButErrorsCompare([text, stock()])).toBe(false)
  })
})
