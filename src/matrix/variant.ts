/** The matrix variant as the sequence engine (stacks, sequence lengths, bidirectional encoding) sees it. */
import {reshape, Tensor, Tensor3D} from '@tensorflow/tfjs-core';

import {formatShape} from '../checks/arguments.js';
import {checkDescriptor} from '../checks/descriptor_attrs.js';
import type {SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import type {RNNVariant} from '../sequence/variant.js';
import {runDirections} from './pair_runs.js';
import {checkNotEmpty, layerCall} from './checked_call.js';
import {runLayer, runTrainableLayer} from './single_layer.js';

/** x as [batch, time, channels], and whether it was one step ([batch, channels]): the matrix op's. */
export function asSequence(x: Tensor): {sequence: Tensor; step: boolean} {
  if (x.rank === 3) return {sequence: x, step: false};
  if (x.rank === 2) return {sequence: reshape(x, [x.shape[0], 1, x.shape[1]!]), step: true};
  throw new Error(
    'x must be rank 3 [batch, time, inputFeatureChannels] or rank 2 [batch, inputFeatureChannels] ' +
      `(one step), got rank ${x.rank} with shape ${formatShape(x.shape)}`,
  );
}

export const matrixVariant: RNNVariant<SingleGateRNNDescriptor> = {
  descriptorName: 'SingleGateRNNDescriptor',
  sequenceRank: 3,
  inputDims: (rank) => (rank === 2 ? '[batch, inputFeatureChannels]' : '[batch, time, inputFeatureChannels]'),
  asSequence,
  checkDescriptor: (descriptor) => checkDescriptor(descriptor),
  stateShape: (sequence, units) => [sequence.shape[0], units],
  stateDims: (units) => `[batch, ${units}]`,
  checkNotEmpty,
  single: (sequence, layer, {initialState, mask}) => {
    const call = layerCall(sequence as Tensor3D, layer.descriptor, layer.attrs, initialState, mask);
    const [output, finalState] = runLayer(call);
    return {output, finalState};
  },
  // Both directions in the same dispatches where the backend has the pair kernel.
  runDirections: (sequence, stacks, context) => runDirections(sequence as Tensor3D, stacks, context),
};

/** The matrix variant with every layer through the portable path: what a training call of a layer runs. */
export const trainableMatrixVariant: RNNVariant<SingleGateRNNDescriptor> = {
  ...matrixVariant,
  // Each direction through the portable path, never the pair kernel.
  runDirections: undefined,
  single: (sequence, layer, {initialState, mask}) => {
    const call = layerCall(sequence as Tensor3D, layer.descriptor, layer.attrs, initialState, mask);
    const [output, finalState] = runTrainableLayer(call);
    return {output, finalState};
  },
};
