/** The learning rate after an epoch: a step schedule every `every` epochs, or reduce-on-plateau of the validation loss. */
import type { LrSchedule } from '../../src-shared/model-config'

/** Reduce-on-plateau's memory: the best validation loss and the epochs since it. */
export interface Plateau {
  best: number
  since: number
}

export function nextLearningRate(
  schedule: LrSchedule | null,
  epoch: number,
  lr: number,
  plateau: Plateau,
  valLoss: number | null
): { lr: number; plateau: Plateau } {
  if (schedule?.type === 'step' && epoch % schedule.every === 0) return { lr: lr * schedule.factor, plateau }
  if (schedule?.type !== 'plateau' || valLoss === null) return { lr, plateau }
  if (valLoss < plateau.best) return { lr, plateau: { best: valLoss, since: 0 } }
  if (plateau.since + 1 < schedule.patience) return { lr, plateau: { best: plateau.best, since: plateau.since + 1 } }
  return { lr: Math.max(schedule.minLearningRate, lr * schedule.factor), plateau: { best: plateau.best, since: 0 } }
}
