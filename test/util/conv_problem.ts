/**
 * Image-variant cases described once, then handed to the op (descriptors of tensors) and to the float64
 * reference of test/reference/conv_reference.ts (plain arrays).
 */
import * as tf from '@tensorflow/tfjs-core';
import type {NeuronType, SingleGateConvRNNDescriptor} from 'tfjs-single-gate-rnn';

import {ConvDims, ConvReferenceLayer} from '../reference/conv_reference.js';
import type {ReferenceNeuron} from '../reference/single_gate_rnn_reference.js';
import {Random} from './random.js';

export interface ConvLayerConfig {
  inputChannels: number;
  outputChannels: number;
  /** W's [kernelHeight, kernelWidth]; null: no input weights source (W = 0, b = 0, identity). */
  wKernel: [number, number] | null;
  /** U's [kernelHeight, kernelWidth]; null: no recurrent weights source (U = 0). */
  uKernel: [number, number] | null;
  /** Default true. */
  bias?: boolean;
  /** Default tanh. */
  neuron?: ReferenceNeuron;
  backward?: boolean;
  float16Weights?: boolean;
  unitTransform?: boolean;
  /** Absent: the descriptor leaves it out (the default, 'mps'). */
  padding?: 'mps' | 'same';
  /** Scales W and U (each uniform in ±scale / sqrt(fan-in)). Default 1. */
  weightScale?: number;
}

/** A reference layer plus what the descriptor needs beyond it. */
export type ConvProblemLayer = ConvReferenceLayer & {config: ConvLayerConfig};

export const TANH: ReferenceNeuron = {type: 'tanh', a: 1, b: 1, c: 0};
const IDENTITY: ReferenceNeuron = {type: 'none', a: 0, b: 0, c: 0};

/** Random weights for `config` (W is given in unit-transform mode too, to show it is ignored). */
export function makeConvLayer(random: Random, config: ConvLayerConfig): ConvProblemLayer {
  const {inputChannels: I, outputChannels: O, wKernel, uKernel} = config;
  const scale = config.weightScale ?? 1;
  const kernel = (size: [number, number], channels: number): Float32Array => {
    const bound = scale / Math.sqrt(size[0] * size[1] * channels);
    return random.floats(O * size[0] * size[1] * channels, -bound, bound);
  };
  return {
    config,
    inputChannels: I,
    outputChannels: O,
    w: wKernel && kernel(wKernel, I),
    wKernel: wKernel ?? [1, 1],
    u: uKernel && kernel(uKernel, O),
    uKernel: uKernel ?? [1, 1],
    bias: wKernel && config.bias !== false ? random.floats(O, -0.5, 0.5) : null,
    // Without input weights MPS has no neuron either: g is the identity.
    neuron: wKernel == null ? IDENTITY : (config.neuron ?? TANH),
    backward: config.backward ?? false,
    float16Weights: config.float16Weights ?? false,
    unitTransform: config.unitTransform ?? false,
    padding: config.padding ?? 'mps',
  };
}

/** The layer's descriptor, its weights as new tensors (build inside tidy). */
export function convDescriptorOf(layer: ConvProblemLayer): SingleGateConvRNNDescriptor {
  const {inputChannels: I, outputChannels: O, config} = layer;
  const ohwi = (values: ArrayLike<number>, [kh, kw]: [number, number], channels: number): tf.Tensor4D =>
    tf.tensor4d(values as Float32Array, [O, kh, kw, channels]);
  return {
    inputFeatureChannels: I,
    outputFeatureChannels: O,
    useFloat32Weights: !layer.float16Weights,
    layerSequenceDirection: layer.backward ? 'backward' : 'forward',
    useLayerInputUnitTransformMode: layer.unitTransform,
    ...(config.padding ? {padding: config.padding} : {}),
    inputWeights:
      layer.w == null
        ? null
        : {
            weights: ohwi(layer.w, layer.wKernel, I),
            biasTerms: layer.bias && tf.tensor1d(Float32Array.from(layer.bias)),
            neuron: {...layer.neuron, type: layer.neuron.type as NeuronType},
          },
    recurrentWeights: layer.u == null ? null : {weights: ohwi(layer.u, layer.uKernel, O)},
  };
}

/** x of `dims` with `channels`: values and the tensor maker. */
export function randomImages(random: Random, dims: ConvDims, channels: number): Float32Array {
  return random.floats(dims.batch * dims.time * dims.height * dims.width * channels);
}

export function imagesTensor(values: Float32Array, dims: ConvDims, channels: number): tf.Tensor5D {
  return tf.tensor5d(values, [dims.batch, dims.time, dims.height, dims.width, channels]);
}

/** A state [batch, height, width, channels] as a tensor. */
export function stateTensor(values: Float32Array, dims: ConvDims, channels: number): tf.Tensor4D {
  return tf.tensor4d(values, [dims.batch, dims.height, dims.width, channels]);
}
