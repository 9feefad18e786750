/**
 * The neurons of the reference table built from stock tfjs ops, so they run on any backend and have
 * gradients. Branches that `where` discards are kept finite (exp of a clamped argument): a discarded
 * infinity would still turn the gradient into 0 * Infinity = NaN.
 */
import {
  abs,
  add,
  clipByValue,
  div,
  erf,
  exp,
  greaterEqual,
  log,
  minimum,
  mul,
  pow,
  scalar,
  sigmoid,
  softplus,
  sub,
  tanh,
  Tensor,
  where,
} from '@tensorflow/tfjs-core';

import type {ResolvedNeuron} from '../checks/neuron.js';

/** x >= 0 ? x : a·x, the leaky ReLU that relu and reluN share. */
function leakyRelu(x: Tensor, a: number): Tensor {
  return where(greaterEqual(x, 0), x, mul(x, a));
}

/** a·x + b. */
function affine(x: Tensor, a: number, b: number): Tensor {
  return add(mul(x, a), b);
}

/** Returns g as a function of a float32 tensor, following the table of the reference document. */
export function neuronOps({type, a, b, c}: ResolvedNeuron): (x: Tensor) => Tensor {
  switch (type) {
    case 'none':
      return (x) => x;
    case 'relu':
      return (x) => leakyRelu(x, a);
    case 'linear':
      return (x) => affine(x, a, b);
    case 'sigmoid':
      return (x) => sigmoid(x);
    case 'hardSigmoid':
      return (x) => clipByValue(affine(x, a, b), 0, 1);
    case 'tanh':
      return (x) => mul(tanh(mul(x, b)), a);
    case 'absolute':
      return (x) => abs(x);
    case 'softplus':
      return (x) => mul(softplus(mul(x, b)), a);
    case 'softsign':
      return (x) => div(x, add(abs(x), 1));
    case 'elu':
      return (x) => where(greaterEqual(x, 0), x, mul(sub(exp(minimum(x, 0)), 1), a));
    case 'reluN':
      return (x) => minimum(leakyRelu(x, a), b);
    case 'power':
      return (x) => pow(affine(x, a, b), c);
    case 'exponential':
      return c === -1 ? (x) => exp(affine(x, a, b)) : (x) => pow(scalar(c), affine(x, a, b));
    case 'logarithm':
      return c === -1 ? (x) => log(affine(x, a, b)) : (x) => div(log(affine(x, a, b)), Math.log(c));
    case 'gelu':
      return (x) => mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
  }
}
