/**
 * Runs a bidirectional call's two stacks layer pair by layer pair: layer k of the forward stack and
 * layer k of the backward stack in one `SingleGateRNNBidirectional` kernel call where the backend has
 * that kernel and the pair qualifies (`runTogether`), so that a GPU runs both recurrences in the same
 * dispatches; otherwise (and for the layers of the deeper stack past the other's depth) one
 * `SingleGateRNN` call per layer, as `runStack` does.
 *
 * Measured with bench/bidirectional_concurrency.ts (median of 9-15 runs, call to both outputs on the
 * host), webgpu on SwiftShader in Node, on a 2-core host shared with other work (load ~11):
 *   (batch, time, inputs, units)   one pair call   two calls
 *   (4, 64, 32, 32) persistent         134-141 ms   89-131 ms
 *   (1, 200, 16, 32) persistent         74 ms        57 ms
 *   (1, 400, 8, 16) persistent         139 ms       132 ms
 *   (16, 100, 64, 64) persistent      1846 ms      1817 ms
 *   (2, 8, 16, 600) sliced            1424 ms      1471 ms
 *   (1, 40, 8, 600) sliced            4573 ms      3240 ms
 * A CPU emulator gains nothing from it: it has two cores to run the two directions' workgroups on,
 * and those were busy; the pair's extra joining dispatches cost the rest. On a GPU (an H200) pairs
 * gain 3-14% where the recurrence is persistent and lose 23% where it is sliced; the webgpu kernel's
 * pair policy (`pairPays`, kernels/webgpu/bidirectional.ts, with the figures) pairs only the former.
 */
import {
  engine,
  getBackend,
  getKernel,
  NamedTensorMap,
  reshape,
  slice,
  Tensor,
  Tensor2D,
  Tensor3D,
} from '@tensorflow/tfjs-core';

import {bidirectionalInputs, SingleGateRNNBidirectional} from '../contracts/pair_kernel.js';
import {pairPays, runTogether} from '../sequence/pair_policy.js';
import type {SequenceContext} from '../sequence/context.js';
import {finishLayer, stackRun} from '../sequence/stack.js';
import {asLayer, DirectionStack, StackRun} from '../sequence/variant.js';
import {LayerCall, layerCall} from './checked_call.js';
import {runLayer} from './single_layer.js';

type LayerResult = {output: Tensor3D; finalState: Tensor2D};

/**
 * Both layers of a pair in one kernel call, or null where the backend lacks the kernel or the pair
 * does not qualify. The kernel returns [batch, time, 2 * units] (forward units first); each
 * direction's output and final state are sliced from it (forward: its last step; backward: step 0).
 */
function runPair([forward, backward]: [LayerCall, LayerCall]): [LayerResult, LayerResult] | null {
  if (getKernel(SingleGateRNNBidirectional, getBackend()) == null) return null;
  const haveU = forward.inputs.recurrentWeights != null && backward.inputs.recurrentWeights != null;
  if (!runTogether(forward.attrs, backward.attrs, haveU)) return null;
  const [batch, time] = forward.inputs.x.shape;
  if (!pairPays(getBackend(), {batch, time}, forward.attrs)) return null;
  const {mask, ...forwardInputs} = forward.inputs;
  const {mask: _shared, ...backwardInputs} = backward.inputs;
  const [both] = engine().runKernel<Tensor3D[]>(
    SingleGateRNNBidirectional,
    // The checked inputs are tensors (layerCall made them so); the contract types them as TensorInfo.
    bidirectionalInputs(forwardInputs, backwardInputs, mask) as unknown as NamedTensorMap,
    {forward: forward.attrs, backward: backward.attrs},
  );
  const units = forward.attrs.outputFeatureChannels;
  const part = (offset: number, lastTime: number): LayerResult => ({
    output: slice(both, [0, 0, offset], [batch, time, units]),
    finalState: reshape(slice(both, [0, lastTime, offset], [batch, 1, units]), [batch, units]),
  });
  return [part(0, time - 1), part(units, 0)];
}

/**
 * Runs both stacks over `x3` (their layers, states and the context checked where the call entered),
 * pairs together where they can; [forward, backward].
 */
export function runDirections(
  x3: Tensor3D,
  stacks: [DirectionStack, DirectionStack],
  context: SequenceContext,
): [StackRun, StackRun] {
  const inputs: [Tensor3D, Tensor3D] = [x3, x3];
  const finalStates: [Tensor[], Tensor[]] = [[], []];
  const intermediateStates: [Tensor[], Tensor[]] = [[], []];
  const depth = Math.max(stacks[0].layers.length, stacks[1].layers.length);
  for (let k = 0; k < depth; k++) {
    const calls = stacks.map((stack, d) => {
      const layer = stack.layers[k];
      if (layer == null) return null;
      const state = stack.initialStates[k] ?? null;
      return asLayer(layer.index, () =>
        layerCall(inputs[d], layer.descriptor, layer.attrs, state, context.mask),
      );
    });
    const paired = calls[0] != null && calls[1] != null ? runPair(calls as [LayerCall, LayerCall]) : null;
    for (const d of [0, 1]) {
      const call = calls[d];
      if (call == null) continue;
      const [output, finalState] = paired == null ? runLayer(call) : [paired[d].output, paired[d].finalState];
      inputs[d] = finishLayer(
        {output, finalState},
        context,
        finalStates[d],
        intermediateStates[d],
      ) as Tensor3D;
    }
  }
  return [0, 1].map((d) => stackRun(inputs[d], finalStates[d], intermediateStates[d], context)) as [
    StackRun,
    StackRun,
  ];
}
