/**
 * The reference kernel: a plain loop over batch rows and steps, accumulating in double precision and
 * keeping the state in float32 between steps.
 * Clarity and exactness come before speed here; the other kernels are checked against this one. The
 * cpu backend runs it when the SINGLE_GATE_RNN_CPU_REFERENCE flag is on (see register.ts).
 */
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {SingleGateRNNAttrs, SingleGateRNNInputs} from '../../src/contracts/matrix_kernel.js';
import {weightsAsFloat64} from './float16.js';
import {neuronFunction} from './neuron.js';
import {scanSequences} from './sequence_scan.js';

export function singleGateRNNCpuReference(args: {
  inputs: SingleGateRNNInputs;
  backend: MathBackendCPU;
  attrs: SingleGateRNNAttrs;
}): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  const [batch, time] = inputs.x.shape;
  const inChannels = attrs.inputFeatureChannels;
  const outChannels = attrs.outputFeatureChannels;
  const read = (t: TensorInfo): ArrayLike<number> => backend.readSync(t.dataId) as Float32Array;
  const toFloat16 = !attrs.useFloat32Weights;

  const x = read(inputs.x);
  const w = inputs.inputWeights && weightsAsFloat64(read(inputs.inputWeights), toFloat16);
  const u = inputs.recurrentWeights && weightsAsFloat64(read(inputs.recurrentWeights), toFloat16);
  const bias = inputs.biasTerms && read(inputs.biasTerms);
  const initial = inputs.initialState && read(inputs.initialState);
  const mask = inputs.mask && read(inputs.mask);
  const g = neuronFunction({type: attrs.neuronType, a: attrs.neuronA, b: attrs.neuronB, c: attrs.neuronC});
  const backward = attrs.layerSequenceDirection === 'backward';
  const unit = attrs.useLayerInputUnitTransformMode;

  const {output, finalState} = scanSequences({
    batch,
    time,
    stateSize: outChannels,
    initial,
    mask,
    backward,
    advance: (h, next, n, t) => {
      const xOffset = (n * time + t) * inChannels;
      for (let i = 0; i < outChannels; i++) {
        let acc = bias ? bias[i] : 0;
        if (unit) {
          acc += x[xOffset + i];
        } else if (w) {
          for (let j = 0; j < inChannels; j++) acc += w[i * inChannels + j] * x[xOffset + j];
        }
        if (u) {
          for (let j = 0; j < outChannels; j++) acc += u[i * outChannels + j] * h[j];
        }
        next[i] = g(acc);
      }
    },
  });
  return [
    backend.makeTensorInfo([batch, time, outChannels], 'float32', output),
    backend.makeTensorInfo([batch, outChannels], 'float32', finalState),
  ];
}
