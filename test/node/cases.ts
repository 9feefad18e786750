/**
 * The configurations the WebGPU kernel is checked on, as data: every neuron, both directions,
 * unit-transform mode, absent W / U / bias / initial state, float16 and float32 weights, batch 1 and
 * more, one step and long sequences, and unit counts around the kernel's block sizes (4, 32, 64) up
 * to 1024.
 */
import type {NeuronDescriptor, SequenceDirection} from '../../src/index.js';

export interface Case {
  batch: number;
  time: number;
  inputs: number;
  units: number;
  neuron?: NeuronDescriptor;
  direction?: SequenceDirection;
  unitTransform?: boolean;
  float32Weights?: boolean;
  /** Leave out, respectively: W, bias, U, initial state; `noInputSource` sets inputWeights to null. */
  noW?: boolean;
  noBias?: boolean;
  noU?: boolean;
  noInitialState?: boolean;
  noInputSource?: boolean;
  /** Pass a mask skipping about a third of the steps (and every step of batch row 0). */
  mask?: boolean;
}

const base = {batch: 2, time: 5, inputs: 7, units: 13};

/** Parameters keep every neuron in its domain over the recurrence (no NaN, no blow-up). */
export const NEURON_CASES: Case[] = [
  {...base, neuron: {type: 'none'}},
  {...base, neuron: {type: 'relu', a: 0.1}},
  {...base, neuron: {type: 'linear', a: 0.7, b: 0.2}},
  {...base, neuron: {type: 'sigmoid'}},
  {...base, neuron: {type: 'hardSigmoid'}},
  {...base, neuron: {type: 'tanh'}},
  {...base, neuron: {type: 'tanh', a: 1.5, b: 0.7}},
  {...base, neuron: {type: 'absolute'}},
  {...base, neuron: {type: 'softplus', a: 0.8, b: 1.3}},
  {...base, neuron: {type: 'softsign'}},
  {...base, neuron: {type: 'elu', a: 0.9}},
  {...base, neuron: {type: 'reluN', a: 0.05, b: 0.8}},
  {...base, neuron: {type: 'power', a: 0.3, b: 0.1, c: 2}},
  {...base, neuron: {type: 'power', a: 0.2, b: 1.5, c: 0.5}},
  {...base, neuron: {type: 'exponential', a: 0.2, b: -1}},
  {...base, neuron: {type: 'exponential', a: 0.2, b: -1, c: 2}},
  {...base, neuron: {type: 'logarithm', a: 0.1, b: 2}},
  {...base, neuron: {type: 'logarithm', a: 0.1, b: 2, c: 10}},
  {...base, neuron: {type: 'gelu'}},
];

export const MODE_CASES: Case[] = [
  {...base, neuron: {type: 'tanh'}, direction: 'backward'},
  {...base, neuron: {type: 'tanh'}, direction: 'backward', noInitialState: true},
  {...base, inputs: 13, neuron: {type: 'tanh'}, unitTransform: true},
  {...base, inputs: 13, neuron: {type: 'relu'}, unitTransform: true, noBias: true, direction: 'backward'},
  {...base, neuron: {type: 'tanh'}, noW: true, unitTransform: false, noInputSource: true},
  {...base, neuron: {type: 'sigmoid'}, noBias: true},
  {...base, neuron: {type: 'tanh'}, noU: true},
  {...base, neuron: {type: 'gelu'}, noU: true, noBias: true, direction: 'backward'},
  {...base, neuron: {type: 'tanh'}, noInitialState: true},
  {...base, neuron: {type: 'tanh'}, float32Weights: true},
  {...base, neuron: {type: 'tanh'}, noU: true, noInputSource: true},
  {...base, neuron: {type: 'tanh'}, mask: true},
  {...base, neuron: {type: 'tanh'}, mask: true, direction: 'backward', noInitialState: true},
  {...base, neuron: {type: 'tanh'}, mask: true, noU: true},
  {...base, neuron: {type: 'elu'}, mask: true, noU: true, noInitialState: true, direction: 'backward'},
  {batch: 3, time: 4, inputs: 5, units: 1024, neuron: {type: 'tanh'}, mask: true},
  {
    batch: 3,
    time: 4,
    inputs: 5,
    units: 1024,
    neuron: {type: 'tanh'},
    mask: true,
    noInitialState: true,
    direction: 'backward',
  },
];

/** Shapes: units around 4 / 32 / 64 boundaries, both weight precisions, batch 1 and more, time 1. */
export const SHAPE_CASES: Case[] = [
  1, 3, 4, 5, 31, 32, 33, 63, 64, 65, 100, 128, 257, 384, 512, 700, 1000, 1024,
].flatMap((units, n): Case[] => [
  {
    batch: 1 + (n % 3),
    time: units > 300 ? 3 : 6,
    inputs: 1 + ((units * 7) % 37),
    units,
    neuron: {type: 'tanh'},
  },
  {
    batch: n % 2 === 0 ? 1 : 5,
    time: 1 + (n % 2),
    inputs: 16,
    units,
    neuron: {type: 'tanh'},
    float32Weights: true,
    direction: n % 2 === 0 ? 'backward' : 'forward',
  },
]);

/** Long sequences: persistent chunking and many sliced dispatches. */
export const LONG_CASES: Case[] = [
  {batch: 2, time: 10000, inputs: 3, units: 8, neuron: {type: 'tanh'}},
  {batch: 1, time: 10000, inputs: 4, units: 1, neuron: {type: 'sigmoid'}, direction: 'backward'},
  {batch: 1, time: 10000, inputs: 8, units: 128, neuron: {type: 'tanh'}},
  {batch: 1, time: 300, inputs: 8, units: 1024, neuron: {type: 'tanh'}, float32Weights: true},
];
