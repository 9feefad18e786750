/**
 * One call of the `SingleGateRNN` layer: its inputs split into x, states and lengths; one op call (or,
 * for a training call, the portable path per direction, whose ops have gradients); the directions'
 * outputs merged and the outputs the layer's flags ask for.
 */
import {Tensor, Tensor2D, Tensor3D} from '@tensorflow/tfjs-core';

import type {SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import type {SingleGateRNNResult} from '../matrix/options.js';
import {singleGateRNN} from '../matrix/single_gate_rnn.js';
import {singleGateRNNBidirectional} from '../matrix/single_gate_rnn_bidirectional.js';
import {trainableMatrixVariant} from '../matrix/variant.js';
import {sequenceRNN} from '../sequence/stack.js';
import {combineDirections, LayerCombineMode} from './combine.js';
import {clampedLengthSteps, splitLayerInputs, zeroPastEnd} from './layer_inputs.js';

interface LayerCallSettings {
  /** Names the layer in errors (ends with a space). */
  at: string;
  /** tfjs' masks of the call: one per input, x's first. */
  masks: Tensor2D | Tensor2D[] | null | undefined;
  training: boolean;
  /** null: one direction; otherwise both, merged this way. */
  mode: LayerCombineMode | null;
  returnSequences: boolean;
  returnState: boolean;
}

/** The layer's outputs for `inputs`, with one descriptor or, bidirectional, [forward, backward]. */
export function runLayerCall(
  inputs: Tensor[],
  directions:
    readonly [SingleGateRNNDescriptor] | readonly [SingleGateRNNDescriptor, SingleGateRNNDescriptor],
  settings: LayerCallSettings,
): Tensor[] {
  const {mode, returnSequences, returnState, training} = settings;
  const {x, states, lengths} = splitLayerInputs(inputs, directions.length, settings.at);
  const upstream = (Array.isArray(settings.masks) ? settings.masks[0] : settings.masks) ?? null;
  const byLengths = lengths == null ? null : clampedLengthSteps(lengths, x.shape[1], upstream);
  const sequence = {mask: byLengths?.mask ?? upstream};
  // The op's lengths give zeros past a row's end; the mask carries the state there.
  const ended = (output: Tensor3D) => (byLengths == null ? output : zeroPastEnd(output, byLengths.valid));
  const run = (descriptor: SingleGateRNNDescriptor, initialState: Tensor2D | undefined) =>
    training
      ? (sequenceRNN(
          x,
          descriptor,
          {initialState, ...sequence},
          trainableMatrixVariant,
        ) as SingleGateRNNResult)
      : singleGateRNN(x, descriptor, {initialState, ...sequence});
  if (mode == null) {
    const {output, finalState} = run(directions[0], states[0]);
    const main = returnSequences ? ended(output) : finalState;
    return returnState ? [main, finalState] : [main];
  }
  const [forward, backward] = directions as readonly [SingleGateRNNDescriptor, SingleGateRNNDescriptor];
  let merged: Tensor[];
  let finals: Tensor2D[];
  if (training) {
    const [f, b] = [run(forward, states[0]), run(backward, states[1])];
    finals = [f.finalState, b.finalState];
    merged = returnSequences
      ? combineDirections(mode, ended(f.output), ended(b.output))
      : combineDirections(mode, f.finalState, b.finalState);
  } else {
    // 'add' and 'concatenate' over sequences are the op's own combine modes; the rest is done here.
    const opMode = returnSequences && (mode === 'add' || mode === 'concatenate') ? mode : 'none';
    const result = singleGateRNNBidirectional(x, [forward, backward], {
      bidirectionalCombineMode: opMode,
      initialStates: {forward: [states[0] ?? null], backward: [states[1] ?? null]},
      ...sequence,
    });
    finals = [result.finalStates.forward[0], result.finalStates.backward[0]];
    if ('output' in result) merged = [ended(result.output)];
    else if (returnSequences)
      merged = combineDirections(mode, ended(result.outputForward), ended(result.outputBackward));
    else merged = combineDirections(mode, finals[0], finals[1]);
  }
  return returnState ? [...merged, ...finals] : merged;
}
