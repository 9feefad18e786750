/**
 * Keras 3 node indices of nested models, as tfjs counts them.
 *
 * tfjs gives a model used as a layer (a Sequential or Functional inside a Functional) an inbound node
 * of its own when it is built, linking its inputs to its outputs, as Keras 2 did: a Keras 2 config
 * therefore calls the nested model's first use node 1. Keras 3 builds no such node, and calls the same
 * use node 0. Without the shift tfjs resolves node 0 to the nested model's own input and fails with
 * "Graph disconnected".
 */
import {isObject, Json, JsonObject} from './json.js';

function shifted(ref: Json, nested: ReadonlySet<string>): Json {
  if (Array.isArray(ref) && typeof ref[0] === 'string' && typeof ref[1] === 'number' && nested.has(ref[0])) {
    return [ref[0], ref[1] + 1, ...ref.slice(2)];
  }
  return ref;
}

/**
 * Shifts every reference (in inbound nodes, Keras 2 form, and in `output_layers`) to a nested model
 * of `config` by one node. `config` is a normalized Keras 3 Functional config; edited in place.
 */
export function shiftNestedModelNodes(config: JsonObject): void {
  const layers = Array.isArray(config['layers']) ? config['layers'] : [];
  const nested = new Set<string>();
  for (const layer of layers) {
    if (!isObject(layer) || !isObject(layer['config'])) continue;
    const name = layer['config']['name'] ?? layer['name'];
    if (Array.isArray(layer['config']['layers']) && typeof name === 'string') nested.add(name);
  }
  if (nested.size === 0) return;
  for (const layer of layers) {
    if (!isObject(layer) || !Array.isArray(layer['inbound_nodes'])) continue;
    layer['inbound_nodes'] = layer['inbound_nodes'].map((node) =>
      Array.isArray(node) ? node.map((ref) => shifted(ref, nested)) : node,
    );
  }
  if (Array.isArray(config['output_layers'])) {
    config['output_layers'] = config['output_layers'].map((ref) => shifted(ref, nested));
  }
}
