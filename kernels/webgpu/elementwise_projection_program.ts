import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram, ELEMENTWISE_WORKGROUP, elementwiseDispatch} from './program_util.js';
import {uniformLayout} from './uniforms.js';
import {elementwiseProjectionWgsl} from './wgsl/projection.js';

export const ELEMENTWISE_PROJECTION_UNIFORMS = uniformLayout([
  ['total', 'i32'],
  ['units', 'i32'],
] as const);

/**
 * P = x + b (unit-transform mode: pass x) or P = b (W absent: pass no x); b may be absent too, leaving
 * P = x or 0.
 */
export class ElementwiseProjectionProgram extends BoundProgram {
  outputShape: number[];
  shaderKey: string;
  dispatch: [number, number, number];
  workgroupSize = ELEMENTWISE_WORKGROUP;
  uniforms = ELEMENTWISE_PROJECTION_UNIFORMS.wgsl;
  private readonly unitTransform: boolean;
  private readonly hasBias: boolean;

  constructor(
    inputs: {x: TensorInfo | null; biasTerms: TensorInfo | null},
    opts: {batch: number; time: number; units: number},
  ) {
    super(inputs);
    this.outputShape = [opts.batch, opts.time, opts.units];
    this.unitTransform = inputs.x != null;
    this.hasBias = inputs.biasTerms != null;
    this.dispatch = elementwiseDispatch(opts.batch * opts.time * opts.units);
    this.shaderKey = `sgrnnElementwiseProjection_${this.unitTransform ? 'unit' : 'zero'}_${this.hasBias ? 'bias' : 'nobias'}`;
  }

  getUserCode(): string {
    return elementwiseProjectionWgsl({unitTransform: this.unitTransform, hasBias: this.hasBias});
  }
}
