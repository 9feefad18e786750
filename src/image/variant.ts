/** The image variant as the sequence engine (stacks, sequence lengths, bidirectional encoding) sees it. */
import type {Tensor5D} from '@tensorflow/tfjs-core';

import {checkConvDescriptor} from '../checks/image_descriptor_attrs.js';
import type {SingleGateConvRNNDescriptor} from '../contracts/image_descriptor.js';
import type {SingleGateConvRNNAttrs} from '../contracts/image_kernel.js';
import type {RNNVariant} from '../sequence/variant.js';
import {asImageSequence, checkImagesNotEmpty, convLayerCall, X_DIMS} from './checked_call.js';
import {runConvLayer} from './single_layer.js';

export const convVariant: RNNVariant<SingleGateConvRNNDescriptor> = {
  descriptorName: 'SingleGateConvRNNDescriptor',
  sequenceRank: 5,
  inputDims: () => X_DIMS,
  asSequence: (x) => ({sequence: asImageSequence(x), step: false}),
  checkDescriptor: checkConvDescriptor,
  stateShape: (sequence, units) => [sequence.shape[0], sequence.shape[2]!, sequence.shape[3]!, units],
  stateDims: (units) => `[batch, height, width, ${units}]`,
  checkNotEmpty: checkImagesNotEmpty,
  single: (sequence, layer, {initialState, mask}) => {
    const call = convLayerCall(
      sequence as Tensor5D,
      layer.descriptor,
      layer.attrs as SingleGateConvRNNAttrs,
      initialState,
      mask,
    );
    const [output, finalState] = runConvLayer(call);
    return {output, finalState};
  },
};
