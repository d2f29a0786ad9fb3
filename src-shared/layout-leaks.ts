/**
 * Configurations whose training target is already in the model's input: they score well on paper and
 * forecast nothing. One rule for forecasts and language models, checked by both config schemas (so
 * the UI, the CLI and the core refuse them alike).
 *
 * Audit of the layouts (what each reads against what it is scored on):
 * - many-to-many (forecast and text): the target at step t is the input at t + 1. A backward
 *   direction (bidirectional) has read steps t + 1 … end before step t's output: it reads the answer.
 *   Refused.
 * - many-to-one: reads steps s … s+W−1, scored on s+W …: every direction reads only the past. Safe.
 * - encoder–decoder: the encoder reads the window only; the decoder reads the encoder's state repeated
 *   (RepeatVector), so a bidirectional decoder sees no future value. Safe.
 * - one-to-many: one input step repeated; targets all come after it. Safe.
 * - Splits: scalers are fitted on the training part only; windows never straddle a split boundary
 *   (src-shared/prepare.ts); text windows of the validation part start at its first token.
 */

export interface LayoutLeak {
  /** The config field to change. */
  path: string
  message: string
}

export const BIDIRECTIONAL_MANY_TO_MANY_REASON =
  'many-to-many predicts step t + 1 at every step t; a backward direction has already read it (the target leaks into the input). ' +
  'Use a unidirectional model, or the many-to-one layout'

export function layoutLeaks(c: { layout: string; model: { bidirectional: boolean } }): LayoutLeak[] {
  if (c.layout === 'many-to-many' && c.model.bidirectional) {
    return [{ path: 'model.bidirectional', message: BIDIRECTIONAL_MANY_TO_MANY_REASON }]
  }
  return []
}
