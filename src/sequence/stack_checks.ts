/**
 * The checks of a stack: each descriptor's own, the channels chaining from x through the layers, and
 * per-layer initial states. Run once where a stack or bidirectional call enters; the layers below take
 * what they return.
 */
import {Tensor} from '@tensorflow/tfjs-core';

import {checkedFloatTensor, formatShape} from '../checks/arguments.js';
import type {SingleGateRNNAttrs} from '../contracts/matrix_kernel.js';
import {AnyStateLike, asLayer, RNNVariant, StackLayer} from './variant.js';

/**
 * Checks the descriptors at `indices` of `descriptors` as one stack fed by x: each one's own checks,
 * then that its input channels are x's (the first) or the previous layer's output channels.
 * `layerName(k)` says which layer k of this stack is, for the chaining message; `checked` holds the
 * attributes of descriptors already checked, by index.
 */
export function checkStack<D>(
  descriptors: readonly D[] | D,
  indices: number[],
  x: Tensor,
  layerName: (k: number) => string,
  variant: RNNVariant<D>,
  checked?: readonly SingleGateRNNAttrs[],
): Array<StackLayer<D>> {
  const stacked = Array.isArray(descriptors);
  const list: readonly D[] = stacked ? descriptors : [descriptors as D];
  const channels = x.shape[x.rank - 1];
  let previous: StackLayer<D> | null = null;
  return indices.map((index, k) => {
    const descriptor = list[index];
    const attrs =
      checked?.[index] ?? asLayer(stacked ? index : null, () => variant.checkDescriptor(descriptor));
    const inputChannels = attrs.inputFeatureChannels;
    if (previous == null && inputChannels !== channels) {
      const dims = variant.inputDims(x.rank);
      const source = stacked ? `descriptors[${index}].inputFeatureChannels = ` : '';
      throw new Error(
        `x must be ${dims} with inputFeatureChannels = ${source}${inputChannels}, got ${formatShape(x.shape)}`,
      );
    }
    if (previous != null && inputChannels !== previous.attrs.outputFeatureChannels) {
      throw new Error(
        `descriptors[${index}].inputFeatureChannels must equal descriptors[${previous.index}].` +
          `outputFeatureChannels = ${previous.attrs.outputFeatureChannels} (${layerName(k)} takes ` +
          `${layerName(k - 1)}'s output), got ${inputChannels}`,
      );
    }
    previous = {index, descriptor, attrs};
    return previous;
  });
}

/**
 * Per-layer initial states for a stack over `sequence`: an array with one entry per layer (null:
 * zeros), or one tensor for a one-layer stack. `argName` names the option in errors.
 */
export function checkInitialStates<D>(
  value: AnyStateLike | readonly AnyStateLike[],
  layers: Array<StackLayer<D>>,
  sequence: Tensor,
  argName: string,
  variant: RNNVariant<D>,
): Array<Tensor | null> {
  if (value == null) return layers.map(() => null);
  const entries = Array.isArray(value) ? (value as readonly AnyStateLike[]) : null;
  if (entries == null && !(value instanceof Tensor)) {
    throw new Error(
      `${argName} must be an array with one state per layer (${layers.length}), got ${typeof value}`,
    );
  }
  if (entries == null && layers.length !== 1) {
    throw new Error(
      `${argName} must be an array with one state per layer (${layers.length} layers), got one tensor`,
    );
  }
  if (entries != null && entries.length !== layers.length) {
    throw new Error(
      `${argName} must have one state per layer (${layers.length}), got ${entries.length} entries`,
    );
  }
  return layers.map((layer, k) => {
    const state = entries == null ? (value as Tensor) : entries[k];
    if (state == null) return null;
    const units = layer.attrs.outputFeatureChannels;
    return checkedFloatTensor(
      state,
      entries == null ? argName : `${argName}[${k}]`,
      variant.stateShape(sequence, units),
      variant.stateDims(`descriptors[${layer.index}].outputFeatureChannels`),
    );
  });
}

/** The initial state of a call with one descriptor (`options.initialState`; null: zeros). */
export function checkInitialState<D>(
  value: AnyStateLike,
  layer: StackLayer<D>,
  sequence: Tensor,
  variant: RNNVariant<D>,
): Tensor | null {
  if (value == null) return null;
  return checkedFloatTensor(
    value,
    'options.initialState',
    variant.stateShape(sequence, layer.attrs.outputFeatureChannels),
    variant.stateDims('outputFeatureChannels'),
  );
}
