/**
 * Stacks of layers, sequence lengths and single steps: one kernel call per layer, each layer's output
 * feeding the next on the device (no read back between layers); what the kernels' mask does not give
 * is done with tfjs ops. `singleGateRNN` routes here for an array of descriptors, a rank-2 x or
 * `options.sequenceLengths`; `singleGateRNNBidirectional` runs two stacks through `runStack`. The image
 * variant (`singleGateConvRNN`, `singleGateConvRNNBidirectional`) runs the same code: an `RNNVariant`
 * says what differs (the descriptor's checks, x's and a state's shapes, the one-layer call).
 */
import {reshape, Tensor, where} from '@tensorflow/tfjs-core';

import {checkLengthsAtRead, SequenceContext, sequenceContext, SequenceContextOptions} from './context.js';
import {selectSteps} from './step_selection.js';
import {checkInitialState, checkInitialStates, checkStack} from './stack_checks.js';
import {AnyStateLike, asLayer, RNNVariant, StackLayer, StackRun} from './variant.js';

/**
 * Runs the layers in order, each in its own direction, each kernel call's output feeding the next.
 * With sequence lengths, the mask stops each row after its end; past it, outputs become zeros and
 * intermediate states the row's final state (see `finishLayer`).
 *
 * Layer after layer, not as a wavefront (layer l at step t while layer l + 1 is at step t - 1, in one
 * dispatch): its nearest measurable form, two independent recurrences in the same dispatches (the
 * bidirectional pair kernel), gained nothing over two calls on SwiftShader (numbers in
 * src/matrix/pair_runs.ts), and a wavefront adds a cross-layer dependency to that. A wavefront shader
 * was not built; on a GPU it would overlap layers the way pairs overlap directions, worth timing there.
 */
export function runStack<D>(
  sequence: Tensor,
  layers: Array<StackLayer<D>>,
  initialStates: Array<Tensor | null>,
  context: SequenceContext,
  variant: RNNVariant<D>,
  name: (layer: StackLayer<D>) => number | null,
): StackRun {
  let input = sequence;
  const finalStates: Tensor[] = [];
  const intermediateStates: Tensor[] = [];
  layers.forEach((layer, k) => {
    const run = asLayer(name(layer), () =>
      variant.single(input, layer, {initialState: initialStates[k], mask: context.mask}),
    );
    input = finishLayer(run, context, finalStates, intermediateStates);
  });
  return stackRun(input, finalStates, intermediateStates, context);
}

/**
 * One layer's kernel result made into what the caller sees: its final state appended to
 * `finalStates`, its intermediate states (if stored) to `intermediateStates`; returns its output,
 * the next layer's input. With sequence lengths the kernel gives the carried state past a row's end
 * (the last state going forward, but the initial state going backward, since a backward row starts
 * at x_{L_n - 1}), so outputs there become zeros and intermediate states the row's final state.
 */
export function finishLayer(
  run: {output: Tensor; finalState: Tensor},
  context: SequenceContext,
  finalStates: Tensor[],
  intermediateStates: Tensor[],
): Tensor {
  const {valid, storeAll} = context;
  finalStates.push(run.finalState);
  if (valid == null) {
    if (storeAll) intermediateStates.push(run.output.clone());
    return run.output;
  }
  // Selected as [batch, time, rest], whatever a state's shape: webgpu's select stops at rank 4.
  const [batch, time] = run.output.shape;
  const output = reshape(run.output, [batch, time, -1]);
  const {inside, zeros} = selectSteps(valid, output);
  if (storeAll) {
    // The final state's tile runs where the state lives: it comes from the kernel.
    const final = reshape(run.finalState, [batch, 1, -1]);
    intermediateStates.push(reshape(where(inside, output, final), run.output.shape));
  }
  return reshape(where(inside, output, zeros), run.output.shape);
}

/** A stack's result from its last output and the states `finishLayer` collected. */
export function stackRun(
  output: Tensor,
  finalStates: Tensor[],
  intermediateStates: Tensor[],
  context: SequenceContext,
): StackRun {
  return context.storeAll ? {output, finalStates, intermediateStates} : {output, finalStates};
}

/**
 * A sequence call's result with tensors of any rank: a step's, a sequence's, one layer's or a stack's
 * (`finalStates`); each op narrows it to its own result types.
 */
type SequenceResult = {
  output: Tensor;
  finalState: Tensor;
  finalStates?: Tensor[];
  intermediateStates?: Tensor | Tensor[];
};

/** The options of a stack call of either variant (states per layer). */
interface StackCallOptions extends SequenceContextOptions {
  initialState?: AnyStateLike | readonly AnyStateLike[];
}

/**
 * `singleGateRNN` (and `singleGateConvRNN`) for a stack, a single step or sequence lengths, from x as
 * a float tensor (the op converts it where the call enters): everything else of the call is checked
 * here, once, and the layers below take the checked values. Each op narrows the result to its types.
 */
export function sequenceRNN<D>(
  x: Tensor,
  descriptors: D | readonly D[],
  options: StackCallOptions,
  variant: RNNVariant<D>,
): SequenceResult {
  const stacked = Array.isArray(descriptors);
  if (stacked && descriptors.length === 0) {
    throw new Error(`descriptors must hold at least one ${variant.descriptorName} (layer 0 first), got []`);
  }
  const {sequence, step} = variant.asSequence(x);
  const count = stacked ? descriptors.length : 1;
  const layers = checkStack(descriptors, [...Array(count).keys()], x, (k) => `layer ${k}`, variant);
  const initialStates = stacked
    ? checkInitialStates(options.initialState, layers, sequence, 'options.initialState', variant)
    : [checkInitialState(options.initialState as AnyStateLike, layers[0], sequence, variant)];
  const context = sequenceContext(sequence, options);
  variant.checkNotEmpty(sequence);
  const run = runStack(sequence, layers, initialStates, context, variant, (layer) =>
    stacked ? layer.index : null,
  );
  const finalState = run.finalStates[count - 1];
  // A step's outputs and states are [batch, units]: the time axis of length 1 goes.
  const shaped = (t: Tensor): Tensor => (step ? reshape(t, [t.shape[0], t.shape[2]!]) : t);
  const output = shaped(run.output);
  const states = run.intermediateStates?.map(shaped);
  if (!stacked) {
    return checkLengthsAtRead(
      context,
      sequence.shape[1]!,
      (states ? {output, finalState, intermediateStates: states[0]} : {output, finalState}) as SequenceResult,
    );
  }
  const result = {output, finalState, finalStates: run.finalStates};
  return checkLengthsAtRead(
    context,
    sequence.shape[1]!,
    (states ? {...result, intermediateStates: states} : result) as SequenceResult,
  );
}
