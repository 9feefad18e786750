/** Neuron defaults and validation; the arithmetic lives with each backend's kernel. */
import {checkKnownKeys, keysOf} from './config_keys.js';
import {NEURON_TYPES, NeuronDescriptor, NeuronType} from '../contracts/descriptor.js';

/** A neuron with every parameter resolved. */
export interface ResolvedNeuron {
  type: NeuronType;
  a: number;
  b: number;
  c: number;
}

/**
 * Parameter defaults per type: MPS' usual values where it has them. For power, exponential and
 * logarithm MPS names none; ours make them x, e^x and ln(x). Parameters a type does not read are 0.
 */
export const NEURON_DEFAULTS: Readonly<Record<NeuronType, Readonly<Partial<ResolvedNeuron>>>> = {
  none: {},
  relu: {a: 0},
  linear: {a: 1, b: 0},
  sigmoid: {},
  hardSigmoid: {a: 0.2, b: 0.5},
  tanh: {a: 1, b: 1},
  absolute: {},
  softplus: {a: 1, b: 1},
  softsign: {},
  elu: {a: 1},
  reluN: {a: 0, b: 6},
  power: {a: 1, b: 0, c: 1},
  exponential: {a: 1, b: 0, c: -1},
  logarithm: {a: 1, b: 0, c: -1},
  gelu: {},
};

const NEURON_KEYS = keysOf<NeuronDescriptor>()({type: true, a: true, b: true, c: true});

/** The largest finite float32 and the smallest positive (subnormal) one. */
const FLOAT32_MAX = 3.4028234663852886e38;
const FLOAT32_MIN = 1.401298464324817e-45;

const IDENTITY: ResolvedNeuron = {type: 'none', a: 0, b: 0, c: 0};

function isNeuronType(type: unknown): type is NeuronType {
  return (NEURON_TYPES as readonly unknown[]).includes(type);
}

/**
 * Checks a neuron descriptor and fills in its defaults. `argName` is the path shown in errors.
 * PReLU gets its own message: MPS cannot fuse per-channel parameters, and neither do we.
 */
export function resolveNeuron(neuron: NeuronDescriptor | undefined, argName: string): ResolvedNeuron {
  if (neuron == null) return IDENTITY;
  if (typeof neuron !== 'object') {
    throw new Error(`${argName} must be an object {type, a?, b?, c?}, got ${typeof neuron}`);
  }
  checkKnownKeys(neuron, NEURON_KEYS, argName);
  const type: unknown = neuron.type;
  if (typeof type === 'string' && type.toLowerCase() === 'prelu') {
    throw new Error(
      `${argName}.type 'prelu' is not supported: per-channel neuron parameters (PReLU) cannot be ` +
        `fused into a single-gate RNN layer. Use 'relu' with a scalar slope 'a' instead.`,
    );
  }
  if (!isNeuronType(type)) {
    throw new Error(
      `${argName}.type must be one of ${NEURON_TYPES.map((t) => `'${t}'`).join(', ')}; got ${JSON.stringify(type)}`,
    );
  }
  const defaults = NEURON_DEFAULTS[type];
  const param = (name: 'a' | 'b' | 'c'): number => {
    const value: unknown = neuron[name];
    if (value == null) return defaults[name] ?? 0;
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      throw new Error(
        `${argName}.${name} must be a single number: per-channel neuron parameters (PReLU) cannot be fused; ` +
          `got an array of length ${(value as ArrayLike<unknown>).length}`,
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(
        `${argName}.${name} must be a finite number, got ${typeof value === 'number' ? value : JSON.stringify(value)}`,
      );
    }
    // Every backend holds the parameters as float32 (uniforms, Float32Array attributes): a value that
    // float32 cannot hold would reach each backend as something else (Inf, 0) and they would disagree.
    const stored = Math.fround(value);
    if (!Number.isFinite(stored) || (stored === 0 && value !== 0)) {
      throw new Error(
        `${argName}.${name} must be representable in float32 (magnitude between ${FLOAT32_MIN} and ` +
          `${FLOAT32_MAX}, or 0), got ${value}, which float32 holds as ${stored}`,
      );
    }
    return value;
  };
  return {type, a: param('a'), b: param('b'), c: param('c')};
}
