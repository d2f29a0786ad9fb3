/** A language model's vocabulary, written beside its saved models (`vocabulary.json`) so a model folder can be read alone. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TextData } from './train-text'

export const VOCABULARY_FILE = 'vocabulary.json'

export function writeVocabulary(dir: string, text: Pick<TextData, 'vocabulary' | 'tokens'>): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, VOCABULARY_FILE), JSON.stringify({ level: text.vocabulary, tokens: text.tokens }))
}
