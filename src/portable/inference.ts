/**
 * The portable path as the op runs it: gradient-free like the fused kernels, so `tf.grad` through
 * `singleGateRNN` fails the same way on every backend. (The layers train through the portable path
 * directly, where gradients are wanted.)
 */
import {concat, customGrad, reshape, slice, Tensor, Tensor2D, Tensor3D} from '@tensorflow/tfjs-core';

import {noGradientError} from '../gradient.js';
import type {SingleGateRNNAttrs} from '../kernel_names.js';
import {PortableInputs, portableSingleGateRNN} from './single_gate_rnn.js';

/** `[output, finalState]`, computed from stock ops without recording them for gradients. */
export function portableInference(inputs: PortableInputs, attrs: SingleGateRNNAttrs): [Tensor3D, Tensor2D] {
  const names = Object.keys(inputs) as Array<keyof PortableInputs>;
  const [batch, time] = inputs.x.shape;
  const out = attrs.outputFeatureChannels;
  // customGrad takes tensors positionally and returns one tensor: the final state rides along as an
  // extra step, [batch, time + 1, out], and is sliced off below.
  const run = customGrad((...args: unknown[]) => {
    const named = Object.fromEntries(names.map((name, i) => [name, args[i]])) as PortableInputs;
    const [output, finalState] = portableSingleGateRNN(named, attrs);
    return {
      value: concat([output, reshape(finalState, [batch, 1, out])], 1),
      gradFunc: () => {
        throw noGradientError();
      },
    };
  });
  const both = run(...names.map((name) => inputs[name] as Tensor));
  return [
    slice(both, [0, 0, 0], [batch, time, out]) as Tensor3D,
    reshape(slice(both, [0, time, 0], [batch, 1, out]), [batch, out]),
  ];
}
