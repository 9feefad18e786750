/**
 * Keras activation names → the single-gate neuron that computes exactly the same function.
 *
 * The same name does not always mean the same function: `hard_sigmoid` is clamp(0.2·x + 0.5, 0, 1) in
 * tf.keras 2.x and in tfjs-layers, but clamp(x/6 + 0.5, 0, 1) in Keras 3. The caller says whose
 * semantics apply; the loader knows it from the model file's `keras_version`.
 */
import type {NeuronDescriptor} from '../contracts/descriptor.js';

/** Whose definition of an activation name applies. */
export type ActivationSemantics = 'keras2' | 'keras3' | 'tfjs';

/** Keras 2 and tfjs-layers: clamp(0.2·x + 0.5, 0, 1). */
const HARD_SIGMOID_KERAS2: NeuronDescriptor = {type: 'hardSigmoid', a: 0.2, b: 0.5};
/** Keras 3 (`keras.activations.hard_sigmoid` = relu6(x + 3) / 6): clamp(x/6 + 0.5, 0, 1). */
const HARD_SIGMOID_KERAS3: NeuronDescriptor = {type: 'hardSigmoid', a: 1 / 6, b: 0.5};

/**
 * Activations with an exact neuron, keyed by their camel-case name (tfjs-layers converts Keras'
 * snake_case names, so 'hard_sigmoid' arrives as 'hardSigmoid' once a config went through tfjs).
 * `gelu` is the exact erf form, as Keras' `gelu` (approximate=False by default) and tfjs' 'gelu'.
 */
const EXACT: Readonly<Record<string, NeuronDescriptor | ((s: ActivationSemantics) => NeuronDescriptor)>> = {
  linear: {type: 'none'},
  tanh: {type: 'tanh', a: 1, b: 1},
  relu: {type: 'relu', a: 0},
  relu6: {type: 'reluN', a: 0, b: 6},
  sigmoid: {type: 'sigmoid'},
  hardSigmoid: (s) => (s === 'keras3' ? HARD_SIGMOID_KERAS3 : HARD_SIGMOID_KERAS2),
  elu: {type: 'elu', a: 1},
  softplus: {type: 'softplus', a: 1, b: 1},
  softsign: {type: 'softsign'},
  gelu: {type: 'gelu'},
};

/** The Keras spellings of the activations above, for error messages. */
export const SUPPORTED_KERAS_ACTIVATIONS: readonly string[] = [
  'linear',
  'tanh',
  'relu',
  'relu6',
  'sigmoid',
  'hard_sigmoid',
  'elu',
  'softplus',
  'softsign',
  'gelu',
];

/** 'hard_sigmoid' → 'hardSigmoid'; camel-case names pass through. */
function toCamelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Reads an activation as a config holds it: a name, `null` (Keras' default for "no activation" is
 * 'linear'), or a Keras 3 serialized function `{class_name: 'function', config: 'tanh', ...}`.
 */
export function activationName(activation: unknown): string | null {
  if (activation == null) return 'linear';
  if (typeof activation === 'string') return activation;
  if (typeof activation === 'object') {
    const record = activation as Record<string, unknown>;
    const config = record['config'];
    if (typeof config === 'string') return config;
    const className = record['class_name'] ?? record['className'];
    if (typeof className === 'string') return className;
  }
  return null;
}

/**
 * The neuron for a Keras activation, or a clear error naming the layer and the activation.
 *
 * @param activation The activation as the layer config holds it (see `activationName`).
 * @param semantics Whose definition of the name applies (matters for hard_sigmoid only).
 * @param layerName Shown in errors.
 */
export function kerasActivationToNeuron(
  activation: unknown,
  semantics: ActivationSemantics,
  layerName: string,
): NeuronDescriptor {
  const name = activationName(activation);
  const entry = name == null ? undefined : EXACT[toCamelCase(name)];
  if (entry === undefined) {
    throw new Error(
      `SimpleRNN layer '${layerName}': activation ${JSON.stringify(name ?? activation)} has no exact ` +
        `single-gate neuron, so the layer cannot run on SingleGateRNN. Supported activations: ` +
        `${SUPPORTED_KERAS_ACTIVATIONS.join(', ')}.`,
    );
  }
  return typeof entry === 'function' ? entry(semantics) : entry;
}

/** Whether two neurons compute the same function (parameters compared, a missing one as 0). */
export function sameNeuron(x: NeuronDescriptor, y: NeuronDescriptor): boolean {
  return (
    x.type === y.type && (x.a ?? 0) === (y.a ?? 0) && (x.b ?? 0) === (y.b ?? 0) && (x.c ?? 0) === (y.c ?? 0)
  );
}
