/**
 * Small helpers the custom layers share: resolving initializer and activation identifiers the way
 * tfjs-layers does internally (its `getInitializer` / `getActivation` are not part of the public API),
 * and serializing them back into Keras-style config entries.
 *
 * Resolution goes through `tf.serialization.SerializationMap`, the same registry tfjs uses to load
 * models, so anything registered with `tf.serialization.registerClass` (stock or ours) resolves.
 */
import * as tf from '@tensorflow/tfjs'
import type { Tensor } from '@tensorflow/tfjs'

/** The tfjs-layers `Initializer` base type (not exported by name from `@tensorflow/tfjs`). */
export type Initializer = ReturnType<typeof tf.initializers.ones>

/** Config shape of a serialized Keras object: `{ className, config }`. */
export type ConfigDict = tf.serialization.ConfigDict

/** What an initializer option accepts: a tfjs name ('glorotUniform', 'zeros', ...), an instance, or a config. */
export type InitializerIdentifier = string | Initializer | ConfigDict

/** tfjs activation names: 'tanh', 'sigmoid', 'hardSigmoid', 'relu', 'linear', ... (null means linear). */
export type ActivationIdentifier = string | null

/** The public surface of a tfjs-layers `Activation` object. */
export interface Activation {
  apply(x: Tensor, axis?: number): Tensor
  getClassName(): string
}

/**
 * The runtime constructor of tfjs-layers' abstract `Initializer`. It is not exported, but every stock
 * initializer extends it directly; subclassing it keeps `instanceof Initializer` checks inside tfjs
 * (e.g. `tf.layers.lstm({ recurrentInitializer })`) working for our initializers.
 */
export const InitializerBase = Object.getPrototypeOf(tf.initializers.zeros().constructor) as abstract new () => Initializer

function registry(): tf.serialization.SerializationMap['classNameMap'] {
  return tf.serialization.SerializationMap.getMap().classNameMap
}

function fromRegistry(className: string, config: ConfigDict, what: string): unknown {
  const entry = registry()[className]
  if (!entry) throw new Error(`Unknown ${what}: ${className} (is it registered with tf.serialization.registerClass?)`)
  const [cls, fromConfig] = entry
  return fromConfig(cls, config)
}

function isConfigDict(x: unknown): x is ConfigDict {
  return typeof x === 'object' && x !== null && typeof (x as ConfigDict).className === 'string'
}

/**
 * Resolves an initializer option. Strings use the tfjs names (`tf.initializers.<name>`), also in
 * PascalCase ('GlorotUniform'). `orthogonalFactory`, when given, replaces the stock (slow) tfjs
 * orthogonal initializer for the string 'orthogonal' / 'Orthogonal'.
 */
export function resolveInitializer(
  id: InitializerIdentifier | undefined | null,
  fallback: InitializerIdentifier,
  orthogonalFactory?: () => Initializer
): Initializer {
  const value = id ?? fallback
  if (typeof value === 'string') {
    const camel = value.charAt(0).toLowerCase() + value.slice(1)
    if (camel === 'orthogonal' && orthogonalFactory) return orthogonalFactory()
    const factories = tf.initializers as unknown as Record<string, ((args: object) => Initializer) | undefined>
    const factory = factories[camel]
    if (typeof factory === 'function') return factory({})
    return fromRegistry(value, {}, 'initializer') as Initializer
  }
  if (value instanceof InitializerBase) return value
  if (isConfigDict(value)) {
    const config = (value.config ?? {}) as ConfigDict
    return fromRegistry(value.className as string, config, 'initializer') as Initializer
  }
  throw new Error(`Cannot interpret initializer ${JSON.stringify(value)}`)
}

/** Keras config entry of an initializer (what tfjs's `serializeInitializer` writes). */
export function serializeInitializer(init: Initializer): ConfigDict {
  return { className: init.getClassName(), config: init.getConfig() }
}

/** Resolves an activation name ('tanh', 'sigmoid', ...) or a serialized activation; null → linear. */
export function resolveActivation(id: ActivationIdentifier | ConfigDict | undefined, fallback: string): Activation {
  const value = id === undefined ? fallback : id === null ? 'linear' : id
  if (typeof value === 'string') return fromRegistry(value, {}, 'activation') as Activation
  if (isConfigDict(value)) return fromRegistry(value.className as string, (value.config ?? {}) as ConfigDict, 'activation') as Activation
  throw new Error(`Cannot interpret activation ${JSON.stringify(value)}`)
}

/** Keras config entry of an activation (its registered name, e.g. 'sigmoid'). */
export function serializeActivation(activation: Activation): string {
  return activation.getClassName()
}

/** Clamps a dropout rate into [0, 1] as tfjs-layers does. */
export function clampRate(rate: number | undefined | null): number {
  return Math.min(1, Math.max(0, rate ?? 0))
}
