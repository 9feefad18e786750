/**
 * The reference kernel: a plain loop over batch rows and steps, accumulating in double precision and
 * keeping the state in float32 between steps.
 * Clarity and exactness come before speed here; the other kernels are checked against this one. The
 * cpu backend runs it when the SINGLE_GATE_RNN_CPU_REFERENCE flag is on (see register.ts).
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {SingleGateRNNAttrs} from '../../src/contracts/matrix_kernel.js';
import {weightsAsFloat64} from './float16.js';
import {type CpuKernelArgs, readCallOperands} from './call_operands.js';
import {scanSequences} from './sequence_scan.js';

export function singleGateRNNCpuReference(args: CpuKernelArgs<SingleGateRNNAttrs>): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  const [batch, time] = inputs.x.shape;
  const inChannels = attrs.inputFeatureChannels;
  const outChannels = attrs.outputFeatureChannels;
  const {read, toFloat16, x, bias, initial, mask, g, backward, unit} = readCallOperands(args);

  const w = inputs.inputWeights && weightsAsFloat64(read(inputs.inputWeights), toFloat16);
  const u = inputs.recurrentWeights && weightsAsFloat64(read(inputs.recurrentWeights), toFloat16);

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
