/**
 * The contract of `SingleGateRNNBidirectional`: one layer of each direction run together, so that a
 * backend can put both recurrences in the same dispatches. Backends without it run the two directions
 * as two `SingleGateRNN` calls (the op decides, see src/matrix/pair_runs.ts); so do pairs that
 * the pair policy refuses (src/sequence/pair_policy.ts).
 */
import type {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import type {SingleGateRNNAttrs, SingleGateRNNInputs} from './matrix_kernel.js';

/**
 * The kernel name. The kernel returns [output]: [batch, time, 2 * outputFeatureChannels], each step's forward state
 * then its backward state (the 'concatenate' layout); final states are read from it by the op.
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export const SingleGateRNNBidirectional = 'SingleGateRNNBidirectional';

/**
 * One direction's inputs as `SingleGateRNN` takes them, less the mask that both share.
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export type DirectionInputs = Omit<SingleGateRNNInputs, 'mask'>;

/**
 * Kernel inputs: each direction's `SingleGateRNN` inputs with the direction as prefix (`forwardX`,
 * `backwardRecurrentWeights`, ...; absent entries mean what they mean there; the two x may be the same
 * tensor), and the shared `mask`.
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export type SingleGateRNNBidirectionalInputs = {
  [K in keyof DirectionInputs as `forward${Capitalize<K>}` | `backward${Capitalize<K>}`]: DirectionInputs[K];
} & {mask?: TensorInfo};

/**
 * Each direction's resolved attributes (`layerSequenceDirection` 'forward', then 'backward').
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export interface SingleGateRNNBidirectionalAttrs extends NamedAttrMap {
  forward: SingleGateRNNAttrs;
  backward: SingleGateRNNAttrs;
}

const DIRECTION_INPUTS: ReadonlyArray<keyof DirectionInputs> = [
  'x',
  'inputWeights',
  'recurrentWeights',
  'biasTerms',
  'initialState',
];

/** The kernel's inputs from each direction's own and the shared mask. */
export function bidirectionalInputs(
  forward: DirectionInputs,
  backward: DirectionInputs,
  mask: TensorInfo | undefined,
): SingleGateRNNBidirectionalInputs {
  const inputs: Record<string, TensorInfo | undefined> = {mask};
  for (const name of DIRECTION_INPUTS) {
    const suffix = name[0].toUpperCase() + name.slice(1);
    inputs[`forward${suffix}`] = forward[name];
    inputs[`backward${suffix}`] = backward[name];
  }
  return inputs as SingleGateRNNBidirectionalInputs;
}

/** One direction's inputs out of the kernel's. */
export function directionInputs(
  inputs: SingleGateRNNBidirectionalInputs,
  direction: 'forward' | 'backward',
): DirectionInputs {
  const named = inputs as Record<string, TensorInfo | undefined>;
  const picked: Record<string, TensorInfo | undefined> = {};
  for (const name of DIRECTION_INPUTS) {
    picked[name] = named[`${direction}${name[0].toUpperCase()}${name.slice(1)}`];
  }
  return picked as unknown as DirectionInputs;
}
