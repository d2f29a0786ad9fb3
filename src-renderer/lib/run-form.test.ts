import { describe, expect, it } from 'vitest'
import { ForecastConfig, sineExampleConfig } from '../../src-shared/forecast-config'
import {
  errorId,
  fieldsOf,
  formErrors,
  isPosInt,
  issueMessage,
  issuesByPath,
  lossLabel,
  numOrNull,
  summaryModel,
  toCandidate,
  type RunForm
} from './run-form'

const form = (patch: Partial<RunForm> = {}): RunForm => ({ datasetId: 'ds', name: 'run', ...fieldsOf(sineExampleConfig()), ...patch })

describe('the form and the config', () => {
  it('turns a config into fields and back into the same config', () => {
    const c = sineExampleConfig()
    const parsed = ForecastConfig.safeParse(toCandidate(form()))
    expect(parsed.success).toBe(true)
    expect(parsed.data).toEqual(c)
  })

  it('keeps schedules and early stopping', () => {
    const step = ForecastConfig.parse(toCandidate(form({ schedule: 'step', stepEvery: 4, stepFactor: 0.25 })))
    expect(step.training.lrSchedule).toEqual({ type: 'step', every: 4, factor: 0.25 })
    const plateau = ForecastConfig.parse(
      toCandidate(form({ schedule: 'plateau', plateauPatience: 2, plateauFactor: 0.5, minLearningRate: null }))
    )
    expect(plateau.training.lrSchedule).toEqual({ type: 'plateau', patience: 2, factor: 0.5, minLearningRate: 0 })
    const stopped = ForecastConfig.parse(toCandidate(form({ earlyStopping: true, patience: 7, restoreBest: false })))
    expect(stopped.training.earlyStopping).toEqual({ patience: 7, restoreBest: false })
    expect(ForecastConfig.parse(toCandidate(form({ earlyStopping: false }))).training.earlyStopping).toBeNull()
  })

  it('fills the fields a layout, cell or optimizer ignores with values that cannot fail', () => {
    const c = toCandidate(form({ layout: 'one-to-many', window: null, horizon: 5 })) as { window: number }
    expect(c.window).toBe(1)
    const m = toCandidate(form({ layout: 'many-to-many', horizon: null })) as { horizon: number }
    expect(m.horizon).toBe(1)
    const g = toCandidate(form({ cell: 'gru', recurrentDropout: null })) as { model: { recurrentDropout: number } }
    expect(g.model.recurrentDropout).toBe(0)
    const adam = toCandidate(form({ optimizer: 'adam', momentum: 0.9 })) as { training: { momentum: number } }
    expect(adam.training.momentum).toBe(0)
    const sgd = toCandidate(form({ optimizer: 'sgd', momentum: 0.9 })) as { training: { momentum: number } }
    expect(sgd.training.momentum).toBe(0.9)
  })

  it('leaves a blank required number blank, so the schema asks for it by field', () => {
    const parsed = ForecastConfig.safeParse(toCandidate(form({ window: null, layers: [{ units: 0 }] })))
    expect(parsed.success).toBe(false)
    const byPath = issuesByPath(parsed.error!.issues)
    expect(byPath.window).toBe('Enter a number')
    expect(byPath['model.layers[0].units']).toBe('At least 1')
  })
})

describe('messages in the words of a form', () => {
  it('rewrites number issues and keeps the rest', () => {
    expect(issueMessage({ path: [], code: 'invalid_type', expected: 'int', message: 'x' })).toBe('Enter a whole number')
    expect(issueMessage({ path: [], code: 'invalid_format', format: 'safeint', message: 'x' })).toBe('Enter a whole number')
    expect(issueMessage({ path: [], code: 'too_small', origin: 'number', minimum: 0, inclusive: false, message: 'x' })).toBe('More than 0')
    expect(issueMessage({ path: [], code: 'too_big', origin: 'number', maximum: 10000, inclusive: true, message: 'x' })).toBe(
      'At most 10,000'
    )
    expect(issueMessage({ path: [], code: 'too_big', origin: 'number', maximum: 1, inclusive: false, message: 'x' })).toBe('Less than 1')
    expect(issueMessage({ path: [], code: 'custom', message: 'Splits must add up to 1' })).toBe('Splits must add up to 1')
  })

  it('keeps the first issue per field', () => {
    const issues = [
      { path: ['window'], code: 'custom', message: 'first' },
      { path: ['window'], code: 'custom', message: 'second' }
    ]
    expect(issuesByPath(issues)).toEqual({ window: 'first' })
  })
})

describe('small helpers', () => {
  it('reads blank number fields as null', () => {
    expect(numOrNull(undefined)).toBeNull()
    expect(numOrNull(Number.NaN)).toBeNull()
    expect(numOrNull(0)).toBe(0)
    expect(isPosInt(3)).toBe(true)
    expect(isPosInt(0)).toBe(false)
    expect(isPosInt(1.5)).toBe(false)
    expect(isPosInt(null)).toBe(false)
  })

  it('names the loss and the error element of a field', () => {
    expect(lossLabel({ task: 'forecast', training: { loss: 'huber' } })).toBe('Huber')
    expect(lossLabel({ task: 'text', training: { loss: 'mse' } })).toBe('cross-entropy (nats)')
    expect(errorId('model.layers[0].units')).toBe('cfg-model-layers-0-units-error')
  })
})

describe('what both run forms share', () => {
  it('formErrors: the schema issues by field, no dataset, a name over 200 characters', () => {
    const issues = [{ code: 'custom', path: ['model', 'layers', 0, 'units'], message: 'Too small' }] as never
    expect(formErrors({ success: false, error: { issues } }, { datasetId: '', name: 'x'.repeat(201) })).toEqual({
      'model.layers[0].units': 'Too small',
      datasetId: 'Choose a dataset',
      name: 'At most 200 characters'
    })
    expect(formErrors({ success: true }, { datasetId: 'ds_1', name: '  ok  ' })).toEqual({})
  })
  it('summaryModel: the form’s model without dropout (it counts no parameters)', () => {
    const f = fieldsOf(sineExampleConfig())
    expect(summaryModel({ ...f, layers: [{ units: 16 }, { units: 8 }] })).toEqual({
      cell: 'simple_rnn',
      layers: [{ units: 16 }, { units: 8 }],
      bidirectional: false,
      dropout: 0,
      recurrentDropout: 0,
      activation: 'tanh',
      recurrentActivation: 'sigmoid'
    })
  })
})
