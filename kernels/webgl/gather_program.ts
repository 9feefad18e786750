import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import {gatherGlsl, partName} from './glsl/gather.js';
import {bindInputs} from './program_util.js';
import {uniformList} from './uniforms.js';

export const GATHER_UNIFORMS = uniformList([
  ['parts', 'int'],
  ['steps', 'int'],
  ['units', 'int'],
  ['partSteps', 'int'],
  ['lastSteps', 'int'],
] as const);

/** Blocks of consecutive steps joined along time, [batch * steps * units] flat; see glsl/gather.ts. */
export class GatherProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  customUniforms = GATHER_UNIFORMS.declarations;
  readonly operands: TensorInfo[];

  /** `parts` (1 to `width`) in time order, each flat [batch * its steps * units]. */
  constructor(parts: TensorInfo[], opts: {width: number; batch: number; steps: number; units: number}) {
    if (parts.length < 1 || parts.length > opts.width) {
      throw new Error(`GatherProgram joins 1 to ${opts.width} blocks, got ${parts.length}`);
    }
    const bound = Array.from({length: opts.width}, (_, k): [string, TensorInfo] => [
      partName(k),
      parts[k] ?? parts[0],
    ]);
    ({variableNames: this.variableNames, operands: this.operands} = bindInputs(Object.fromEntries(bound)));
    this.outputShape = [opts.batch * opts.steps * opts.units];
    this.userCode = gatherGlsl(opts.width);
  }
}
