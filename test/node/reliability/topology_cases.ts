/**
 * Topologies whose graph cannot be built (issue 22, item 1, and item 12's nesting and missing output
 * layer): each used to block the event loop inside tfjs' `fromConfig` or overflow the stack. Each
 * must now fail at once with an error naming the layer and the reference.
 */
import {memory} from '@tensorflow/tfjs-core';
import {loadKerasModel, type KerasModelFiles} from 'tfjs-single-gate-rnn';

import {Case, expectFailure} from '../../keras/cases.js';

export type Topology = Record<string, unknown>;
type Layer = {class_name: string; name: string; config: Record<string, unknown>; inbound_nodes: unknown[]};

/** Input 'in' [null, 3] → Dense 'a' → Dense 'b' (output), Keras 2 layout; no weights. */
export function chainTopology(): {modelTopology: Topology; layers: Layer[]; config: Topology} {
  const dense = (name: string, from: string): Layer => ({
    class_name: 'Dense',
    name,
    config: {name, units: 2},
    inbound_nodes: [[[from, 0, 0, {}]]],
  });
  const layers: Layer[] = [
    {
      class_name: 'InputLayer',
      name: 'in',
      config: {name: 'in', batch_input_shape: [null, 3], dtype: 'float32'},
      inbound_nodes: [],
    },
    dense('a', 'in'),
    dense('b', 'a'),
  ];
  const config = {name: 'chain', layers, input_layers: [['in', 0, 0]], output_layers: [['b', 0, 0]]};
  return {
    modelTopology: {keras_version: '2.15.0', model_config: {class_name: 'Functional', config}},
    layers,
    config,
  };
}

/** An in-memory source: the topology and no shards. */
export function filesOf(modelTopology: Topology): KerasModelFiles {
  return {
    modelJson: {modelTopology},
    loadShard: (path) => Promise.reject(new Error(`no shard '${path}' here`)),
  };
}

/** Loads `topology` without weights (strict: false: the variables keep their initial values). */
export function loadTopology(modelTopology: Topology): ReturnType<typeof loadKerasModel> {
  return loadKerasModel(filesOf(modelTopology), {strict: false});
}

function refused(
  label: string,
  change: (t: ReturnType<typeof chainTopology>) => void,
  pattern: RegExp,
): Case {
  return {
    name: `topology: refuses ${label}`,
    run: () => {
      const t = chainTopology();
      change(t);
      return expectFailure(() => loadTopology(t.modelTopology), pattern, label);
    },
  };
}

/** `depth` lists, one inside the other. */
export function nested(depth: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** `count` Dense layers in a Sequential model, then a layer tfjs cannot make. */
function failingSequential(count: number): Topology {
  const layers: unknown[] = [
    {class_name: 'InputLayer', config: {name: 'in', batch_input_shape: [null, 1], dtype: 'float32'}},
  ];
  for (let i = 0; i < count; i++) layers.push({class_name: 'Dense', config: {name: `d${i}`, units: 1}});
  layers.push({class_name: 'NoSuchLayer', config: {name: 'broken'}});
  return {keras_version: '2.15.0', model_config: {class_name: 'Sequential', config: {name: 'long', layers}}};
}

export function topologyCases(): Case[] {
  return [
    {
      // Issue 22, item 15: the 3000 layers built before the failing one kept their weights.
      name: 'topology: a build that fails at layer 3001 leaves no tensor behind',
      run: () =>
        expectFailure(
          () => loadTopology(failingSequential(3000)),
          /could not build the model from its topology: Unknown layer: NoSuchLayer/,
          'failing layer 3001',
        ),
    },
    {
      name: 'topology: a layer no output depends on is built and disposed, not kept',
      run: async () => {
        const t = chainTopology();
        t.layers.push({
          class_name: 'Dense',
          name: 'c',
          config: {name: 'c', units: 5},
          inbound_nodes: [[['a', 0, 0, {}]]],
        });
        const before = memory().numTensors;
        const model = await loadTopology(t.modelTopology);
        const held = memory().numTensors - before;
        model.dispose();
        // a and b: a kernel and a bias each; c's two would be held by nothing.
        if (held !== 4)
          throw new Error(`the loaded model left ${held} tensors allocated, expected its 4 weights`);
        const left = memory().numTensors - before;
        if (left !== 0) throw new Error(`${left} tensors left after model.dispose()`);
      },
    },
    {
      name: 'topology: the unchanged chain loads and predicts',
      run: async () => {
        const model = await loadTopology(chainTopology().modelTopology);
        try {
          if (model.layers.length !== 3) throw new Error(`${model.layers.length} layers, expected 3`);
          if (model.outputs[0].shape.join(',') !== ',2')
            throw new Error(`output shape ${JSON.stringify(model.outputs[0].shape)}`);
        } finally {
          model.dispose();
        }
      },
    },
    {
      // Issue 22, item 12: the error came from tfjs' variable.write, without the weight's name.
      name: 'manifest: an int32 dtype for a float32 weight names the weight',
      run: () => {
        const t = chainTopology();
        const entry = (name: string, shape: number[], dtype = 'float32') => ({name, shape, dtype});
        const weights = [
          entry('a/kernel', [3, 2], 'int32'),
          entry('a/bias', [2]),
          entry('b/kernel', [2, 2]),
          entry('b/bias', [2]),
        ];
        const files = filesOf(t.modelTopology);
        (files.modelJson as Topology)['weightsManifest'] = [{paths: ['w.bin'], weights}];
        files.loadShard = () => Promise.resolve(new ArrayBuffer(4 * (6 + 2 + 4 + 2)));
        return expectFailure(
          () => loadKerasModel(files),
          /weight 'a\/kernel' → variable 'a\/kernel': the variable holds float32, the manifest says int32/,
          'int32 manifest dtype',
        );
      },
    },
    refused(
      'an input from a layer that does not exist',
      (t) => (t.layers[1].inbound_nodes = [[['ghost', 0, 0, {}]]]),
      /layer 'a' inbound_nodes\[0\]\[0\] refers to layer 'ghost', which the model does not have/,
    ),
    refused(
      'a cycle a ↔ b',
      (t) => (t.layers[1].inbound_nodes = [[['b', 0, 0, {}]]]),
      /the layers '[ab]' → '[ab]' → '[ab]' form a cycle/,
    ),
    refused(
      'a layer fed by itself',
      (t) => (t.layers[2].inbound_nodes = [[['b', 0, 0, {}]]]),
      /the layers 'b' → 'b' form a cycle/,
    ),
    refused(
      'a node index past the end',
      (t) => (t.layers[2].inbound_nodes = [[['a', 1, 0, {}]]]),
      /layer 'b' inbound_nodes\[0\]\[0\] refers to node 1 of layer 'a', which has 1 node/,
    ),
    refused(
      'a node index past the end of an input layer',
      (t) => (t.layers[1].inbound_nodes = [[['in', 3, 0, {}]]]),
      /refers to node 3 of layer 'in', which has 1 node/,
    ),
    refused(
      'an output layer that does not exist',
      (t) => (t.config['output_layers'] = [['nope', 0, 0]]),
      /output_layers\[0\] refers to layer 'nope', which the model does not have/,
    ),
    refused(
      'an input reference that is not [layer, node, tensor]',
      (t) => (t.layers[1].inbound_nodes = [[['in', '0', 0, {}]]]),
      /layer 'a' inbound_nodes\[0\]\[0\] must be \[layer name, node index >= 0, tensor index >= 0, \.\.\.\], got \["in","0",0,\{\}\]/,
    ),
    refused(
      'a layer config nested 5000 deep',
      (t) => (t.layers[1].config['kernel_regularizer'] = nested(5000)),
      /modelTopology nests more than 100 levels of lists and objects \(at modelTopology\.model_config\.config\.layers\[1\]\.config\.kernel_regularizer/,
    ),
  ];
}
