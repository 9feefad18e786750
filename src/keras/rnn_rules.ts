/**
 * The topology rules for SimpleRNN and Bidirectional: SimpleRNN configs get `SingleGateSimpleRNN`'s
 * options, Bidirectional wrappers the shape tfjs builds them from.
 *
 * - `SimpleRNN`: the neuron, when tfjs would read the activation name differently from the Keras that
 *   wrote the file (Keras 3's hard_sigmoid), and `use_float32_weights`.
 * - `Bidirectional`: Keras 3 names the wrapped layer `forward_<name>` and always writes
 *   `backward_layer`; tfjs adds its own `forward_`/`backward_` prefix and builds the backward layer
 *   from the forward config. The prefix is removed, `backward_layer` is checked to be the mirror of
 *   `layer` and dropped, and the weight-name prefixes are recorded for the weight loader.
 */
import {activationName, kerasActivationToNeuron, sameNeuron} from './activation.js';
import {describe, isObject, JsonObject, nameOf} from './json.js';
import type {KerasFlavour, LayerRule} from './topology_normalizer.js';

interface SimpleRNNRuleOptions {
  /** Configure SimpleRNN layers for `SingleGateSimpleRNN`; false keeps them stock. */
  replaceSimpleRNN: boolean;
  /** Written into every SimpleRNN config. */
  useFloat32Weights: boolean;
  /**
   * Filled with Keras 3 Bidirectional weight-name prefixes → the scope tfjs gives the same
   * variables, e.g. 'forward_simple_rnn' → 'bidirectional/forward_simple_rnn'.
   */
  weightPrefixes: Map<string, string>;
}

function normalizeSimpleRNN(config: JsonObject, flavour: KerasFlavour, options: SimpleRNNRuleOptions): void {
  const name = nameOf(config['name'], 'simple_rnn');
  if (config['time_major'] === true) {
    throw new Error(
      `SimpleRNN layer '${name}': time_major = true is not supported (tfjs takes [batch, time, features])`,
    );
  }
  const neuron = kerasActivationToNeuron(config['activation'] ?? 'tanh', flavour.semantics, name);
  let tfjsNeuron = null;
  try {
    tfjsNeuron = kerasActivationToNeuron(config['activation'] ?? 'tanh', 'tfjs', name);
  } catch {
    // handled below
  }
  const sameInTfjs = tfjsNeuron != null && sameNeuron(neuron, tfjsNeuron);
  if (!options.replaceSimpleRNN) {
    if (!sameInTfjs) {
      throw new Error(
        `SimpleRNN layer '${name}': Keras ${flavour.kerasMajor} defines activation '${activationName(config['activation'])}' ` +
          `differently from tfjs (${describe(neuron)} vs ${describe(tfjsNeuron)}); load with replaceSimpleRNN: true`,
      );
    }
    return;
  }
  if (!sameInTfjs)
    config['neuron'] = {type: neuron.type, a: neuron.a ?? 0, b: neuron.b ?? 0, c: neuron.c ?? 0};
  config['use_float32_weights'] = options.useFloat32Weights;
}

const MIRRORED_RNN_KEYS = ['units', 'activation', 'use_bias', 'return_sequences', 'return_state', 'stateful'];

function normalizeBidirectional(
  config: JsonObject,
  flavour: KerasFlavour,
  options: SimpleRNNRuleOptions,
): void {
  const name = nameOf(config['name'], 'bidirectional');
  const layer = config['layer'];
  if (!isObject(layer) || !isObject(layer['config'])) {
    throw new Error(
      `Bidirectional layer '${name}': 'layer' must be a {class_name, config} object, got ${describe(layer)}`,
    );
  }
  const inner = layer['config'];
  const innerName = nameOf(inner['name'], '');
  const base =
    flavour.kerasMajor === 3 && innerName.startsWith('forward_')
      ? innerName.slice('forward_'.length)
      : innerName;
  inner['name'] = base;
  if (flavour.kerasMajor === 3) options.weightPrefixes.set(innerName, `${name}/forward_${base}`);
  // Porting note: Keras' Bidirectional forces zero_output_for_mask = return_sequences on both
  // directions (tf.keras does it at run time, so its file may not say so).
  inner['zero_output_for_mask'] = inner['return_sequences'] === true;

  const backward = config['backward_layer'];
  if (isObject(backward) && isObject(backward['config'])) {
    const back = backward['config'];
    const problems = MIRRORED_RNN_KEYS.filter(
      (key) => JSON.stringify(back[key]) !== JSON.stringify(inner[key]),
    );
    if (backward['class_name'] !== layer['class_name']) problems.unshift('class_name');
    if ((back['go_backwards'] === true) === (inner['go_backwards'] === true)) problems.push('go_backwards');
    if (problems.length > 0) {
      throw new Error(
        `Bidirectional layer '${name}': a backward_layer that differs from the forward layer in ` +
          `${problems.join(', ')} is not supported (tfjs builds the backward layer from the forward config)`,
      );
    }
    if (flavour.kerasMajor === 3)
      options.weightPrefixes.set(nameOf(back['name'], ''), `${name}/backward_${base}`);
  }
  delete config['backward_layer'];
}

/** The rules, by layer class name, for `normalizeTopology`. */
export function simpleRNNRules(options: SimpleRNNRuleOptions): Record<string, LayerRule> {
  return {
    SimpleRNN: (config, flavour) => normalizeSimpleRNN(config, flavour, options),
    Bidirectional: (config, flavour) => normalizeBidirectional(config, flavour, options),
  };
}
