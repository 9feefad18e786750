import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram, ELEMENTWISE_WORKGROUP, elementwiseDispatch} from './program_util.js';
import {uniformLayout} from './uniforms.js';
import {FINAL_STATE_WGSL} from './wgsl/final_state.js';

export const FINAL_STATE_UNIFORMS = uniformLayout([
  ['batch', 'i32'],
  ['time', 'i32'],
  ['units', 'i32'],
  ['lastTime', 'i32'],
] as const);

/** finalState [batch, units] = output[:, lastTime, :]. Input: the sequence output. */
export class FinalStateProgram extends BoundProgram {
  outputShape: number[];
  shaderKey = 'sgrnnFinalState';
  dispatch: [number, number, number];
  workgroupSize = ELEMENTWISE_WORKGROUP;
  uniforms = FINAL_STATE_UNIFORMS.wgsl;

  constructor(inputs: {sequenceOutput: TensorInfo}, opts: {batch: number; units: number}) {
    super(inputs);
    this.outputShape = [opts.batch, opts.units];
    this.dispatch = elementwiseDispatch(opts.batch * opts.units);
  }

  getUserCode(): string {
    return FINAL_STATE_WGSL;
  }
}
