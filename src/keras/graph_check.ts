/**
 * Checks a model topology before tfjs builds it. tfjs' `fromConfig` queues every layer call whose
 * inputs do not exist yet and loops until the queue is empty: a call that can never run (its input
 * names a layer the model lacks, a node index past the end, a cycle a → b → a or a layer fed by
 * itself) keeps the loop spinning forever and blocks the event loop. Here each reference must resolve
 * and the calls must have an order in which every input exists before it is used; an error names the
 * layer and the reference.
 *
 * Also bounded: how deep a topology's JSON nests, checked before anything walks it recursively (5000
 * nested lists would otherwise end in "Maximum call stack size exceeded").
 */
import {describe, isObject, Json, JsonObject} from './json.js';

/**
 * The deepest nesting of lists and objects a topology may have. Keras writes a few levels per nested
 * model or wrapper (Bidirectional in TimeDistributed in a nested model is about 15); 100 leaves room
 * for generous nesting and stays far from the JavaScript stack.
 */
export const MAX_TOPOLOGY_DEPTH = 100;

/** Throws when `topology` nests lists and objects deeper than `MAX_TOPOLOGY_DEPTH`; iterative. */
export function checkTopologyDepth(topology: unknown): void {
  const stack: [unknown, number, string][] = [[topology, 1, 'modelTopology']];
  while (stack.length > 0) {
    const [value, depth, path] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_TOPOLOGY_DEPTH) {
      throw new Error(
        `modelTopology nests more than ${MAX_TOPOLOGY_DEPTH} levels of lists and objects (at ${path.slice(0, 200)}); ` +
          'a Keras model is far shallower, so the file is corrupt or crafted',
      );
    }
    const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
    for (const [key, item] of entries) {
      stack.push([item, depth + 1, Array.isArray(value) ? `${path}[${String(key)}]` : `${path}.${key}`]);
    }
  }
}

/** A layer's calls: the node each one makes, and what it reads. */
interface LayerCalls {
  /** Nodes the layer has before any call: an InputLayer and a nested model make one as they are built. */
  ownNodes: number;
  /** Tensors each node holds, or null where the file cannot say (a layer returning its states). */
  outputs: number | null;
  /** inbound_nodes[j]: the [layer, node] pairs call j reads. */
  calls: Reference[][];
}

/** A call of one layer: `layer`'s inbound_nodes[`call`], or an endpoint of the model. */
type CallId = `${string}#${number}`;

function isIndex(value: Json | undefined): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** `[layer, node, tensor, kwargs?]`: one input of a call or one model endpoint. */
function readReference(entry: Json, where: string): Reference {
  if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !isIndex(entry[1]) || !isIndex(entry[2])) {
    throw new Error(
      `${where} must be [layer name, node index >= 0, tensor index >= 0, ...], got ${describe(entry)}`,
    );
  }
  return [entry[0], entry[1], entry[2]];
}

/** A layer, one of its nodes, one of that node's tensors. */
type Reference = [string, number, number];

/** How many tensors each call of a layer gives, where the config says it. */
function outputCount(className: Json | undefined, config: JsonObject): number | null {
  // A wrapper's count depends on its layer (Bidirectional with merge_mode null gives two); an RNN
  // returning its states gives one per state.
  if (isObject(config['layer']) || JSON.stringify(config).includes('"return_state":true')) return null;
  if (className === 'Sequential' || !Array.isArray(config['layers'])) return 1;
  return Array.isArray(config['output_layers']) ? config['output_layers'].length : null;
}

function readLayers(config: JsonObject, model: string): Map<string, LayerCalls> {
  const layers = new Map<string, LayerCalls>();
  for (const [i, entry] of (config['layers'] as Json[]).entries()) {
    const layer = entry as JsonObject;
    const layerConfig = layer['config'] as JsonObject;
    const name = layer['name'] ?? layerConfig['name'];
    if (typeof name !== 'string') {
      throw new Error(
        `${model}: layer ${i} has no name (got ${describe(name)}); a functional model's layers are referred to by name`,
      );
    }
    if (layers.has(name)) throw new Error(`${model}: two layers are named '${name}'`);
    const nodes = layer['inbound_nodes'] ?? [];
    // tfjs builds a nested model's own node when it makes the model, unless the model is empty.
    const isModel = Array.isArray(layerConfig['layers']) && layerConfig['layers'].length > 0;
    const calls = (nodes as Json[]).map((node, j) => {
      const where = `${model}: layer '${name}' inbound_nodes[${j}]`;
      if (!Array.isArray(node)) throw new Error(`${where} must be a list of inputs, got ${describe(node)}`);
      return node.map((input, k) => readReference(input, `${where}[${k}]`));
    });
    const ownNodes = layer['class_name'] === 'InputLayer' || isModel ? 1 : 0;
    layers.set(name, {ownNodes, outputs: outputCount(layer['class_name'], layerConfig), calls});
  }
  return layers;
}

/** The call that makes `node` of `layer`, or null when the layer has it from the start. */
function producer(
  layers: Map<string, LayerCalls>,
  [layer, node, tensor]: Reference,
  where: string,
): CallId | null {
  const target = layers.get(layer);
  if (target == null) {
    const known = [...layers.keys()].slice(0, 20).map((n) => `'${n}'`);
    throw new Error(
      `${where} refers to layer '${layer}', which the model does not have (its layers: ${known.join(', ')})`,
    );
  }
  const count = target.ownNodes + target.calls.length;
  if (node >= count) {
    throw new Error(
      `${where} refers to node ${node} of layer '${layer}', which has ${count} node${count === 1 ? '' : 's'} (indices 0 to ${count - 1})`,
    );
  }
  if (target.outputs != null && tensor >= target.outputs) {
    throw new Error(
      `${where} refers to tensor ${tensor} of layer '${layer}', which gives ${target.outputs} tensor${target.outputs === 1 ? '' : 's'} per call`,
    );
  }
  return node < target.ownNodes ? null : `${layer}#${node - target.ownNodes}`;
}

/** Throws on a cycle among calls, naming the layers around it. Iterative depth-first search. */
function checkAcyclic(edges: Map<CallId, CallId[]>, model: string): void {
  const state = new Map<CallId, 'open' | 'done'>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const path: CallId[] = [start];
    const next: number[] = [0];
    state.set(start, 'open');
    while (path.length > 0) {
      const at = path[path.length - 1];
      const out = edges.get(at) ?? [];
      const i = next[next.length - 1]++;
      if (i >= out.length) {
        state.set(at, 'done');
        path.pop();
        next.pop();
        continue;
      }
      const to = out[i];
      if (state.get(to) === 'open') {
        const ring = [...path.slice(path.indexOf(to)), to].map(
          (id) => `'${id.slice(0, id.lastIndexOf('#'))}'`,
        );
        // A call reads its own layer's output (a self-loop) or the layers read each other.
        throw new Error(
          `${model}: the layers ${ring.reverse().join(' → ')} form a cycle (each takes input from the one before), so the model cannot be built`,
        );
      }
      if (state.get(to) == null) {
        state.set(to, 'open');
        path.push(to);
        next.push(0);
      }
    }
  }
}

/** Checks one functional model's graph, then the models nested in it. */
function checkModel(config: JsonObject, model: string): void {
  const layers = readLayers(config, model);
  // An edge call → call it needs first; a layer's calls make its nodes in order, so each needs the one before.
  const edges = new Map<CallId, CallId[]>();
  for (const [name, {calls}] of layers) {
    calls.forEach((inputs, j) => {
      const needs: CallId[] = j > 0 ? [`${name}#${j - 1}`] : [];
      inputs.forEach((input, k) => {
        const made = producer(layers, input, `${model}: layer '${name}' inbound_nodes[${j}][${k}]`);
        if (made != null) needs.push(made);
      });
      edges.set(`${name}#${j}`, needs);
    });
  }
  for (const key of ['input_layers', 'output_layers']) {
    const endpoints = config[key] ?? [];
    if (!Array.isArray(endpoints))
      throw new Error(`${model}: ${key} must be a list, got ${describe(endpoints)}`);
    endpoints.forEach((entry, i) =>
      producer(layers, readReference(entry, `${model}: ${key}[${i}]`), `${model}: ${key}[${i}]`),
    );
  }
  checkAcyclic(edges, model);
}

/** Every model config inside `entry` (a `{class_name, config}`), depth first, with a name for errors. */
function visitModels(
  entry: JsonObject,
  where: string,
  visit: (config: JsonObject, where: string, className: Json | undefined) => void,
): void {
  const config = entry['config'];
  if (!isObject(config)) return;
  const name = typeof config['name'] === 'string' ? `'${config['name']}'` : '';
  const here = `${where}${name === '' ? '' : ` ${name}`}`;
  const layers = config['layers'];
  if (layers !== undefined && !Array.isArray(layers)) {
    throw new Error(`${here}: layers must be a list of layer configs, got ${describe(layers)}`);
  }
  if (Array.isArray(config['layers'])) {
    visit(config, here, entry['class_name']);
    for (const layer of config['layers']) if (isObject(layer)) visitModels(layer, `${here} > layer`, visit);
  }
  for (const key of ['layer', 'backward_layer']) {
    const inner = config[key];
    if (isObject(inner)) visitModels(inner, `${here} > ${key}`, visit);
  }
}

/**
 * Checks a normalized model config (`{class_name, config}`) and the models nested in it: every
 * functional model's layer inputs and endpoints name a layer it has and a node that layer makes, and
 * no layer takes input, directly or not, from its own output. Sequential models refer to nothing.
 */
export function checkLayerGraph(modelConfig: JsonObject): void {
  visitModels(modelConfig, 'model', (config, where, className) => {
    if (className !== 'Sequential') checkModel(config, where);
  });
}
