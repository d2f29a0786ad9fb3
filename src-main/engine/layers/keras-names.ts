/**
 * Class-name mapping between RNN Lab's saved tfjs topologies and Keras.
 *
 * Our classes are registered under their own names ('KerasGRU', 'KerasGRUCell', 'FastOrthogonal',
 * 'TrainableEmbedding') so they never replace tfjs's stock classes. Their configs are Keras's
 * (tfjs writes them in snake_case: units, recurrent_activation, reset_after, gain, seed, input_dim...)
 * and their weights use Keras's layout, so renaming the classes is all a Keras export needs:
 *
 *   toKerasTopology:   KerasGRU → GRU, KerasGRUCell → GRUCell, FastOrthogonal → Orthogonal,
 *                      TrainableEmbedding → Embedding
 *   fromKerasTopology: the reverse, for loading a Keras (or exported) topology into tfjs with our
 *                      classes: GRU / GRUCell only when reset_after is true or absent (Keras's
 *                      default; tfjs's own GRU cannot load those at all), Orthogonal → FastOrthogonal
 *                      (fast build), Embedding → TrainableEmbedding (trains on wasm).
 *
 * Both return a deep copy of the JSON topology (`artifacts.modelTopology` or a model.json's
 * `modelTopology`), leaving everything else untouched.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const TO_KERAS: Record<string, string> = {
  KerasGRU: 'GRU',
  KerasGRUCell: 'GRUCell',
  FastOrthogonal: 'Orthogonal',
  TrainableEmbedding: 'Embedding',
  // The fused layers (../fused) keep Keras's weight layout and config; only their names differ.
  FusedLSTM: 'LSTM',
  FusedGRU: 'GRU',
  FusedSimpleRNN: 'SimpleRNN'
}

/** Config keys of the fused layers that Keras does not know. */
const FUSED_ONLY_KEYS = ['fused_implementation', 'input_gradient']

function isObject(x: Json): x is { [key: string]: Json } {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

function mapClassNames(node: Json, rename: (className: string, config: Json) => string): Json {
  if (Array.isArray(node)) return node.map((child) => mapClassNames(child, rename))
  if (!isObject(node)) return node
  const out: { [key: string]: Json } = {}
  for (const [key, value] of Object.entries(node)) out[key] = mapClassNames(value, rename)
  const className = out.class_name
  if (typeof className === 'string') out.class_name = rename(className, out.config ?? null)
  return out
}

/** A copy of a saved tfjs topology with our class names replaced by Keras's. */
export function toKerasTopology<T extends object>(topology: T): T {
  const renamed = mapClassNames(topology as unknown as Json, (name) => TO_KERAS[name] ?? name)
  return dropKeys(renamed, FUSED_ONLY_KEYS) as unknown as T
}

function dropKeys(node: Json, keys: string[]): Json {
  if (Array.isArray(node)) return node.map((c) => dropKeys(c, keys))
  if (!isObject(node)) return node
  const out: { [key: string]: Json } = {}
  for (const [k, v] of Object.entries(node)) if (!keys.includes(k)) out[k] = dropKeys(v, keys)
  return out
}

/** A copy of a Keras topology with GRU (reset_after), Orthogonal and Embedding mapped to our classes. */
export function fromKerasTopology<T extends object>(topology: T): T {
  return mapClassNames(topology as unknown as Json, (name, config) => {
    const resetAfter = isObject(config) ? config.reset_after : undefined
    if ((name === 'GRU' || name === 'GRUCell') && resetAfter !== false) return name === 'GRU' ? 'KerasGRU' : 'KerasGRUCell'
    if (name === 'Orthogonal') return 'FastOrthogonal'
    if (name === 'Embedding') return 'TrainableEmbedding'
    return name
  }) as unknown as T
}
