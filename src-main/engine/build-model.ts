/**
 * Builds the tfjs model of a forecasting run for its layout, with Keras's defaults where tfjs differs
 * (gate activation sigmoid rather than hard sigmoid), seeded initializers, and the layer names Keras
 * would print.
 */
import type * as TF from '@tensorflow/tfjs'
import type { Activation, TrainingConfig } from '../../src-shared/model-config'
import type { ForecastConfig } from '../../src-shared/forecast-config'
import { layoutShape } from '../../src-shared/forecast-config'
import type { Tfjs } from './backends'
import { FusedGRU, FusedLSTM, FusedSimpleRNN, registerFusedLayers } from './fused'
import { FastOrthogonal, GRU, registerCustomLayers } from './layers'

registerCustomLayers()
registerFusedLayers()

type TfActivation = 'tanh' | 'sigmoid' | 'hardSigmoid' | 'relu' | 'elu' | 'selu' | 'softsign' | 'softplus' | 'swish' | 'gelu' | 'linear'

const ACTIVATION: Record<Activation, TfActivation> = {
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid',
  relu: 'relu',
  elu: 'elu',
  selu: 'selu',
  softsign: 'softsign',
  softplus: 'softplus',
  swish: 'swish',
  gelu: 'gelu',
  linear: 'linear'
}

export interface StackOptions {
  /** Without the batch dimension; null for a variable number of time steps. */
  inputShape?: (number | null)[]
  lastReturnsSequences: boolean
  seedBase: number
  /** Stock tfjs-layers cells (the benchmark's reference) instead of the fused ones. */
  reference?: boolean
}

/** Adds the config's recurrent layers (seeded, Keras defaults) to a sequential model. */
export function recurrentStack(tf: Tfjs, model: TF.Sequential, config: Pick<ForecastConfig, 'model'>, o: StackOptions): void {
  const { cell, layers, bidirectional, dropout, recurrentDropout, activation, recurrentActivation } = config.model
  layers.forEach((layer, i) => {
    const first = i === 0 && o.inputShape
    const seed = o.seedBase + 10 * i
    const options = {
      units: layer.units,
      returnSequences: i < layers.length - 1 || o.lastReturnsSequences,
      activation: ACTIVATION[activation],
      recurrentActivation: ACTIVATION[recurrentActivation],
      dropout,
      recurrentDropout,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      // Keras's orthogonal default, computed in plain JS (tfjs's takes ~20 s for LSTM(128) on cpu).
      recurrentInitializer: new FastOrthogonal({ seed: seed + 2 }),
      ...(first && !bidirectional ? { inputShape: o.inputShape as number[] } : {})
    }
    // Fused layers (./fused): Keras's weight layout and defaults (LSTM unit_forget_bias, GRU
    // reset_after), the whole sequence and its BPTT in one wasm call where the backend allows.
    let rnn: TF.layers.Layer
    const { recurrentActivation: _unused, ...simple } = options
    if (o.reference) {
      if (cell === 'lstm') rnn = tf.layers.lstm({ ...options, unitForgetBias: true })
      else if (cell === 'gru') rnn = new GRU(options)
      else rnn = tf.layers.simpleRNN(simple)
    } else if (cell === 'lstm') rnn = new FusedLSTM({ ...options, unitForgetBias: true, inputGradient: !first })
    else if (cell === 'gru') rnn = new FusedGRU({ ...options, inputGradient: !first })
    else rnn = new FusedSimpleRNN({ ...simple, inputGradient: !first })
    model.add(
      bidirectional
        ? tf.layers.bidirectional({
            layer: rnn as TF.layers.RNN,
            mergeMode: 'concat',
            ...(first ? { inputShape: o.inputShape as number[] } : {})
          })
        : rnn
    )
  })
}

export interface BuildOptions {
  /** Stock tfjs-layers (LSTM, our GRU, SimpleRNN, TimeDistributed head): the benchmark's reference. */
  reference?: boolean
}

export function buildForecastModel(tf: Tfjs, config: ForecastConfig, build: BuildOptions = {}): TF.Sequential {
  let model!: TF.Sequential
  // tidy: tfjs's LSTM unitForgetBias initializer leaves intermediate tensors behind; the weights are
  // variables and survive.
  tf.tidy(() => {
    model = buildLayers(tf, config, build.reference ?? false)
  })
  return model
}

function buildLayers(tf: Tfjs, config: ForecastConfig, reference: boolean): TF.Sequential {
  const seed = config.training.seed
  const features = config.features.length
  const { inputSteps, outputSteps } = layoutShape(config)
  const model = tf.sequential()
  // Dense on a sequence applies to every step, as Keras's TimeDistributed(Dense) does (same weights,
  // same parameters), in one matrix product.
  const head = () => {
    const dense = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 7 }) })
    model.add(reference ? tf.layers.timeDistributed({ layer: dense }) : dense)
  }
  switch (config.layout) {
    case 'many-to-one':
      recurrentStack(tf, model, config, { inputShape: [inputSteps, features], lastReturnsSequences: false, seedBase: seed, reference })
      model.add(tf.layers.dense({ units: config.horizon, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 7 }) }))
      break
    case 'many-to-many':
      recurrentStack(tf, model, config, { inputShape: [inputSteps, features], lastReturnsSequences: true, seedBase: seed, reference })
      head()
      break
    case 'one-to-many':
      // One step in (its features), repeated for every output step.
      model.add(tf.layers.reshape({ targetShape: [features], inputShape: [1, features] }))
      model.add(tf.layers.repeatVector({ n: outputSteps }))
      recurrentStack(tf, model, config, { lastReturnsSequences: true, seedBase: seed, reference })
      head()
      break
    case 'encoder-decoder':
      recurrentStack(tf, model, config, { inputShape: [inputSteps, features], lastReturnsSequences: false, seedBase: seed, reference })
      model.add(tf.layers.repeatVector({ n: outputSteps }))
      recurrentStack(tf, model, config, { lastReturnsSequences: true, seedBase: seed + 1000, reference })
      head()
      break
  }
  return model
}

export function makeOptimizer(tf: Tfjs, config: { training: TrainingConfig }): TF.Optimizer {
  const { learningRate: lr, momentum } = config.training
  switch (config.training.optimizer) {
    case 'adam':
      return tf.train.adam(lr)
    case 'rmsprop':
      return tf.train.rmsprop(lr)
    case 'sgd':
      return momentum > 0 ? tf.train.momentum(lr, momentum) : tf.train.sgd(lr)
  }
}

/** Changes an optimizer's learning rate between steps (schedules). */
export function setLearningRate(optimizer: TF.Optimizer, lr: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number }
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr)
  else o.learningRate = lr
}
