/**
 * Character- or word-level language models: next-token prediction over a text dataset's token ids,
 * one-hot or embedding input, softmax cross-entropy. Reports validation loss in nats, bits per token,
 * perplexity and accuracy beside a unigram baseline, and a sample at the end of each epoch.
 */
import type * as TF from '@tensorflow/tfjs'
import type { EpochRecord, TextMetrics } from '../../src-shared/domain'
import { mulberry32 } from '../../src-shared/random'
import { textStride, type SamplingConfig, type TextConfig } from '../../src-shared/text-config'
import type { Tfjs } from './backends'
import { makeOptimizer, recurrentStack, type BuildOptions } from './build-model'
import { fit, type TrainHooks } from './fit-loop'
import { nativeLoss, type BatchArrays } from './fused'
import { probe } from './training-probe'
import { Embedding, registerCustomLayers } from './layers'
import { statefulSampler } from './stateful-sampler'

registerCustomLayers()

export interface TextData {
  vocabulary: 'char' | 'word'
  tokens: string[]
  ids: ArrayLike<number>
}

export interface TextTrainResult {
  epochs: EpochRecord[]
  metrics: TextMetrics
  sample: string
  stoppedEarly: boolean
  bestEpoch: number | null
}

/**
 * Most training windows scored for the per-epoch training accuracy (keeps epochs short on large
 * texts). The validation part is always scored whole, in batches.
 */
const TRAIN_ACCURACY_CAP = 4096
/** Windows per scoring batch (bounded memory whatever the part's size). */
const SCORE_BATCH = 256
/** Longest sample generated at the end of each epoch (the run's own sampling length when shorter). */
const EPOCH_SAMPLE_MAX = 500

export interface TextWindows {
  /** Start index of each sequence in the token ids. */
  starts: Int32Array
}

/** Sequence starts within [from, to): each sequence and its next-token targets stay inside. */
export function textWindows(from: number, to: number, length: number, stride: number): TextWindows {
  const last = to - length - 1
  const count = last < from ? 0 : Math.floor((last - from) / stride) + 1
  return { starts: Int32Array.from({ length: count }, (_, i) => from + i * stride) }
}

export function buildTextModel(tf: Tfjs, config: TextConfig, vocabSize: number, build: BuildOptions = {}): TF.Sequential {
  const reference = build.reference ?? false
  let model!: TF.Sequential
  tf.tidy(() => {
    model = tf.sequential()
    const seed = config.training.seed
    if (config.input === 'embedding') {
      // Our Embedding trains on wasm too (its gradient avoids UnsortedSegmentSum).
      model.add(
        new Embedding({
          inputDim: vocabSize,
          outputDim: config.embeddingDim,
          inputShape: [null] as unknown as number[], // any sequence length
          embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed + 3 })
        })
      )
      recurrentStack(tf, model, config, { lastReturnsSequences: config.layout === 'many-to-many', seedBase: seed, reference })
    } else {
      recurrentStack(tf, model, config, {
        inputShape: [null, vocabSize],
        lastReturnsSequences: config.layout === 'many-to-many',
        seedBase: seed,
        reference
      })
    }
    // Logits; the softmax sits in the loss (and in sampling) for numerical stability.
    const dense = tf.layers.dense({ units: vocabSize, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 7 }) })
    // On a sequence Dense applies to every step (Keras's TimeDistributed(Dense)), in one product.
    model.add(reference && config.layout === 'many-to-many' ? tf.layers.timeDistributed({ layer: dense }) : dense)
  })
  return model
}

function inputTensor(tf: Tfjs, config: TextConfig, ids: Int32Array, n: number, len: number, vocabSize: number): TF.Tensor {
  return tf.tidy(() => {
    const t = tf.tensor2d(ids, [n, len], 'int32')
    return config.input === 'embedding' ? t.toFloat() : tf.oneHot(t, vocabSize).toFloat()
  })
}

export function textLoss(tf: Tfjs, vocabSize: number) {
  // nativeLoss: the fused native training step computes the same loss (./fused/native-train-step.ts).
  return nativeLoss(
    (y: TF.Tensor, logits: TF.Tensor) => tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y.toInt(), vocabSize), logits) as TF.Scalar),
    'sparseSoftmaxCrossEntropy'
  )
}

/** Token ids of a prime text (characters, or whitespace-separated words; unknown ones dropped). */
export function encodePrime(prime: string, data: TextData): number[] {
  const index = new Map(data.tokens.map((t, i) => [t, i]))
  const parts = data.vocabulary === 'char' ? Array.from(prime) : prime.split(/\s+/).filter(Boolean)
  const unk = index.get('<unk>')
  return parts.map((p) => index.get(p) ?? unk).filter((i): i is number => i !== undefined)
}

export function decode(ids: number[], data: TextData): string {
  return ids.map((i) => data.tokens[i]).join(data.vocabulary === 'char' ? '' : ' ')
}

/** Samples `length` tokens after the prime: temperature, optional top-k, seeded. */
export function sampleText(
  tf: Tfjs,
  model: TF.LayersModel,
  config: TextConfig,
  data: TextData,
  opts: Pick<SamplingConfig, 'temperature' | 'topK' | 'length'> & { prime: number[] },
  rand: () => number
): string {
  const V = data.tokens.length
  const context = opts.prime.length > 0 ? [...opts.prime] : [0]
  const out: number[] = []
  // Many-to-many models learnt to predict at every position: they generate one step per token with
  // the state carried (unidirectional fused layers). Many-to-one models learnt "the token after exactly
  // L tokens", so they re-read the last L tokens for each new one, as they were trained.
  const stateful = config.layout === 'many-to-many' ? statefulSampler(tf, model, V) : null
  if (stateful) {
    try {
      let logits: Float32Array = new Float32Array(V)
      for (const t of context) logits = stateful.step(t)
      for (let i = 0; i < opts.length; i++) {
        const next = pick(logits, opts.temperature, opts.topK, rand)
        out.push(next)
        logits = stateful.step(next)
      }
      return decode(out, data)
    } finally {
      stateful.dispose()
    }
  }
  for (let i = 0; i < opts.length; i++) {
    const window = context.slice(-config.sequenceLength)
    const logits = tf.tidy(() => {
      const x = inputTensor(tf, config, Int32Array.from(window), 1, window.length, V)
      const y = model.predict(x) as TF.Tensor
      const last = config.layout === 'many-to-many' ? y.slice([0, window.length - 1, 0], [1, 1, V]) : y
      return last.reshape([V]).dataSync() as Float32Array
    })
    const next = pick(logits, opts.temperature, opts.topK, rand)
    out.push(next)
    context.push(next)
  }
  return decode(out, data)
}

function pick(logits: Float32Array, temperature: number, topK: number | null, rand: () => number): number {
  const order = Array.from(logits.keys())
  let allowed = order
  if (topK !== null && topK < logits.length) allowed = order.sort((a, b) => logits[b] - logits[a]).slice(0, topK)
  let max = -Infinity
  for (const i of allowed) max = Math.max(max, logits[i] / temperature)
  const weights = allowed.map((i) => Math.exp(logits[i] / temperature - max))
  const total = weights.reduce((a, b) => a + b, 0)
  let r = rand() * total
  for (let k = 0; k < allowed.length; k++) {
    r -= weights[k]
    if (r <= 0) return allowed[k]
  }
  return allowed[allowed.length - 1]
}

/** The training and validation parts of a text: the split point and the sequence starts in each. */
function textParts(config: TextConfig, n: number): { trainEnd: number; train: TextWindows; val: TextWindows } {
  const stride = textStride(config)
  const trainEnd = config.split.val === 0 ? n : Math.floor(n * config.split.train)
  return {
    trainEnd,
    train: textWindows(0, trainEnd, config.sequenceLength, stride),
    val: textWindows(trainEnd, n, config.sequenceLength, stride)
  }
}

/**
 * Input and target tensors of sequences starts[idx[from..to)]: inputs one-hot or ids, targets the next
 * token (many-to-one) or the sequence shifted by one (many-to-many).
 */
/** The token ids of a batch: inputs [k, L] and targets ([k, L] many-to-many, else [k]). */
function textBatchIds(config: TextConfig, data: TextData, starts: Int32Array, idx: ArrayLike<number>, from: number, to: number) {
  const L = config.sequenceLength
  const m2m = config.layout === 'many-to-many'
  const ids = data.ids
  const k = to - from
  const x = new Int32Array(k * L)
  const y = new Int32Array(m2m ? k * L : k)
  for (let j = 0; j < k; j++) {
    const s = starts[idx[from + j]]
    for (let t = 0; t < L; t++) x[j * L + t] = ids[s + t]
    if (m2m) for (let t = 0; t < L; t++) y[j * L + t] = ids[s + t + 1]
    else y[j] = ids[s + L]
  }
  return { x, y, k, L }
}

function textBatch(tf: Tfjs, config: TextConfig, data: TextData, starts: Int32Array, idx: ArrayLike<number>, from: number, to: number) {
  const { x, y, k, L } = textBatchIds(config, data, starts, idx, from, to)
  const m2m = config.layout === 'many-to-many'
  return { x: inputTensor(tf, config, x, k, L, data.tokens.length), y: m2m ? tf.tensor2d(y, [k, L], 'int32') : tf.tensor1d(y, 'int32') }
}

/** The batch as ids for the native training step (a one-hot input is never materialised); none with an embedding. */
function textBatchArrays(config: TextConfig, data: TextData, starts: Int32Array) {
  if (config.input === 'embedding') return undefined
  return (idx: ArrayLike<number>, from: number, to: number): BatchArrays => {
    const { x, y, k, L } = textBatchIds(config, data, starts, idx, from, to)
    return { B: k, T: L, x: null, ids: x, y }
  }
}

interface TextScore {
  loss: number
  accuracy: number
}

/** Loss and accuracy of a model over the first `cap` windows of a part (all by default), batch by batch; null for an empty part. */
async function scoreText(
  tf: Tfjs,
  model: TF.LayersModel,
  config: TextConfig,
  data: TextData,
  w: TextWindows,
  cap = Infinity
): Promise<TextScore | null> {
  const count = Math.min(w.starts.length, cap)
  if (count === 0) return null
  const loss = textLoss(tf, data.tokens.length)
  const perWindow = config.layout === 'many-to-many' ? config.sequenceLength : 1
  const all = Int32Array.from({ length: count }, (_, i) => i)
  let lossSum = 0
  let hits = 0
  for (let from = 0; from < count; from += SCORE_BATCH) {
    const to = Math.min(count, from + SCORE_BATCH)
    const [l, h] = tf.tidy(() => {
      const { x, y } = textBatch(tf, config, data, w.starts, all, from, to)
      const logits = model.predict(x) as TF.Tensor
      const correct = tf.sum(tf.equal(tf.argMax(logits, -1), y.toInt()).toInt())
      return [loss(y, logits), correct]
    })
    lossSum += (await l.data())[0] * (to - from)
    hits += (await h.data())[0]
    tf.dispose([l, h])
  }
  return { loss: lossSum / count, accuracy: hits / (count * perWindow) }
}

/** The prime's token ids: the configured prime, else the first token after the training part (or the text's first). */
function primeIds(config: TextConfig, data: TextData, trainEnd: number): number[] {
  if (config.sampling.prime) return encodePrime(config.sampling.prime, data)
  return [data.ids.length > trainEnd ? data.ids[trainEnd] : data.ids[0]]
}

/**
 * The run's text metrics: on the validation part, or on the whole training part when there is none;
 * beside the unigram baseline of the same part.
 */
function textMetrics(
  config: TextConfig,
  data: TextData,
  parts: ReturnType<typeof textParts>,
  scores: { train: TextScore; val: TextScore | null },
  evaluatedWith: TextMetrics['evaluatedWith'],
  prime: string
): TextMetrics {
  const V = data.tokens.length
  const evaluated = scores.val ?? scores.train
  const unigram = unigramLoss(
    data.ids,
    parts.trainEnd,
    scores.val ? parts.val : parts.train,
    config.sequenceLength,
    config.layout === 'many-to-many',
    V
  )
  return {
    evaluatedOn: scores.val ? 'val' : 'train',
    loss: evaluated.loss,
    bitsPerToken: evaluated.loss / Math.LN2,
    perplexity: Math.exp(evaluated.loss),
    accuracy: evaluated.accuracy,
    trainAccuracy: scores.train.accuracy,
    unigramLoss: unigram,
    beatsUnigram: evaluated.loss < unigram,
    vocabularySize: V,
    evaluatedWith,
    prime
  }
}

export async function trainText(tf: Tfjs, config: TextConfig, data: TextData, hooks: TrainHooks = {}): Promise<TextTrainResult> {
  const parts = textParts(config, data.ids.length)
  const { trainEnd, train, val } = parts
  if (train.starts.length === 0) {
    throw new Error(`config.sequenceLength: the training part has ${trainEnd} tokens, too few for sequences of ${config.sequenceLength}`)
  }
  const model = buildTextModel(tf, config, data.tokens.length)
  const optimizer = makeOptimizer(tf, config)
  const score = (w: TextWindows, cap = Infinity) => scoreText(tf, model, config, data, w, cap)
  const sampleRand = mulberry32(config.training.seed + 99)
  const prime = primeIds(config, data, trainEnd)
  const primeText = decode(prime, data)

  let lastVal: TextScore | null = null
  try {
    const result = await fit(
      tf,
      {
        model,
        optimizer,
        training: config.training,
        trainCount: train.starts.length,
        batch: (idx, from, to) => textBatch(tf, config, data, train.starts, idx, from, to),
        batchArrays: textBatchArrays(config, data, train.starts),
        loss: textLoss(tf, data.tokens.length),
        validate: async () => {
          lastVal = await score(val)
          return lastVal?.loss ?? null
        },
        epochExtras: async () => {
          const tr = await score(train, TRAIN_ACCURACY_CAP)
          const length = Math.min(config.sampling.length, EPOCH_SAMPLE_MAX)
          const sample = sampleText(tf, model, config, data, { ...config.sampling, length, prime }, sampleRand)
          return { accuracy: tr?.accuracy ?? null, valAccuracy: lastVal?.accuracy ?? null, sample, samplePrime: primeText }
        },
        restoreBest: config.training.earlyStopping?.restoreBest ?? false
      },
      hooks
    )
    // Without a validation part the training part is what is reported: scored whole then.
    const scores = { train: (await score(train, val.starts.length > 0 ? TRAIN_ACCURACY_CAP : Infinity))!, val: await score(val) }
    const sample = sampleText(tf, model, config, data, { ...config.sampling, prime }, mulberry32(config.training.seed + 7))
    return {
      epochs: result.records,
      metrics: textMetrics(config, data, parts, scores, result.evaluatedWith, primeText),
      sample: primeText + sample,
      stoppedEarly: result.stoppedEarly,
      bestEpoch: result.bestEpoch
    }
  } finally {
    optimizer.dispose()
    model.dispose()
  }
}

/** Times a few training batches of a fresh language model (the estimate before a run). */
export async function probeText(tf: Tfjs, config: TextConfig, data: TextData, batches = 4) {
  const V = data.tokens.length
  const { train } = textParts(config, data.ids.length)
  const model = buildTextModel(tf, config, V)
  const optimizer = makeOptimizer(tf, config)
  try {
    return await probe(
      tf,
      {
        model,
        optimizer,
        loss: textLoss(tf, V),
        training: config.training,
        trainCount: train.starts.length,
        batch: (idx, from, to) => textBatch(tf, config, data, train.starts, idx, from, to),
        batchArrays: textBatchArrays(config, data, train.starts)
      },
      batches
    )
  } finally {
    optimizer.dispose()
    model.dispose()
  }
}

/**
 * Cross-entropy (nats) of the unigram model — token frequencies of the training part, add-one
 * smoothed — on the same targets the model is scored on: the baseline a language model must beat.
 */
function unigramLoss(ids: ArrayLike<number>, trainEnd: number, w: TextWindows, L: number, m2m: boolean, V: number): number {
  const counts = new Float64Array(V).fill(1)
  for (let i = 0; i < trainEnd; i++) counts[ids[i]]++
  const total = counts.reduce((a, b) => a + b, 0)
  let sum = 0
  let k = 0
  for (let j = 0; j < w.starts.length; j++) {
    const s = w.starts[j]
    const targets = m2m ? Array.from({ length: L }, (_, t) => ids[s + t + 1]) : [ids[s + L]]
    for (const t of targets) {
      sum -= Math.log(counts[t] / total)
      k++
    }
  }
  return sum / k
}
