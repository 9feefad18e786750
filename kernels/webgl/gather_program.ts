import type {TensorInfo} from '@tensorflow/tfjs-core';

import {flat4Shape} from './glsl/flat4.js';
import {gatherGlsl, partName} from './glsl/gather.js';
import {gather4Glsl} from './glsl/gather4.js';
import {type BoundInputs, bindInputs, FlatProgram} from './program_util.js';
import {uniformList} from './uniforms.js';

export const GATHER_UNIFORMS = uniformList([
  ['parts', 'int'],
  ['steps', 'int'],
  ['units', 'int'],
  ['partSteps', 'int'],
  ['lastSteps', 'int'],
] as const);

/** Blocks of consecutive steps joined along time, [batch * steps * units] flat; see glsl/gather.ts. */
export class GatherProgram extends FlatProgram {
  /** `parts` (1 to `width`) in time order, each flat [batch * its steps * units]. */
  constructor(parts: TensorInfo[], opts: {width: number; batch: number; steps: number; units: number}) {
    super(bindParts(parts, opts.width), {
      outputShape: [opts.batch * opts.steps * opts.units],
      userCode: gatherGlsl(opts.width),
      customUniforms: GATHER_UNIFORMS.declarations,
    });
  }
}

/**
 * The same on flat4 blocks (glsl/gather4.ts), units a multiple of 4: the output flat4 when `toFlat4`,
 * else flat [batch * steps * units] one value per texel.
 */
export class Gather4Program extends FlatProgram {
  /** `parts` (1 to `width`) in time order, each flat4 [batch * its steps * units]. */
  constructor(
    parts: TensorInfo[],
    opts: {width: number; batch: number; steps: number; units: number; toFlat4: boolean},
  ) {
    const size = opts.batch * opts.steps * opts.units;
    super(bindParts(parts, opts.width), {
      outputShape: opts.toFlat4 ? flat4Shape(size) : [size],
      userCode: gather4Glsl(opts.width, opts.toFlat4),
      customUniforms: GATHER_UNIFORMS.declarations,
      packedInputs: true,
      packedOutput: opts.toFlat4,
    });
  }
}

/** Binds 1 to `width` parts to the samplers part0.., the unused ones to part 0 (never read). */
function bindParts(parts: TensorInfo[], width: number): BoundInputs {
  if (parts.length < 1 || parts.length > width) {
    throw new Error(`a gather joins 1 to ${width} blocks, got ${parts.length}`);
  }
  const bound = Array.from({length: width}, (_, k): [string, TensorInfo] => [
    partName(k),
    parts[k] ?? parts[0],
  ]);
  return bindInputs(Object.fromEntries(bound));
}
