/** Text from a saved language model: load it, encode the prime, sample with a seed, return the prime and the sample. */
import type { SamplingConfig, TextConfig } from '../../src-shared/text-config'
import { mulberry32 } from '../../src-shared/random'
import type { Tfjs } from './backends'
import { loadModelFromDir } from './load-model'
import { decode, encodePrime, sampleText, type TextData } from './train-text'

export interface SampleRequest extends Pick<SamplingConfig, 'temperature' | 'topK' | 'length'> {
  config: TextConfig
  text: Pick<TextData, 'vocabulary' | 'tokens'>
  modelDir: string
  prime: string
  seed: number
}

export async function sampleSavedModel(tf: Tfjs, request: SampleRequest): Promise<string> {
  const model = await loadModelFromDir(tf, request.modelDir)
  try {
    const data = { ...request.text, ids: [] }
    const prime = encodePrime(request.prime, data)
    const text = sampleText(tf, model, request.config, data, { ...request, prime: prime.length ? prime : [0] }, mulberry32(request.seed))
    return decode(prime, data) + text
  } finally {
    model.dispose()
  }
}
