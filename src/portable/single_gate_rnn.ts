/**
 * The portable path: the single-gate RNN from stock tfjs ops, for backends without a `SingleGateRNN`
 * kernel and for training (these ops have gradients). The projection W x + b is one matMul over all
 * steps; each step then adds U h_{t-1} and applies the neuron.
 */
import {
  add,
  fill,
  broadcastTo,
  matMul,
  reshape,
  stack,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  unstack,
  where,
  zeros,
} from '@tensorflow/tfjs-core';

import type {SingleGateRNNAttrs} from '../contracts/matrix_kernel.js';
import {selectSteps} from '../sequence/step_selection.js';
import {roundWeightsToFloat16} from './float16_weights.js';
import {neuronOps} from './neuron.js';

/** The kernel's inputs as tensors, with the same meaning of absent entries (see src/contracts/matrix_kernel.ts). */
export type PortableInputs = {
  x: Tensor3D;
  inputWeights?: Tensor2D;
  recurrentWeights?: Tensor2D;
  biasTerms?: Tensor1D;
  initialState?: Tensor2D;
  /** [batch, time] bool. */
  mask?: Tensor2D;
};

/**
 * [output, finalState] as the kernel returns them, from inputs the op has checked. Intermediate
 * tensors are left to the caller's scope (the op's `op()`, the layer's `tidy`).
 */
export function portableSingleGateRNN(
  inputs: PortableInputs,
  attrs: SingleGateRNNAttrs,
): [Tensor3D, Tensor2D] {
  const {x, biasTerms, initialState, mask} = inputs;
  const [batch, time, inChannels] = x.shape;
  const out = attrs.outputFeatureChannels;
  const weights = (w: Tensor2D): Tensor2D => (attrs.useFloat32Weights ? w : roundWeightsToFloat16(w));

  // W x_t + b for every step at once: [batch, time, out].
  let projection: Tensor3D | null = null;
  if (attrs.useLayerInputUnitTransformMode) {
    projection = x;
  } else if (inputs.inputWeights != null) {
    const flat = reshape(x, [batch * time, inChannels]);
    projection = reshape(matMul(flat, weights(inputs.inputWeights), false, true), [batch, time, out]);
  }
  if (projection != null && biasTerms != null) projection = add<Tensor3D>(projection, biasTerms);
  // Without a projection every step starts from b (or 0).
  const projected = projection != null ? (unstack(projection, 1) as Tensor2D[]) : null;
  const constant: Tensor2D | null =
    projected != null ? null : biasTerms != null ? broadcastTo(biasTerms, [batch, out]) : zeros([batch, out]);
  const u = inputs.recurrentWeights == null ? null : weights(inputs.recurrentWeights);
  // Each step's condition at the state's shape, so that `where` has nothing to tile (src/sequence/step_selection.ts);
  // its shape from `fill`, which runs on the device (tf.zeros makes its values on the host).
  const consumed =
    mask == null
      ? null
      : (unstack(
          selectSteps(reshape(mask, [batch, time, 1]), fill([batch, time, out], 0)).inside,
          1,
        ) as Tensor2D[]);
  const g = neuronOps({type: attrs.neuronType, a: attrs.neuronA, b: attrs.neuronB, c: attrs.neuronC});
  const backward = attrs.layerSequenceDirection === 'backward';

  let h: Tensor2D = initialState ?? zeros([batch, out]);
  const states: Tensor2D[] = new Array<Tensor2D>(time);
  for (let step = 0; step < time; step++) {
    const t = backward ? time - 1 - step : step;
    const p = projected?.[t] ?? (constant as Tensor2D);
    const next = g(u == null ? p : add(p, matMul(h, u, false, true))) as Tensor2D;
    // A skipped step carries the state over.
    h = consumed == null ? next : where(consumed[t], next, h);
    states[t] = h;
  }
  // A copy, so the final state is never one of the caller's tensors (an initial state all steps skipped).
  return [stack(states, 1) as Tensor3D, h.clone()];
}
