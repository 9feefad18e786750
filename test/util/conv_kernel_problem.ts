/**
 * One case of the image variant described once and run through the `SingleGateConvRNN` kernel of the
 * active backend directly (through the engine, with the attributes the op resolves), so two backends'
 * kernels are compared on exactly the same inputs: the webgpu kernel against the cpu float64 one.
 */
import * as tf from '@tensorflow/tfjs-core';

import {SingleGateConvRNN, type ConvRNNPadding} from '../../src/contracts/image_kernel.js';
import type {ReferenceNeuron} from '../reference/single_gate_rnn_reference.js';
import {Random} from './random.js';

export interface ConvProblemConfig {
  batch: number;
  time: number;
  height: number;
  width: number;
  inputChannels: number;
  outputChannels: number;
  /** W's window [kernelHeight, kernelWidth]. */
  inputKernel: [number, number];
  /** U's window [kernelHeight', kernelWidth']. */
  recurrentKernel: [number, number];
  padding: ConvRNNPadding;
  neuron: ReferenceNeuron;
  /** 'bias': W and b; 'noBias': W only; 'null': no input weights source (W = 0, b = 0, no neuron). */
  inputWeights?: 'bias' | 'noBias' | 'null';
  recurrentWeights?: boolean;
  unitTransform?: boolean;
  float32Weights?: boolean;
  backward?: boolean;
  initialState?: boolean;
  /** 'random': about a third of the steps masked; 'lengths': each sequence ends early. */
  mask?: 'random' | 'lengths';
  /** Scales W and U (default 1). */
  weightScale?: number;
  seed: number;
}

export interface ConvProblem {
  config: ConvProblemConfig;
  x: Float32Array;
  /** OHWI. */
  w: Float32Array | null;
  /** OHWI. */
  u: Float32Array | null;
  bias: Float32Array | null;
  initialState: Float32Array | null;
  /** [batch * time] of 0/1. */
  mask: Float32Array | null;
}

export function makeConvProblem(config: ConvProblemConfig): ConvProblem {
  const random = new Random(config.seed);
  const {batch, time, height, width, inputChannels: I, outputChannels: O} = config;
  const scale = config.weightScale ?? 1;
  const inputWeights = config.unitTransform ? 'null' : (config.inputWeights ?? 'bias');
  const weights = (count: number, fanIn: number): Float32Array =>
    random.floats(count, -scale / Math.sqrt(fanIn), scale / Math.sqrt(fanIn));
  const [kh, kw] = config.inputKernel;
  const [uh, uw] = config.recurrentKernel;
  const mask = (): Float32Array => {
    const m = new Float32Array(batch * time);
    for (let n = 0; n < batch; n++) {
      // Row 0 of a 'lengths' mask consumes nothing: the initial state throughout.
      const length = n === 0 ? 0 : random.int(1, time);
      for (let t = 0; t < time; t++) {
        m[n * time + t] = config.mask === 'random' ? (random.next() < 0.35 ? 0 : 1) : t < length ? 1 : 0;
      }
    }
    return m;
  };
  return {
    config,
    x: random.floats(batch * time * height * width * I),
    w: inputWeights !== 'null' ? weights(O * kh * kw * I, kh * kw * I) : null,
    u: config.recurrentWeights !== false ? weights(O * uh * uw * O, uh * uw * O) : null,
    bias:
      inputWeights === 'bias' || (config.unitTransform && config.inputWeights !== 'noBias')
        ? random.floats(O, -0.5, 0.5)
        : null,
    initialState: config.initialState ? random.floats(batch * height * width * O) : null,
    mask: config.mask == null ? null : mask(),
  };
}

export interface ConvRun {
  output: Float32Array;
  finalState: Float32Array;
  outputShape: number[];
  finalStateShape: number[];
}

/**
 * Runs the `SingleGateConvRNN` kernel of the active backend with the inputs and attributes the op
 * would give it, reads both outputs back and leaves no tensor behind.
 */
export async function runConvKernel(problem: ConvProblem): Promise<ConvRun> {
  const c = problem.config;
  const {batch, time, height, width, inputChannels: I, outputChannels: O} = c;
  const inputs = tf.tidy(() => {
    const named: tf.NamedTensorMap = {x: tf.tensor(problem.x, [batch, time, height, width, I])};
    if (problem.w) named.inputWeights = tf.tensor(problem.w, [O, ...c.inputKernel, I]);
    if (problem.u) named.recurrentWeights = tf.tensor(problem.u, [O, ...c.recurrentKernel, O]);
    if (problem.bias) named.biasTerms = tf.tensor1d(problem.bias);
    if (problem.initialState) named.initialState = tf.tensor(problem.initialState, [batch, height, width, O]);
    if (problem.mask) named.mask = tf.tensor2d(problem.mask, [batch, time], 'bool');
    return named;
  });
  // A null input source means the identity neuron, as the op resolves it.
  const neuron = problem.w == null && !c.unitTransform ? {type: 'none', a: 0, b: 0, c: 0} : c.neuron;
  const attrs = {
    inputFeatureChannels: I,
    outputFeatureChannels: O,
    useLayerInputUnitTransformMode: c.unitTransform ?? false,
    useFloat32Weights: c.float32Weights ?? false,
    layerSequenceDirection: c.backward ? 'backward' : 'forward',
    neuronType: neuron.type,
    neuronA: neuron.a,
    neuronB: neuron.b,
    neuronC: neuron.c,
    padding: c.padding,
  };
  const [output, finalState] = tf.engine().runKernel<tf.Tensor[]>(SingleGateConvRNN, inputs, attrs);
  try {
    return {
      output: (await output.data()) as Float32Array,
      finalState: (await finalState.data()) as Float32Array,
      outputShape: output.shape,
      finalStateShape: finalState.shape,
    };
  } finally {
    tf.dispose([output, finalState, ...Object.values(inputs)]);
  }
}
