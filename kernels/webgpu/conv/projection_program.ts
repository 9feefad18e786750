import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram} from '../program_util.js';
import {uniformLayout} from '../uniforms.js';
import {FLOAT16_WGSL} from '../wgsl/float16.js';
import {PROJECTION_TILE, PROJECTION_WORKGROUP} from '../wgsl/projection.js';
import {convProjectionWgsl} from './wgsl/projection.js';

export const CONV_PROJECTION_UNIFORMS = uniformLayout([
  ['rows', 'i32'],
  ['inputs', 'i32'],
  ['units', 'i32'],
  ['height', 'i32'],
  ['width', 'i32'],
  ['kernelHeight', 'i32'],
  ['kernelWidth', 'i32'],
  ['padTop', 'i32'],
  ['padLeft', 'i32'],
  ['reduction', 'i32'],
] as const);

/**
 * P = conv(x_t, W) (+ b) for every batch row and step; writes the op's output buffer
 * [batch, time, height, width, units]. Sizes and kernel window are uniforms, so one pipeline serves
 * every shape.
 */
export class ConvProjectionProgram extends BoundProgram {
  outputShape: number[];
  shaderKey: string;
  dispatch: [number, number, number];
  workgroupSize = PROJECTION_WORKGROUP;
  uniforms = CONV_PROJECTION_UNIFORMS.wgsl;
  private readonly roundToFloat16: boolean;
  private readonly hasBias: boolean;

  constructor(
    inputs: {x: TensorInfo; inputWeights: TensorInfo; biasTerms: TensorInfo | null},
    opts: {outputShape: number[]; rows: number; units: number; roundToFloat16: boolean},
  ) {
    super(inputs);
    this.outputShape = opts.outputShape;
    this.roundToFloat16 = opts.roundToFloat16;
    this.hasBias = inputs.biasTerms != null;
    this.dispatch = [Math.ceil(opts.units / PROJECTION_TILE), Math.ceil(opts.rows / PROJECTION_TILE), 1];
    this.shaderKey = `sgconvProjection_${this.roundToFloat16 ? 'f16' : 'f32'}_${this.hasBias ? 'bias' : 'nobias'}`;
  }

  getUserCode(): string {
    return `${this.roundToFloat16 ? FLOAT16_WGSL : ''}
${convProjectionWgsl({roundToFloat16: this.roundToFloat16, hasBias: this.hasBias})}`;
  }
}
