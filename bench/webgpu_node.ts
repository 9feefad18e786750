/**
 * The webgpu side of the Node benchmark programs that time one shape's problem at a time
 * (bench/gpu_breakdown.ts, bench/host_time_ort.ts): Dawn as navigator.gpu with timestamp queries at
 * full resolution, tfjs on its webgpu backend, and each shape's problem (bench/problem.ts) as tensors
 * with a call of our op on them.
 */
import type * as TfCore from '@tensorflow/tfjs-core';

import type {singleGateRNN as SingleGateRNNOp} from '../src/index.js';
import {adapterFields, installNavigatorGpu} from '../src/node/index.js';
import {problemArrays} from './problem.js';
import {isSoftwareAdapter} from './run.js';
import type {Shape} from './shapes_env.js';

/**
 * Timestamp queries are an unsafe API to Dawn, and it rounds timestamps to a coarse grid unless told
 * not to.
 */
export const DAWN_FLAGS = [
  'enable-dawn-features=allow_unsafe_apis',
  'disable-dawn-features=timestamp_quantization',
];

export interface WebGpuSide {
  tf: typeof TfCore;
  singleGateRNN: typeof SingleGateRNNOp;
  /** Whether the adapter is a software one (SwiftShader and kin): no clocks to raise there. */
  software: boolean;
}

/** tfjs on webgpu through Dawn, or null where the backend does not start. */
export async function startWebGpu(): Promise<WebGpuSide | null> {
  const gpu = await installNavigatorGpu(DAWN_FLAGS);
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  const {singleGateRNN} = await import('../src/index.js');
  if (!(await tf.setBackend('webgpu').catch(() => false))) return null;
  await tf.ready();
  const adapter = adapterFields((await gpu.requestAdapter({powerPreference: 'high-performance'}))?.info);
  return {tf, singleGateRNN, software: isSoftwareAdapter(adapter)};
}

/** A shape's problem on the active backend, and our op called on it (tanh, float32 weights). */
export interface ProblemCall {
  call: () => TfCore.Tensor[];
  dispose: () => void;
}

export function problemCall(
  {tf, singleGateRNN}: WebGpuSide,
  [batch, time, inputs, units]: Shape,
): ProblemCall {
  const data = problemArrays(batch, time, inputs, units);
  const x = tf.tensor3d(data.x, [batch, time, inputs]);
  const w = tf.tensor2d(data.w, [units, inputs]);
  const u = tf.tensor2d(data.u, [units, units]);
  const b = tf.tensor1d(data.b);
  return {
    call: () => {
      const {output, finalState} = singleGateRNN(x, {
        inputFeatureChannels: inputs,
        outputFeatureChannels: units,
        useFloat32Weights: true,
        inputWeights: {weights: w, biasTerms: b, neuron: {type: 'tanh'}},
        recurrentWeights: {weights: u},
      });
      return [output, finalState];
    },
    dispose: () => tf.dispose([x, w, u, b]),
  };
}
