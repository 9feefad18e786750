/**
 * The portable path as the ops run it: gradient-free like the fused kernels, so `tf.grad` through
 * `singleGateRNN` or `singleGateConvRNN` fails the same way on every backend. (The layers train through
 * the portable path directly, where gradients are wanted.)
 */
import {concat, customGrad, reshape, slice, Tensor, Tensor2D, Tensor3D} from '@tensorflow/tfjs-core';

import {noGradientError} from '../contracts/no_gradient.js';
import {SingleGateRNN, SingleGateRNNAttrs} from '../contracts/matrix_kernel.js';
import {PortableInputs, portableSingleGateRNN} from './single_gate_rnn.js';

/**
 * `run`'s `[output, finalState]` (output [batch, time, ...state], finalState [batch, ...state]), computed
 * from stock ops without recording them for gradients; `tf.grad` through it names `kernelName`.
 */
export function gradientFreeRun<I extends {x: Tensor}, A>(
  run: (inputs: I, attrs: A) => [Tensor, Tensor],
  inputs: I,
  attrs: A,
  kernelName: string,
): [Tensor, Tensor] {
  const names = Object.keys(inputs) as Array<keyof I>;
  // customGrad takes tensors positionally and returns one tensor: the final state rides along as an
  // extra step, [batch, time + 1, size of a state], and is sliced off below (rank 3 whatever a
  // state's shape, which every backend's concat and slice take).
  let outputShape: number[] = [];
  const gradientFree = customGrad((...args: unknown[]) => {
    const named = Object.fromEntries(names.map((name, i) => [name, args[i]])) as I;
    const [output, finalState] = run(named, attrs);
    outputShape = output.shape;
    const [batch, time] = output.shape;
    return {
      value: concat([reshape(output, [batch, time, -1]), reshape(finalState, [batch, 1, -1])], 1),
      gradFunc: () => {
        throw noGradientError(kernelName);
      },
    };
  });
  const both = gradientFree(...names.map((name) => inputs[name] as Tensor));
  const [batch, time, ...state] = outputShape;
  const size = both.shape[2]!;
  return [
    reshape(slice(both, [0, 0, 0], [batch, time, size]), outputShape),
    reshape(slice(both, [0, time, 0], [batch, 1, size]), [batch, ...state]),
  ];
}

/** The matrix op's `[output, finalState]` from stock ops, gradient-free. */
export function portableInference(inputs: PortableInputs, attrs: SingleGateRNNAttrs): [Tensor3D, Tensor2D] {
  return gradientFreeRun(portableSingleGateRNN, inputs, attrs, SingleGateRNN) as [Tensor3D, Tensor2D];
}
