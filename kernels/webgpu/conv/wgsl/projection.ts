/**
 * The input projection of the image variant for every step at once: P = conv(x_t, W) + b as an
 * implicit GEMM. Rows are the batch · time · height · width output pixels, columns the output channels,
 * and the reduction runs over W's window and input channels, k = (dy · kernelWidth + dx) · inputs + c,
 * which is exactly W's OHWI layout flattened to [out, k]. Row r's k-th element is the input pixel under
 * tap (dy, dx) of output pixel r, or 0 in the zero padding: the im2col matrix, read in place and never
 * stored. P is written straight into the op's output buffer, where the recurrence adds conv(h, U).
 *
 * Tiled as the matrix projection (../../wgsl/projection.ts): a workgroup of 16 x 16 invocations owns a
 * 64 x 64 tile of P, each invocation 4 x 4 of it strided by 16; the reduction advances 16 at a time
 * through workgroup memory. The first barrier publishes the freshly loaded x and W slices, the second
 * keeps them until every invocation has used them. Both sit in the k loop, whose bounds are uniforms.
 *
 * With float16 weights W is rounded on load, with the matrix kernel's rounding (sgRoundF16).
 */
import {PROJECTION_TILE, PROJECTION_WORKGROUP} from '../../wgsl/projection.js';

const SLICE = 16;
const THREADS = PROJECTION_WORKGROUP[0];

export function convProjectionWgsl(opts: {roundToFloat16: boolean; hasBias: boolean}): string {
  const weight = (expr: string): string => (opts.roundToFloat16 ? `sgRoundF16(${expr})` : expr);
  const tile = PROJECTION_TILE;
  const per = tile / THREADS;
  const loads = (tile * SLICE) / (THREADS * THREADS);
  return /* wgsl */ `
var<workgroup> xSlice : array<f32, ${tile * SLICE}>;
var<workgroup> wSlice : array<f32, ${tile * SLICE}>;

// Element k of output pixel row's window: x under tap (dy, dx), input channel c; 0 in the padding.
fn sgWindow(row : i32, k : i32) -> f32 {
  let inputs = uniforms.inputs;
  let c = k % inputs;
  let tap = k / inputs;
  let pixels = uniforms.height * uniforms.width;
  let image = row / pixels;
  let pixel = row % pixels;
  let y = pixel / uniforms.width + tap / uniforms.kernelWidth - uniforms.padTop;
  let px = pixel % uniforms.width + tap % uniforms.kernelWidth - uniforms.padLeft;
  if (y < 0 || y >= uniforms.height || px < 0 || px >= uniforms.width) {
    return 0.0;
  }
  return x[((image * uniforms.height + y) * uniforms.width + px) * inputs + c];
}

fn main(index : i32) {
  let rows = uniforms.rows;
  let reduction = uniforms.reduction;
  let units = uniforms.units;
  let tx = i32(localId.x);
  let ty = i32(localId.y);
  let lid = i32(localIndex);
  let unit0 = i32(workgroupId.x) * ${tile};
  let row0 = i32(workgroupId.y) * ${tile};

  var acc : array<f32, ${per * per}>;
  for (var k0 = 0; k0 < reduction; k0 = k0 + ${SLICE}) {
    for (var l = 0; l < ${loads}; l = l + 1) {
      let e = lid + l * ${THREADS * THREADS};
      let kk = e % ${SLICE};
      let r = e / ${SLICE};
      let k = k0 + kk;
      let row = row0 + r;
      let unit = unit0 + r;
      var xv = 0.0;
      if (row < rows && k < reduction) {
        xv = sgWindow(row, k);
      }
      var wv = 0.0;
      if (unit < units && k < reduction) {
        wv = ${weight('inputWeights[unit * reduction + k]')};
      }
      xSlice[kk * ${tile} + r] = xv;
      wSlice[kk * ${tile} + r] = wv;
    }
    workgroupBarrier();
    for (var kk = 0; kk < ${SLICE}; kk = kk + 1) {
      for (var i = 0; i < ${per}; i = i + 1) {
        let xv = xSlice[kk * ${tile} + ty + i * ${THREADS}];
        for (var j = 0; j < ${per}; j = j + 1) {
          acc[i * ${per} + j] = fma(xv, wSlice[kk * ${tile} + tx + j * ${THREADS}], acc[i * ${per} + j]);
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
