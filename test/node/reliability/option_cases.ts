/**
 * The loader's options (issue 22, item 13) and layer configs (item 14): typos and ill-typed values are
 * errors naming the option and the nearest known one; a malformed saved layer config is an error; the
 * explicit `replaceSimpleRNN: false` wins over `useSingleGateRNNForSimpleRNN()`.
 */
import {serialization} from '@tensorflow/tfjs-core';
import {sequential} from '@tensorflow/tfjs-layers';
import {
  loadKerasModel,
  singleGateRNNLayer,
  SingleGateSimpleRNN,
  useSingleGateRNNForSimpleRNN,
  type LoadKerasModelOptions,
} from 'tfjs-single-gate-rnn';

import {Case, expectFailure} from '../../keras/cases.js';
import {FIXTURE} from '../../keras/manifest_cases.js';
import {filesOf} from './topology_cases.js';

/** Options as a caller's JavaScript may pass them, past the type checker. */
const loose = (options: Record<string, unknown>): LoadKerasModelOptions => options;

function refusedOption(options: Record<string, unknown>, pattern: RegExp): Case {
  return {
    name: `options: refuses ${JSON.stringify(options)}`,
    run: async (env) =>
      expectFailure(async () => loadKerasModel(await env.source(FIXTURE), loose(options)), pattern, 'option'),
  };
}

/** A saved Sequential model with one SingleGateRNN layer (relu a = 0.1), as `model.toJSON` writes it. */
function savedSingleGateModel(): Record<string, unknown> {
  const model = sequential({
    layers: [
      singleGateRNNLayer({
        outputFeatureChannels: 2,
        inputShape: [3, 4],
        inputWeights: {neuron: {type: 'relu', a: 0.1}},
      }),
    ],
  });
  const json = model.toJSON(null, false) as Record<string, unknown>;
  model.dispose();
  return json;
}

export function optionCases(): Case[] {
  return [
    refusedOption(
      {allowShardFrom: []},
      /options has an unknown key 'allowShardFrom' \(did you mean 'allowShardsFrom'\?\)/,
    ),
    refusedOption(
      {checkFiniteWeight: false},
      /options has an unknown key 'checkFiniteWeight' \(did you mean 'checkFiniteWeights'\?\)/,
    ),
    refusedOption(
      {requestinit: {}},
      /options has an unknown key 'requestinit' \(did you mean 'requestInit'\?\)/,
    ),
    refusedOption({strict: 'false'}, /options\.strict must be true or false, got "false"/),
    refusedOption({useFloat32Weights: 'no'}, /options\.useFloat32Weights must be true or false, got "no"/),
    refusedOption({timeoutMs: -1}, /options\.timeoutMs must be a number of milliseconds > 0/),
    refusedOption({requestInit: 'token'}, /options\.requestInit must be a RequestInit object, got "token"/),
    {
      name: 'layer configs: a saved config with input_weights: 5 is an error, not a dropped neuron',
      run: async () => {
        const topology = savedSingleGateModel();
        const layer = (topology['config'] as {layers: {config: Record<string, unknown>}[]}).layers[0];
        if (JSON.stringify(layer.config['input_weights']).includes('relu') === false) {
          throw new Error(`the saved config has no relu neuron: ${JSON.stringify(layer.config)}`);
        }
        layer.config['input_weights'] = 5;
        await expectFailure(
          () => loadKerasModel(filesOf(topology), {strict: false}),
          /SingleGateRNN layer '.*': inputWeights must be an object or null, got 5/,
          'input_weights: 5',
        );
      },
    },
    {
      name: 'layer configs: replaceSimpleRNN: false builds stock SimpleRNN while useSingleGateRNNForSimpleRNN() is in force',
      run: async (env) => {
        const restore = useSingleGateRNNForSimpleRNN();
        try {
          const model = await loadKerasModel(await env.source(FIXTURE), {replaceSimpleRNN: false});
          try {
            const rnn = model.layers.find((l) => l.getClassName() === 'SimpleRNN');
            if (rnn == null) throw new Error('the fixture has no SimpleRNN');
            if (rnn instanceof SingleGateSimpleRNN) throw new Error('built a SingleGateSimpleRNN');
          } finally {
            model.dispose();
          }
          // The global registration is still in force afterwards.
          const entry = serialization.SerializationMap.getMap().classNameMap['SimpleRNN'];
          if (entry?.[0] !== SingleGateSimpleRNN) throw new Error('the global registration was undone');
        } finally {
          restore();
        }
      },
    },
  ];
}
