import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';

import {copyRanges} from './buffer_copies.js';
import {runProgram} from './recorded_dispatches.js';
import {BoundProgram, elementwiseGrid} from './program_util.js';
import {FINAL_STATE_COPY_MAX_ROWS} from './tuning.js';
import {uniformLayout} from './uniforms.js';
import {FINAL_STATE_WGSL} from './wgsl/final_state.js';

const FINAL_STATE_UNIFORMS = uniformLayout([
  ['batch', 'i32'],
  ['time', 'i32'],
  ['units', 'i32'],
  ['lastTime', 'i32'],
] as const);

/** finalState [batch, units] = output[:, lastTime, :]. Input: the sequence output. */
class FinalStateProgram extends BoundProgram {
  constructor(inputs: {sequenceOutput: TensorInfo}, opts: {batch: number; units: number}) {
    super(inputs, {
      outputShape: [opts.batch, opts.units],
      ...elementwiseGrid(opts.batch * opts.units),
      uniforms: FINAL_STATE_UNIFORMS.wgsl,
      shaderKey: 'sgrnnFinalState',
      userCode: () => FINAL_STATE_WGSL,
    });
  }
}

const F32_BYTES = 4;

/**
 * The state after the last consumed step, [batch, units]: each batch row's `units` values at time
 * `lastTime` of the sequence output [batch, time, units] (units: a state's size, an image's for the
 * image variant). One buffer copy per row while rows are few (far cheaper on the host than a program),
 * else FinalStateProgram.
 */
export function finalStateOf(
  backend: WebGPUBackend,
  output: TensorInfo,
  opts: {batch: number; time: number; units: number; lastTime: number},
): TensorInfo {
  const {batch, time, units, lastTime} = opts;
  if (batch <= FINAL_STATE_COPY_MAX_ROWS) {
    const finalState = backend.makeTensorInfo([batch, units], 'float32');
    const rowBytes = units * F32_BYTES;
    const rows = Array.from({length: batch}, (_, b) => ({
      srcOffset: (b * time + lastTime) * rowBytes,
      dstOffset: b * rowBytes,
      size: rowBytes,
    }));
    copyRanges(backend, output, finalState, rows);
    return finalState;
  }
  const program = new FinalStateProgram({sequenceOutput: output}, {batch, units});
  const uniforms = FINAL_STATE_UNIFORMS.data({batch, time, units, lastTime});
  return runProgram(backend, program, uniforms, {dtype: 'float32'});
}
