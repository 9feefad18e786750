/**
 * What every cpu kernel reads from a call the same way: x, b, the initial state, the mask, the neuron
 * and the flags. Weights are left to each kernel, which lays them out for its own loop.
 */
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {SingleGateRNNAttrs, SingleGateRNNInputs} from '../../src/contracts/matrix_kernel.js';
import {neuronFunction} from './neuron.js';

/** A cpu kernel's arguments, as tfjs passes them. */
export interface CpuKernelArgs<Attrs extends SingleGateRNNAttrs> {
  inputs: SingleGateRNNInputs;
  backend: MathBackendCPU;
  attrs: Attrs;
}

interface CallOperands {
  /** A tensor's values as the cpu backend holds them. */
  read: (t: TensorInfo) => Float32Array;
  /** Weights are rounded to float16 first (MPS' default storage). */
  toFloat16: boolean;
  x: Float32Array;
  bias: Float32Array | undefined;
  initial: Float32Array | undefined;
  mask: ArrayLike<number> | undefined;
  g: (v: number) => number;
  backward: boolean;
  unit: boolean;
}

export function readCallOperands({inputs, backend, attrs}: CpuKernelArgs<SingleGateRNNAttrs>): CallOperands {
  const read = (t: TensorInfo): Float32Array => backend.readSync(t.dataId) as Float32Array;
  return {
    read,
    toFloat16: !attrs.useFloat32Weights,
    x: read(inputs.x),
    bias: inputs.biasTerms && read(inputs.biasTerms),
    initial: inputs.initialState && read(inputs.initialState),
    // A bool tensor: the backend holds it as bytes.
    mask: inputs.mask && (backend.readSync(inputs.mask.dataId) as Uint8Array),
    g: neuronFunction({type: attrs.neuronType, a: attrs.neuronA, b: attrs.neuronB, c: attrs.neuronC}),
    backward: attrs.layerSequenceDirection === 'backward',
    unit: attrs.useLayerInputUnitTransformMode,
  };
}
