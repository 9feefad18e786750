/**
 * The input projection for every step at once: P = X Wᵀ + b, with X the [batch * time, inputs] rows of
 * x and W [units, inputs]. The recurrence later adds U h to P in place, so P is written straight into
 * the op's output buffer.
 *
 * Tiled matrix product. A workgroup of 16 x 16 invocations owns a 64 x 64 tile of P (64 rows of X by
 * 64 units); each invocation owns 4 x 4 of it, strided by 16 in both directions so that neighbouring
 * invocations touch neighbouring workgroup-memory words (no bank conflicts) and neighbouring output
 * addresses (coalesced stores). The reduction dimension advances 16 at a time through workgroup
 * memory: the first barrier publishes the freshly loaded X and W slices, the second keeps them until
 * every invocation has used them, before the next slice overwrites them.
 *
 * With float16 weights W is rounded here, on load (the same rounding as the recurrent weights get),
 * so no rounded copy of W is ever stored.
 */
import {PROJECTION_SLICE as SLICE, PROJECTION_THREADS as THREADS, PROJECTION_TILE} from '../tuning.js';

export {PROJECTION_TILE};

export function projectionWgsl(opts: {roundToFloat16: boolean; hasBias: boolean}): string {
  const weight = (expr: string): string => (opts.roundToFloat16 ? `sgRoundF16(${expr})` : expr);
  const per = PROJECTION_TILE / THREADS; // outputs per invocation in each direction
  const loads = (PROJECTION_TILE * SLICE) / (THREADS * THREADS);
  return /* wgsl */ `
// [k][row] and [k][unit]: the inner loop reads one row of each per k.
var<workgroup> xSlice : array<f32, ${PROJECTION_TILE * SLICE}>;
var<workgroup> wSlice : array<f32, ${PROJECTION_TILE * SLICE}>;

fn main(index : i32) {
  let rows = uniforms.rows;
  let inputs = uniforms.inputs;
  let units = uniforms.units;
  let tx = i32(localId.x);
  let ty = i32(localId.y);
  let lid = i32(localIndex);
  let unit0 = i32(workgroupId.x) * ${PROJECTION_TILE};
  // Row blocks fold into z past one dispatch dimension (projection_program.ts).
  let row0 = i32(workgroupId.y + workgroupId.z * numWorkgroups.y) * ${PROJECTION_TILE};

  var acc : array<f32, ${per * per}>;
  for (var k0 = 0; k0 < inputs; k0 = k0 + ${SLICE}) {
    for (var l = 0; l < ${loads}; l = l + 1) {
      // Consecutive invocations read consecutive k of one row: runs of ${SLICE} contiguous words.
      let e = lid + l * ${THREADS * THREADS};
      let kk = e % ${SLICE};
      let r = e / ${SLICE};
      let k = k0 + kk;
      let row = row0 + r;
      let unit = unit0 + r;
      var xv = 0.0;
      if (row < rows && k < inputs) {
        xv = x[row * inputs + k];
      }
      var wv = 0.0;
      if (unit < units && k < inputs) {
        wv = ${weight('inputWeights[unit * inputs + k]')};
      }
      xSlice[kk * ${PROJECTION_TILE} + r] = xv;
      wSlice[kk * ${PROJECTION_TILE} + r] = wv;
    }
    workgroupBarrier();
    for (var kk = 0; kk < ${SLICE}; kk = kk + 1) {
      for (var i = 0; i < ${per}; i = i + 1) {
        let xv = xSlice[kk * ${PROJECTION_TILE} + ty + i * ${THREADS}];
        for (var j = 0; j < ${per}; j = j + 1) {
          acc[i * ${per} + j] = fma(xv, wSlice[kk * ${PROJECTION_TILE} + tx + j * ${THREADS}], acc[i * ${per} + j]);
        }
      }
    }
    workgroupBarrier();
  }

  for (var i = 0; i < ${per}; i = i + 1) {
    let row = row0 + ty + i * ${THREADS};
    for (var j = 0; j < ${per}; j = j + 1) {
      let unit = unit0 + tx + j * ${THREADS};
      if (row < rows && unit < units) {
        result[row * units + unit] = acc[i * ${per} + j]${opts.hasBias ? ' + biasTerms[unit]' : ''};
      }
    }
  }
}
`;
}

export const PROJECTION_WORKGROUP: [number, number, number] = [THREADS, THREADS, 1];

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
