/** Builds the tfjs model of a run config (many-to-one: recurrent stack + Dense(horizon)). */
import type * as TF from '@tensorflow/tfjs'
import type { RunConfig } from '../../src-shared/run-config'
import type { Tfjs } from './backends'

export function buildForecastModel(tf: Tfjs, config: RunConfig): TF.Sequential {
  const { cell, layers, bidirectional, dropout, recurrentDropout } = config.model
  const seed = config.training.seed
  const inputShape = [config.window, config.features.length]
  const model = tf.sequential()
  layers.forEach((layer, i) => {
    const options = {
      units: layer.units,
      returnSequences: i < layers.length - 1,
      dropout,
      recurrentDropout,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 10 * i + 1 }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 10 * i + 2 }),
      ...(i === 0 && !bidirectional ? { inputShape } : {})
    }
    const rnn = cell === 'lstm' ? tf.layers.lstm(options) : tf.layers.simpleRNN(options)
    model.add(
      bidirectional
        ? tf.layers.bidirectional({ layer: rnn as TF.layers.RNN, mergeMode: 'concat', ...(i === 0 ? { inputShape } : {}) })
        : rnn
    )
  })
  model.add(tf.layers.dense({ units: config.horizon, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 7 }) }))
  model.compile({ optimizer: makeOptimizer(tf, config), loss: 'meanSquaredError' })
  return model
}

export function makeOptimizer(tf: Tfjs, config: RunConfig): TF.Optimizer {
  const lr = config.training.learningRate
  switch (config.training.optimizer) {
    case 'adam':
      return tf.train.adam(lr)
    case 'rmsprop':
      return tf.train.rmsprop(lr)
    case 'sgd':
      return tf.train.sgd(lr)
  }
}
