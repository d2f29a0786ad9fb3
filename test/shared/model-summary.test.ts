import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { denseParams, recurrentParams, summarizeModel } from '../../src-shared/model-summary'
import { ForecastConfig } from '../../src-shared/forecast-config'
import { buildForecastModel } from '../../src-main/engine/build-model'

describe('Keras parameter counts', () => {
  it('matches the course numbers', () => {
    expect(recurrentParams('lstm', 1, 2)).toBe(32) // LSTM(2) on input (3, 1)
    expect(denseParams(2, 1)).toBe(3) // Dense(1) after it
    expect(recurrentParams('gru', 1, 2)).toBe(30) // GRU(2), reset_after=True
    expect(recurrentParams('simple_rnn', 1, 32)).toBe(32 * (1 + 32 + 1))
  })

  it('matches the course numbers for every layout (input dim 1)', () => {
    const course = (layout: string, horizon = 3) =>
      summarizeModel({
        layout: layout as 'many-to-one',
        window: 3,
        horizon,
        features: ['x'],
        model: {
          cell: 'lstm',
          layers: [{ units: 2 }],
          bidirectional: false,
          dropout: 0,
          recurrentDropout: 0,
          activation: 'tanh',
          recurrentActivation: 'sigmoid'
        }
      }).layers.map((l) => [l.type, l.outputShape, l.params])
    expect(course('many-to-one', 1)).toEqual([
      ['LSTM', [2], 32],
      ['Dense', [1], 3]
    ])
    expect(course('many-to-many', 1)).toEqual([
      ['LSTM', [3, 2], 32],
      ['Dense (every step)', [3, 1], 3]
    ])
    expect(course('one-to-many')).toEqual([
      ['RepeatVector', [3, 1], 0],
      ['LSTM', [3, 2], 32],
      ['Dense (every step)', [3, 1], 3]
    ])
  })

  it('summarizes stacked, bidirectional models with Keras output shapes', () => {
    const s = summarizeModel({
      window: 3,
      horizon: 1,
      features: ['x'],
      model: {
        cell: 'lstm',
        layers: [{ units: 2 }, { units: 4 }],
        bidirectional: true,
        dropout: 0,
        recurrentDropout: 0,
        activation: 'tanh',
        recurrentActivation: 'sigmoid'
      }
    })
    expect(s.layers.map((l) => l.outputShape)).toEqual([[3, 4], [8], [1]])
    expect(s.layers.map((l) => l.params)).toEqual([2 * 32, 2 * recurrentParams('lstm', 4, 4), 9])
    expect(s.totalParams).toBe(s.layers.reduce((a, l) => a + l.params, 0))
  })
})

describe('summary agrees with the tfjs model the engine builds', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })
  const cases: [string, object, string?][] = [
    ['many-to-many LSTM(2) + TimeDistributed(Dense(1)): 32 + 3', { cell: 'lstm', layers: [{ units: 2 }] }, 'many-to-many'],
    ['one-to-many RepeatVector + LSTM(2, return_sequences)', { cell: 'lstm', layers: [{ units: 2 }] }, 'one-to-many'],
    ['encoder-decoder LSTM(4) → RepeatVector → LSTM(4)', { cell: 'lstm', layers: [{ units: 4 }] }, 'encoder-decoder'],
    [
      'stacked bidirectional encoder-decoder SimpleRNN',
      { cell: 'simple_rnn', layers: [{ units: 3 }, { units: 2 }], bidirectional: true },
      'encoder-decoder'
    ],
    ['SimpleRNN(32) on sine', { cell: 'simple_rnn', layers: [{ units: 32 }] }],
    ['LSTM(2) course model', { cell: 'lstm', layers: [{ units: 2 }] }],
    ['stacked LSTM(8, 4)', { cell: 'lstm', layers: [{ units: 8 }, { units: 4 }] }],
    ['stacked GRU(5, 3) encoder-decoder', { cell: 'gru', layers: [{ units: 5 }, { units: 3 }] }, 'encoder-decoder'],
    ['bidirectional SimpleRNN(5)', { cell: 'simple_rnn', layers: [{ units: 5 }], bidirectional: true }]
  ]
  for (const [name, model, layout] of cases) {
    it(name, () => {
      const config = ForecastConfig.parse({
        layout: layout ?? 'many-to-one',
        window: 3,
        horizon: layout === 'many-to-many' ? 1 : 2,
        features: ['a', 'b'],
        target: 'a',
        model,
        training: { epochs: 1 }
      })
      const built = buildForecastModel(tf, config)
      try {
        expect(built.countParams()).toBe(summarizeModel(config).totalParams)
      } finally {
        built.dispose()
      }
    })
  }
})

describe('GRU follows Keras (reset_after=True) in summary and engine', () => {
  it('GRU(2) on (3, 1) has 30 parameters; bidirectional 60', async () => {
    await tf.setBackend('cpu')
    for (const [bidirectional, expected] of [
      [false, 30 + 3],
      [true, 60 + 5]
    ] as const) {
      const config = ForecastConfig.parse({
        window: 3,
        features: ['x'],
        target: 'x',
        model: { cell: 'gru', layers: [{ units: 2 }], bidirectional },
        training: { epochs: 1 }
      })
      expect(summarizeModel(config).totalParams).toBe(expected)
      const built = buildForecastModel(tf, config)
      expect(built.countParams()).toBe(expected)
      built.dispose()
    }
  })
})

describe('language-model summary shapes', () => {
  it('shows the trained sequence length, not None, as the time dimension', async () => {
    const { summarizeTextModel } = await import('../../src-shared/text-model-summary')
    const { formatShape } = await import('../../src-shared/model-summary')
    const model = {
      cell: 'lstm' as const,
      layers: [{ units: 8 }],
      bidirectional: false,
      dropout: 0,
      recurrentDropout: 0,
      activation: 'tanh' as const,
      recurrentActivation: 'sigmoid' as const
    }
    const s = summarizeTextModel({ layout: 'many-to-many', input: 'onehot', embeddingDim: 32, model, sequenceLength: 40 }, 65)
    expect(s.layers.map((l) => formatShape(l.outputShape))).toEqual(['(None, 40, 8)', '(None, 40, 65)'])
  })
})
