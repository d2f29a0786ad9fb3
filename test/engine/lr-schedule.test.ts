// The learning-rate schedules after each epoch (cut out of the training loop, issue #16).
import { describe, expect, it } from 'vitest'
import { nextLearningRate } from '../../src-main/engine/lr-schedule'

describe('nextLearningRate', () => {
  const fresh = { best: Infinity, since: 0 }
  it('step: multiplies by the factor every `every` epochs only', () => {
    const step = { type: 'step' as const, every: 2, factor: 0.5 }
    expect(nextLearningRate(step, 1, 0.1, fresh, 0.3).lr).toBe(0.1)
    expect(nextLearningRate(step, 2, 0.1, fresh, 0.3).lr).toBe(0.05)
  })
  it('plateau: resets on improvement, reduces after `patience` epochs without one, never below the minimum', () => {
    const plateau = { type: 'plateau' as const, patience: 2, factor: 0.1, minLearningRate: 0.005 }
    let s = nextLearningRate(plateau, 1, 0.1, fresh, 1)
    expect(s).toEqual({ lr: 0.1, plateau: { best: 1, since: 0 } })
    s = nextLearningRate(plateau, 2, s.lr, s.plateau, 1.2)
    expect(s).toEqual({ lr: 0.1, plateau: { best: 1, since: 1 } })
    s = nextLearningRate(plateau, 3, s.lr, s.plateau, 1.1)
    expect(s.lr).toBeCloseTo(0.01, 12)
    expect(s.plateau).toEqual({ best: 1, since: 0 })
    s = nextLearningRate(plateau, 4, s.lr, s.plateau, 1.1)
    s = nextLearningRate(plateau, 5, s.lr, s.plateau, 1.1)
    expect(s.lr).toBe(0.005)
  })
  it('plateau without validation, or no schedule: unchanged', () => {
    expect(nextLearningRate({ type: 'plateau', patience: 1, factor: 0.5, minLearningRate: 0 }, 3, 0.1, fresh, null).lr).toBe(0.1)
    expect(nextLearningRate(null, 3, 0.1, fresh, 0.2).lr).toBe(0.1)
  })
})
