import type {WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';

import {ELEMENTWISE_WORKGROUP, elementwiseDispatch} from './program_util.js';
import {uniformLayout} from './uniforms.js';
import {elementwiseProjectionWgsl} from './wgsl/projection.js';

export const ELEMENTWISE_PROJECTION_UNIFORMS = uniformLayout([
  ['total', 'i32'],
  ['units', 'i32'],
] as const);

/** P = x + b (unit-transform mode) or P = b (W absent); b may be absent too. */
export class ElementwiseProjectionProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = {x: [0]};
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize = ELEMENTWISE_WORKGROUP;
  uniforms = ELEMENTWISE_PROJECTION_UNIFORMS.wgsl;
  private readonly unitTransform: boolean;
  private readonly hasBias: boolean;

  constructor(opts: {batch: number; time: number; units: number; unitTransform: boolean; hasBias: boolean}) {
    this.outputShape = [opts.batch, opts.time, opts.units];
    this.unitTransform = opts.unitTransform;
    this.hasBias = opts.hasBias;
    this.variableNames = [...(opts.unitTransform ? ['x'] : []), ...(opts.hasBias ? ['biasTerms'] : [])];
    this.dispatch = elementwiseDispatch(opts.batch * opts.time * opts.units);
    this.shaderKey = `sgrnnElementwiseProjection_${this.unitTransform ? 'unit' : 'zero'}_${this.hasBias ? 'bias' : 'nobias'}`;
  }

  getUserCode(): string {
    return elementwiseProjectionWgsl({unitTransform: this.unitTransform, hasBias: this.hasBias});
  }
}
