import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram, ELEMENTWISE_WORKGROUP, elementwiseDispatch} from './program_util.js';
import {uniformLayout} from './uniforms.js';
import {joinDirectionsWgsl} from './wgsl/join_directions.js';

export const JOIN_DIRECTIONS_UNIFORMS = uniformLayout([
  ['rows', 'i32'],
  ['chunk', 'i32'],
] as const);

/**
 * [rows, 2, chunk] from two [rows, chunk] buffers (either may be absent: zeros): the forward and the
 * backward direction's P, initial state or prepared U side by side, as the bidirectional recurrence
 * reads them. Copies bits, so it serves float32 and int32 (packed float16) alike.
 */
export class JoinDirectionsProgram extends BoundProgram {
  outputShape: number[];
  shaderKey: string;
  dispatch: [number, number, number];
  workgroupSize = ELEMENTWISE_WORKGROUP;
  uniforms = JOIN_DIRECTIONS_UNIFORMS.wgsl;
  private readonly shader: Parameters<typeof joinDirectionsWgsl>[0];

  constructor(
    inputs: {first: TensorInfo | null; second: TensorInfo | null},
    opts: {rows: number; chunk: number; dtype: 'float32' | 'int32'},
  ) {
    super(inputs);
    this.shader = {hasFirst: this.binds('first'), hasSecond: this.binds('second'), dtype: opts.dtype};
    this.outputShape = [opts.rows, 2, opts.chunk];
    this.dispatch = elementwiseDispatch(2 * opts.rows * opts.chunk);
    this.shaderKey = [
      'sgrnnJoinDirections',
      opts.dtype,
      this.shader.hasFirst ? 'first' : 'nofirst',
      this.shader.hasSecond ? 'second' : 'nosecond',
    ].join('_');
  }

  getUserCode(): string {
    return joinDirectionsWgsl(this.shader);
  }
}
