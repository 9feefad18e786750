/**
 * `normalizeKerasTopology`: a converted model's topology made loadable by tfjs-layers 4.22 with every
 * SimpleRNN configured for `SingleGateSimpleRNN`. The generic Keras 3 → tfjs rewriting lives in
 * topology_normalizer.ts, the SimpleRNN and Bidirectional rules in rnn_rules.ts.
 */
import type {ActivationSemantics} from './activation.js';
import type {JsonObject} from './json.js';
import {simpleRNNRules} from './rnn_rules.js';
import {KERAS_USE_FLOAT32_WEIGHTS} from './simple_rnn_weights.js';
import {normalizeTopology} from './topology_normalizer.js';

export type {Json, JsonObject} from './json.js';

export interface NormalizeOptions {
  /** Configure SimpleRNN layers for `SingleGateSimpleRNN` (neuron, float32 weights). Default true. */
  replaceSimpleRNN?: boolean;
  /** Passed to every SingleGateSimpleRNN. Default `KERAS_USE_FLOAT32_WEIGHTS` (true). */
  useFloat32Weights?: boolean;
  /**
   * Replace every `*_initializer` by Zeros. The loader does this when weights follow, because tfjs
   * runs initializers while it builds the model (an Orthogonal one on a 512-unit recurrent kernel
   * takes seconds) and the values are overwritten at once; tfjs' own loader skips them the same way.
   * Porting note: the loaded layers then report Zeros initializers in getConfig().
   */
  zeroInitializers?: boolean;
  /** `generatedBy` of the model.json ("keras v3.14.1"), used when the topology has no keras_version. */
  generatedBy?: string;
}

export interface NormalizedTopology {
  /** The model config (`{class_name, config}`), pythonic keys, ready for tfjs' `modelFromJSON`. */
  modelConfig: JsonObject;
  /** 2 or 3 for Keras files, null for a model saved by tfjs itself. */
  kerasMajor: 2 | 3 | null;
  /** Whose activation definitions apply. */
  semantics: ActivationSemantics;
  /** The top-level model's name (Keras 3 may prefix weight names with it). */
  modelName: string | null;
  /**
   * Keras 3 Bidirectional weight-name prefixes → the scope tfjs gives the same variables,
   * e.g. 'forward_simple_rnn' → 'bidirectional/forward_simple_rnn'.
   */
  weightPrefixes: Map<string, string>;
}

/**
 * Normalizes a converted model's `modelTopology` (the whole object, with `keras_version` and
 * `model_config`, or just the model config). The input is not modified.
 */
export function normalizeKerasTopology(
  modelTopology: unknown,
  options: NormalizeOptions = {},
): NormalizedTopology {
  const weightPrefixes = new Map<string, string>();
  const rules = simpleRNNRules({
    replaceSimpleRNN: options.replaceSimpleRNN ?? true,
    useFloat32Weights: options.useFloat32Weights ?? KERAS_USE_FLOAT32_WEIGHTS,
    weightPrefixes,
  });
  const normalized = normalizeTopology(modelTopology, {
    rules,
    zeroInitializers: options.zeroInitializers ?? false,
    generatedBy: options.generatedBy,
  });
  return {...normalized, weightPrefixes};
}
