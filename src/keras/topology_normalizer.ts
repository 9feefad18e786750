/**
 * The generic Keras 3 → tfjs topology normalizer: rewrites a converted model's `modelTopology`
 * (Keras 2 or 3) into the Keras-2-style JSON that tfjs-layers 4.22 deserializes, for every layer
 * type. Rules for particular layer classes (rnn_rules.ts) run on each layer's config once it is
 * normalized.
 *
 * What Keras 3 writes that tfjs 4.22 cannot read, and what becomes of it here:
 * - `InputLayer` `batch_shape` → `batch_input_shape` (tfjs: "An InputLayer should be passed either a
 *   batchInputShape or an inputShape"); Keras 3's `optional` is dropped.
 * - `dtype` as a `DTypePolicy` object → its name (mixed policies → 'float32', see the porting note).
 * - `module`, `registered_name`, `build_config`, `compile_config`, `shared_object_id` → dropped.
 * - Functional `inbound_nodes` as `{args, kwargs}` with `__keras_tensor__` entries → Keras 2's
 *   `[[layer, node, tensor, kwargs], ...]`; tensors in `kwargs.initial_state` become extra inputs,
 *   which is how Keras 2 recorded them.
 * - `input_layers` / `output_layers` given flat (`[name, node, tensor]`) or as a dict → a list of those.
 * - references to a nested model's nodes → one node later, as tfjs counts them (nested_models.ts).
 */
import type {ActivationSemantics} from './activation.js';
import {describe, isObject, Json, JsonObject, nameOf} from './json.js';
import {shiftNestedModelNodes} from './nested_models.js';

/** Which Keras wrote the file, as a rule needs to know it. */
export interface KerasFlavour {
  /** 2 or 3 for Keras files, null for a model saved by tfjs itself. */
  kerasMajor: 2 | 3 | null;
  /** Whose activation definitions apply. */
  semantics: ActivationSemantics;
}

/** Rewrites one layer's (already normalized) config in place. */
export type LayerRule = (config: JsonObject, flavour: KerasFlavour) => void;

interface TopologyNormalizerOptions {
  /** Rules by layer class name. */
  rules: Readonly<Record<string, LayerRule>>;
  /** Replace every `*_initializer` by Zeros (see `NormalizeOptions.zeroInitializers`). */
  zeroInitializers: boolean;
  /** `generatedBy` of the model.json, used when the topology has no keras_version. */
  generatedBy?: string;
}

interface NormalizedModelConfig extends KerasFlavour {
  /** The model config (`{class_name, config}`), pythonic keys, ready for tfjs' `modelFromJSON`. */
  modelConfig: JsonObject;
  /** The top-level model's name (Keras 3 may prefix weight names with it). */
  modelName: string | null;
}

interface Context extends KerasFlavour {
  rules: Readonly<Record<string, LayerRule>>;
  zeroInitializers: boolean;
}

const DROPPED_ENTRY_KEYS = new Set([
  'module',
  'registered_name',
  'build_config',
  'compile_config',
  'shared_object_id',
]);
const DTYPE_POLICY_CLASSES = new Set(['DTypePolicy', 'FloatDTypePolicy', 'Policy', 'QuantizedDTypePolicy']);

function kerasMajorOf(topology: JsonObject, generatedBy: string | undefined): 2 | 3 | null {
  const version = topology['keras_version'];
  const text = typeof version === 'string' ? version : (generatedBy ?? '');
  if (/^tfjs/i.test(text) || /tensorflow\.?js/i.test(text)) return null;
  const match = /(\d+)\.\d+/.exec(text);
  if (match) return Number(match[1]) >= 3 ? 3 : 2;
  // No version anywhere: Keras 3 leaves unmistakable marks in the JSON.
  const json = JSON.stringify(topology);
  return /"batch_shape"|"DTypePolicy"|"__keras_tensor__"|"registered_name"/.test(json) ? 3 : 2;
}

/**
 * Porting note: tfjs computes in float32 only. A mixed-precision policy keeps float32 variables and
 * computes in float16 in Keras; here it computes in float32, so outputs are, if anything, closer to
 * the float32 reference than Keras' own.
 */
function dtypeName(policy: JsonObject): string {
  const config = policy['config'];
  const name = isObject(config) && typeof config['name'] === 'string' ? config['name'] : 'float32';
  if (/float16|bfloat16/.test(name)) return 'float32';
  return name;
}

/** Serialized objects nested in a layer config (initializers, regularizers, dtype policies, ...). */
function normalizeValue(value: Json, ctx: Context): Json {
  if (Array.isArray(value)) return value.map((item) => normalizeValue(item, ctx));
  if (!isObject(value)) return value;
  const className = value['class_name'];
  if (typeof className === 'string' && DTYPE_POLICY_CLASSES.has(className)) return dtypeName(value);
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof className === 'string' && DROPPED_ENTRY_KEYS.has(key)) continue;
    out[key] =
      ctx.zeroInitializers && key.endsWith('_initializer') && isObject(item)
        ? {class_name: 'Zeros', config: {}}
        : normalizeValue(item, ctx);
  }
  return out;
}

function historyOf(value: Json): [string, number, number] | null {
  if (!isObject(value) || value['class_name'] !== '__keras_tensor__') return null;
  const config = value['config'];
  const history = isObject(config) ? config['keras_history'] : null;
  if (
    Array.isArray(history) &&
    history.length >= 3 &&
    typeof history[0] === 'string' &&
    typeof history[1] === 'number' &&
    typeof history[2] === 'number'
  ) {
    return [history[0], history[1], history[2]];
  }
  throw new Error(
    `a __keras_tensor__ without a valid keras_history [layer, node, tensor]: ${describe(value)}`,
  );
}

/** Every Keras 3 tensor reference in `value`, in order (depth first). */
function collectTensors(value: Json, out: [string, number, number][]): void {
  const history = historyOf(value);
  if (history) {
    out.push(history);
  } else if (Array.isArray(value)) {
    for (const item of value) collectTensors(item, out);
  } else if (isObject(value)) {
    for (const item of Object.values(value)) collectTensors(item, out);
  }
}

function hasTensor(value: Json): boolean {
  const found: [string, number, number][] = [];
  collectTensors(value, found);
  return found.length > 0;
}

/** One Keras 3 call node `{args, kwargs}` → Keras 2's `[[layer, node, tensor, kwargs], ...]`. */
function convertNode(node: Json, layerName: string): Json {
  if (Array.isArray(node)) return node; // already Keras 2
  if (!isObject(node) || !('args' in node)) {
    throw new Error(
      `layer '${layerName}': inbound node must be a Keras 2 list or a Keras 3 {args, kwargs}, got ${describe(node)}`,
    );
  }
  const tensors: [string, number, number][] = [];
  collectTensors(node['args'] ?? [], tensors);
  const kwargs: JsonObject = {};
  const given = node['kwargs'];
  if (isObject(given)) {
    for (const [key, value] of Object.entries(given)) {
      if (key === 'initial_state') {
        collectTensors(value, tensors);
      } else if (hasTensor(value)) {
        throw new Error(
          `layer '${layerName}': keyword argument '${key}' is a tensor; tfjs-layers models can only take ` +
            `tensors as layer inputs (and initial_state)`,
        );
      } else if (value !== null) {
        kwargs[key] = value;
      }
    }
  }
  return tensors.map(([name, nodeIndex, tensorIndex]) => [name, nodeIndex, tensorIndex, kwargs]);
}

/** `input_layers` / `output_layers`: flat `[name, node, tensor]`, a list of those, or a dict of those. */
function convertEndpoints(value: Json | undefined, key: string): Json {
  if (value == null) return [];
  if (Array.isArray(value) && typeof value[0] === 'string') return [value];
  if (Array.isArray(value)) {
    return value.map((entry) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
        throw new Error(
          `model config '${key}': expected [layer, node, tensor] entries, got ${describe(entry)}`,
        );
      }
      return entry;
    });
  }
  if (isObject(value)) return convertEndpoints(Object.values(value), key);
  throw new Error(`model config '${key}': expected a list, got ${describe(value)}`);
}

/**
 * Keras before 2.2.3 saved a Sequential model's config as the bare list of its layers; tfjs reads
 * that too. Here it becomes `{layers: [...]}`, the form every later Keras writes.
 */
function withListFormSequential(entry: Json): Json {
  if (isObject(entry) && entry['class_name'] === 'Sequential' && Array.isArray(entry['config'])) {
    return {...entry, config: {layers: entry['config']}};
  }
  return entry;
}

function normalizeLayerEntry(given: Json, ctx: Context, where: string): JsonObject {
  const entry = withListFormSequential(given);
  if (!isObject(entry) || typeof entry['class_name'] !== 'string' || !isObject(entry['config'])) {
    throw new Error(`${where}: expected a layer {class_name, config}, got ${describe(entry)}`);
  }
  const className = entry['class_name'];
  const config = normalizeValue(entry['config'], ctx) as JsonObject;
  const name = nameOf(config['name'] ?? entry['name'], String(className));

  if (Array.isArray(config['layers'])) normalizeModelConfig(config, ctx);
  if (isObject(config['layer']))
    config['layer'] = normalizeLayerEntry(config['layer'], ctx, `layer '${name}'`);
  if (isObject(config['backward_layer'])) {
    config['backward_layer'] = normalizeLayerEntry(config['backward_layer'], ctx, `layer '${name}'`);
  }

  if (className === 'InputLayer') {
    if (config['batch_shape'] !== undefined && config['batch_input_shape'] === undefined) {
      config['batch_input_shape'] = config['batch_shape'];
    }
    delete config['batch_shape'];
    delete config['optional'];
  }
  ctx.rules[className]?.(config, ctx);

  const out: JsonObject = {class_name: className, config};
  if (entry['name'] !== undefined) out['name'] = entry['name'];
  if (entry['inbound_nodes'] !== undefined) {
    const nodes = entry['inbound_nodes'];
    if (!Array.isArray(nodes))
      throw new Error(`layer '${name}': inbound_nodes must be a list, got ${describe(nodes)}`);
    out['inbound_nodes'] = nodes
      .map((node) => convertNode(node, name))
      .filter((node) => !Array.isArray(node) || node.length > 0);
  }
  return out;
}

function normalizeModelConfig(config: JsonObject, ctx: Context): void {
  const layers = config['layers'] as Json[];
  config['layers'] = layers.map((layer, i) => normalizeLayerEntry(layer, ctx, `model layer ${i}`));
  if ('input_layers' in config)
    config['input_layers'] = convertEndpoints(config['input_layers'], 'input_layers');
  if ('output_layers' in config)
    config['output_layers'] = convertEndpoints(config['output_layers'], 'output_layers');
  if (ctx.kerasMajor === 3) shiftNestedModelNodes(config);
}

/**
 * Normalizes a converted model's `modelTopology` (the whole object, with `keras_version` and
 * `model_config`, or just the model config), applying `options.rules`. The input is not modified.
 */
export function normalizeTopology(
  modelTopology: unknown,
  options: TopologyNormalizerOptions,
): NormalizedModelConfig {
  if (!isObject(modelTopology)) {
    throw new Error(`modelTopology must be an object, got ${describe(modelTopology)}`);
  }
  const modelConfig = isObject(modelTopology['model_config']) ? modelTopology['model_config'] : modelTopology;
  const kerasMajor = kerasMajorOf(modelTopology, options.generatedBy);
  const ctx: Context = {
    kerasMajor,
    semantics: kerasMajor === 3 ? 'keras3' : kerasMajor === 2 ? 'keras2' : 'tfjs',
    rules: options.rules,
    zeroInitializers: options.zeroInitializers,
  };
  const normalized = normalizeLayerEntry(modelConfig, ctx, 'model_config');
  const config = normalized['config'] as JsonObject;
  return {
    modelConfig: normalized,
    kerasMajor,
    semantics: ctx.semantics,
    modelName: typeof config['name'] === 'string' ? config['name'] : null,
  };
}
