/**
 * RNN Lab's custom tfjs layers and initializers:
 *  - `GRU` / `GRUCell`: Keras-compatible GRU (reset_after=True, sigmoid gates by default);
 *  - `FastOrthogonal`: seeded orthogonal initializer computed in plain JS (tfjs's is very slow on cpu);
 *  - `Embedding`: embedding whose gradient works on the wasm backend;
 *  - `toKerasTopology` / `fromKerasTopology`: class-name mapping for Keras export/import.
 *
 * Each module registers its classes with `tf.serialization.registerClass` when imported;
 * `registerCustomLayers()` does it explicitly (idempotent) so the engine can call it once before
 * building or loading models without relying on import side effects.
 */
import * as tf from '@tensorflow/tfjs'
import { Embedding } from './embedding'
import { GRU, GRUCell } from './gru'
import { FastOrthogonal } from './orthogonal'

export { Embedding, embedding, gatherRowsTrainable, type EmbeddingLayerArgs } from './embedding'
export { GRU, GRUCell, gru, type GRUCellArgs, type GRULayerArgs } from './gru'
export { fromKerasTopology, toKerasTopology } from './keras-names'
export { FastOrthogonal, fastOrthogonal, orthogonalMatrix, type FastOrthogonalArgs } from './orthogonal'
export type { ActivationIdentifier, Initializer, InitializerIdentifier } from './resolve'

/** Serialization class names of everything registered here. */
export const CUSTOM_CLASS_NAMES = [GRUCell.className, GRU.className, FastOrthogonal.className, Embedding.className] as const

/**
 * Registers the custom classes with tfjs's serialization registry (needed by `tf.loadLayersModel`
 * and by `tf.layers.bidirectional`, which clones its inner layer through the registry). Idempotent:
 * registering the same class again only overwrites identical entries. Returns the class names.
 */
export function registerCustomLayers(): readonly string[] {
  tf.serialization.registerClass(GRUCell)
  tf.serialization.registerClass(GRU)
  tf.serialization.registerClass(FastOrthogonal)
  tf.serialization.registerClass(Embedding)
  return CUSTOM_CLASS_NAMES
}
