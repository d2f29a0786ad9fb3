/**
 * Turns a model's stock recurrent layers into fused ones by rewriting its topology (class names
 * LSTM → FusedLSTM, KerasGRU → FusedGRU, SimpleRNN → FusedSimpleRNN, also inside Bidirectional),
 * rebuilding it with `tf.models.modelFromJSON` and copying the weights (same order and shapes).
 * Layers the kernels cannot replace (stateful, GRU with resetAfter: false) are left as they are.
 */
import type * as TF from '@tensorflow/tfjs'
import type { FusedImplementation } from './layers'
import { registerFusedLayers } from './layers'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Obj = { [key: string]: Json }

export const FUSED_NAME: Record<string, string> = { LSTM: 'FusedLSTM', KerasGRU: 'FusedGRU', SimpleRNN: 'FusedSimpleRNN' }

export interface FuseOptions {
  /** Passed to every fused layer. Default 'auto'. */
  fusedImplementation?: FusedImplementation
  /**
   * Skip dL/dx for a recurrent layer that is the model's first layer (fed straight from data, so
   * nothing upstream trains). Default true.
   */
  skipFirstInputGradient?: boolean
  /**
   * Replace TimeDistributed(Dense) by the Dense itself (tfjs's Dense applies to the last axis of a
   * 3-D input as one matrix product, while TimeDistributed loops over the time steps). Same
   * weights, same outputs. Default true.
   */
  unwrapTimeDistributedDense?: boolean
}

function isObj(x: Json | undefined): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/** Rewrites one layer entry `{class_name, config}` in place; returns whether it was fused. */
function fuseLayerEntry(entry: Obj, options: FuseOptions, first: boolean): boolean {
  const cls = entry.class_name as string
  const config = entry.config
  if (!isObj(config)) return false
  if (cls === 'Bidirectional' && isObj(config.layer)) return fuseLayerEntry(config.layer, options, false)
  const to = FUSED_NAME[cls]
  if (!to || config.stateful === true || (cls === 'KerasGRU' && config.reset_after === false)) return false
  entry.class_name = to
  config.fused_implementation = options.fusedImplementation ?? 'auto'
  config.input_gradient = !(first && (options.skipFirstInputGradient ?? true))
  return true
}

/** A fused copy of a Keras-style topology (the `model_config` of `model.toJSON(null, false)`). */
export function fusedTopology<T extends object>(topology: T, options: FuseOptions = {}): { topology: T; fused: number } {
  const copy = JSON.parse(JSON.stringify(topology)) as Obj
  const modelConfig = isObj(copy.model_config) ? copy.model_config : copy
  const config = modelConfig.config
  const layers = isObj(config) ? config.layers : Array.isArray(config) ? config : null
  let fused = 0
  if (Array.isArray(layers)) {
    const sequential = modelConfig.class_name === 'Sequential'
    if (sequential && (options.unwrapTimeDistributedDense ?? true)) {
      layers.forEach((layer, i) => {
        if (!isObj(layer) || layer.class_name !== 'TimeDistributed' || !isObj(layer.config)) return
        const inner = layer.config.layer
        if (!isObj(inner) || inner.class_name !== 'Dense' || !isObj(inner.config)) return
        const config: Obj = { ...inner.config, name: layer.config.name ?? inner.config.name ?? null }
        if (layer.config.batch_input_shape != null) config.batch_input_shape = layer.config.batch_input_shape
        layers[i] = { class_name: 'Dense', config }
      })
    }
    layers.forEach((layer, i) => {
      if (isObj(layer) && fuseLayerEntry(layer, options, sequential && i === 0)) fused++
    })
  }
  return { topology: copy as T, fused }
}

/** A new model with fused recurrent layers and the same weights as `model`. */
export async function toFusedModel(tf: typeof TF, model: TF.LayersModel, options: FuseOptions = {}): Promise<TF.LayersModel> {
  registerFusedLayers()
  const json = model.toJSON(null, false) as unknown as object
  const { topology } = fusedTopology(json, options)
  const fusedModel = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as TF.io.ModelJSON)
  const weights = model.getWeights()
  fusedModel.setWeights(weights)
  return fusedModel
}
