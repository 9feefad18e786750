/**
 * The input projection's shaders: P = X Wᵀ + b by the program its plan names (projection_plan.ts), and
 * the projection without a matrix.
 */
import type {ProjectionPlan} from '../projection_plan.js';
import {projectionSkinnyWgsl} from './projection_skinny.js';
import {projectionTiledWgsl} from './projection_tiled.js';

export function projectionWgsl(
  plan: ProjectionPlan,
  opts: {roundToFloat16: boolean; hasBias: boolean},
): string {
  return plan.kind === 'skinny' ? projectionSkinnyWgsl(plan, opts) : projectionTiledWgsl(plan, opts);
}

/**
 * The projection without a matrix: x itself (unit-transform mode) or nothing (W absent), plus the bias.
 * One invocation per element.
 */
export function elementwiseProjectionWgsl(opts: {unitTransform: boolean; hasBias: boolean}): string {
  const terms = [
    opts.unitTransform ? 'x[index]' : '',
    opts.hasBias ? 'biasTerms[index % uniforms.units]' : '',
  ].filter((t) => t !== '');
  return /* wgsl */ `
fn main(index : i32) {
  if (index < uniforms.total) {
    result[index] = ${terms.length > 0 ? terms.join(' + ') : '0.0'};
  }
}
`;
}
