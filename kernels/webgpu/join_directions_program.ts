import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram, elementwiseGrid} from './program_util.js';
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
  constructor(
    inputs: {first: TensorInfo | null; second: TensorInfo | null},
    opts: {rows: number; chunk: number; dtype: 'float32' | 'int32'},
  ) {
    const shader = {hasFirst: inputs.first != null, hasSecond: inputs.second != null, dtype: opts.dtype};
    const sides = `${shader.hasFirst ? 'first' : 'nofirst'}_${shader.hasSecond ? 'second' : 'nosecond'}`;
    super(inputs, {
      outputShape: [opts.rows, 2, opts.chunk],
      ...elementwiseGrid(2 * opts.rows * opts.chunk),
      uniforms: JOIN_DIRECTIONS_UNIFORMS.wgsl,
      shaderKey: `sgrnnJoinDirections_${opts.dtype}_${sides}`,
      userCode: () => joinDirectionsWgsl(shader),
    });
  }
}
