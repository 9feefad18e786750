/** The neurons in double precision, for the reference kernel. */
import type {ResolvedNeuron} from '../../src/checks/neuron.js';

/**
 * erf(x) to about 1e-14: the Maclaurin series where it converges without much cancellation, the
 * continued fraction for erfc beyond. JavaScript has no erf of its own.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = Math.abs(x);
  if (z < 2.5) {
    // erf(z) = 2/sqrt(pi) * sum_n (-1)^n z^(2n+1) / (n! (2n+1))
    let term = z;
    let sum = z;
    for (let n = 1; n < 80; n++) {
      term *= (-z * z) / n;
      const next = term / (2 * n + 1);
      sum += next;
      if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (z > 6) return Math.sign(x); // erfc(6) < 3e-17
  // erfc(z) = exp(-z^2)/sqrt(pi) * 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...))))), evaluated
  // bottom-up with enough terms for z >= 2.5.
  let fraction = z;
  for (let k = 60; k >= 1; k--) fraction = z + k / 2 / fraction;
  const erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / fraction;
  return Math.sign(x) * (1 - erfc);
}

/** log(1 + e^y) without overflow for large y. */
function softplusCore(y: number): number {
  return Math.max(y, 0) + Math.log1p(Math.exp(-Math.abs(y)));
}

/** Returns g as a function of one double, following the table of the reference document. */
export function neuronFunction({type, a, b, c}: ResolvedNeuron): (x: number) => number {
  switch (type) {
    case 'none':
      return (x) => x;
    case 'relu':
      return (x) => (x >= 0 ? x : a * x);
    case 'linear':
      return (x) => a * x + b;
    case 'sigmoid':
      return (x) => 1 / (1 + Math.exp(-x));
    case 'hardSigmoid':
      return (x) => Math.min(Math.max(a * x + b, 0), 1);
    case 'tanh':
      return (x) => a * Math.tanh(b * x);
    case 'absolute':
      return (x) => Math.abs(x);
    case 'softplus':
      return (x) => a * softplusCore(b * x);
    case 'softsign':
      return (x) => x / (1 + Math.abs(x));
    case 'elu':
      return (x) => (x >= 0 ? x : a * Math.expm1(x));
    case 'reluN':
      return (x) => Math.min(x >= 0 ? x : a * x, b);
    case 'power':
      return (x) => Math.pow(a * x + b, c);
    case 'exponential':
      return c === -1 ? (x) => Math.exp(a * x + b) : (x) => Math.pow(c, a * x + b);
    case 'logarithm':
      return c === -1 ? (x) => Math.log(a * x + b) : (x) => Math.log(a * x + b) / Math.log(c);
    case 'gelu':
      return (x) => 0.5 * x * (1 + erf(x / Math.SQRT2));
  }
}
