/**
 * Stack, bidirectional and sequence-length cases described once, then handed to the op (descriptors of
 * tensors) and to the float64 reference of test/reference/sequence_reference.ts (plain arrays).
 */
import * as tf from '@tensorflow/tfjs-core';
import type {NeuronType, SingleGateRNNDescriptor} from 'tfjs-single-gate-rnn';

import {ReferenceLayer} from '../reference/sequence_reference.js';
import {Random} from './random.js';

export interface StackConfig {
  batch: number;
  time: number;
  inputChannels: number;
  /** Each layer's units, layer 0 first. */
  units: number[];
  /** Each layer's direction: true for backward. Default: all forward. */
  backward?: boolean[];
  /** Chain each direction's layers on their own, from x (bidirectional); default: all layers in order. */
  perDirection?: boolean;
  /** Random initial states for every layer. */
  initialStates?: boolean;
  /** Explicit lengths, 'random' (one row of length 0, one full, the rest in between), or none. */
  lengths?: number[] | 'random';
  float16Weights?: boolean;
  seed: number;
}

/** A layer with every weight given. */
export type ProblemLayer = ReferenceLayer & {w: Float32Array; u: Float32Array; bias: Float32Array};

export interface StackProblem {
  config: StackConfig;
  x: Float32Array;
  layers: ProblemLayer[];
  /** Per layer [batch * units], or null for zeros. */
  initialStates: Float32Array[] | null;
  lengths: number[] | null;
}

const TANH = {type: 'tanh', a: 1, b: 1, c: 0};

export function makeStackProblem(config: StackConfig): StackProblem {
  const random = new Random(config.seed);
  const {batch, time, units} = config;
  const layers = units.map((outputChannels, k): ProblemLayer => {
    const backward = config.backward?.[k] ?? false;
    const chain = config.perDirection
      ? units.slice(0, k).filter((_, j) => (config.backward?.[j] ?? false) === backward)
      : units.slice(0, k);
    const inputChannels = chain.length === 0 ? config.inputChannels : chain[chain.length - 1];
    const scale = (fanIn: number): number => 1 / Math.sqrt(fanIn);
    return {
      inputChannels,
      outputChannels,
      w: random.floats(outputChannels * inputChannels, -scale(inputChannels), scale(inputChannels)),
      u: random.floats(outputChannels * outputChannels, -scale(outputChannels), scale(outputChannels)),
      bias: random.floats(outputChannels, -0.5, 0.5),
      neuron: TANH,
      backward,
      float16Weights: config.float16Weights ?? false,
    };
  });
  return {
    config,
    x: random.floats(batch * time * config.inputChannels),
    layers,
    initialStates: config.initialStates ? units.map((h) => random.floats(batch * h)) : null,
    lengths: config.lengths === 'random' ? randomLengths(random, batch, time) : (config.lengths ?? null),
  };
}

/** Unsorted lengths covering 0 and `time` (when batch allows) and values in between. */
function randomLengths(random: Random, batch: number, time: number): number[] {
  return Array.from({length: batch}, (_, n) => (n === 1 ? 0 : n === 2 ? time : random.int(1, time)));
}

/** The descriptors of `problem`'s layers, their weights as new tensors (build inside tidy). */
export function descriptorsOf(problem: StackProblem): SingleGateRNNDescriptor[] {
  return problem.layers.map((layer) => ({
    inputFeatureChannels: layer.inputChannels,
    outputFeatureChannels: layer.outputChannels,
    useFloat32Weights: !layer.float16Weights,
    layerSequenceDirection: layer.backward ? 'backward' : 'forward',
    inputWeights: {
      weights: tf.tensor2d(layer.w, [layer.outputChannels, layer.inputChannels]),
      biasTerms: tf.tensor1d(layer.bias),
      neuron: {...layer.neuron, type: layer.neuron.type as NeuronType},
    },
    recurrentWeights: {weights: tf.tensor2d(layer.u, [layer.outputChannels, layer.outputChannels])},
  }));
}

export function xOf(problem: StackProblem): tf.Tensor3D {
  const c = problem.config;
  return tf.tensor3d(problem.x, [c.batch, c.time, c.inputChannels]);
}

/** Per-layer initial states as tensors, or null. */
export function initialStatesOf(problem: StackProblem): tf.Tensor2D[] | null {
  const {batch, units} = problem.config;
  return problem.initialStates?.map((state, k) => tf.tensor2d(state, [batch, units[k]])) ?? null;
}

/** Reads every tensor of a container (nested arrays and objects), then disposes them. */
export async function readAll<T>(result: T): Promise<Readback<T>> {
  const read = async (value: unknown): Promise<unknown> => {
    if (value instanceof tf.Tensor) {
      const tensor = value as tf.Tensor<tf.Rank>;
      return {data: await tensor.data<'float32'>(), shape: tensor.shape};
    }
    if (Array.isArray(value)) return Promise.all((value as unknown[]).map(read));
    if (value != null && typeof value === 'object') {
      const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await read(v)]));
      return Object.fromEntries(entries) as unknown;
    }
    return value;
  };
  try {
    return (await read(result)) as Readback<T>;
  } finally {
    tf.dispose(result as tf.TensorContainer);
  }
}

/** A tensor read back: its values and shape. */
export interface Values {
  data: Float32Array;
  shape: number[];
}

/** `T` with every tensor replaced by its values. */
export type Readback<T> = T extends tf.Tensor
  ? Values
  : T extends Array<infer E>
    ? Array<Readback<E>>
    : T extends object
      ? {[K in keyof T]: Readback<T[K]>}
      : T;

/** The weight tensors of descriptors made by `descriptorsOf`, for disposing them outside a tidy. */
export function weightTensorsOf(descriptors: SingleGateRNNDescriptor[]): tf.Tensor[] {
  const weights: unknown[] = descriptors.flatMap((d) => [
    d.inputWeights?.weights,
    d.inputWeights?.biasTerms,
    d.recurrentWeights?.weights,
  ]);
  return weights.filter((w): w is tf.Tensor => w instanceof tf.Tensor);
}
