/**
 * The input projection of the image variant for every step at once: P = conv(x_t, W) + b, an implicit
 * GEMM over the batch · time · height · width output pixels: the im2col matrix of x (pixel rows by W's
 * window) is read in place through the window sum (window.ts) and never stored, times W laid out by
 * output-channel quads (weights.ts, already rounded for float16 weights). One invocation per pixel and
 * quad; neighbouring invocations are neighbouring quads of one pixel, so they read the same x (one
 * broadcast load) and neighbouring W words. No workgroup memory and no barriers: on software adapters a
 * barrier costs more than the sums here, and on GPUs W's few kilobytes stay in cache.
 * P is written straight into the op's output buffer, where the recurrence adds conv(h, U).
 * Unlike a stepwise recurrence step, the projection has every step's pixels at once (time times more
 * invocations: 327680 at (8, 20, 16, 16, 32, 32, 5), enough to fill a large GPU), so its window sum is
 * not split; a split by input channels would also have to be keyed by them, a uniform here. A long
 * window (strategy.ts windowTile) covers a tile of neighbouring pixels per invocation instead, so
 * each vec4 of W is loaded once for all of them (81920 invocations at that shape).
 */
import {ConvWindow, perChannel, tileAccumulators, tiledWindowSum, windowSum} from './window.js';

export interface ConvProjectionShaderOptions {
  window: ConvWindow;
  outChannels: number;
  hasBias: boolean;
  /** Pixels of an image row one invocation covers (strategy.ts windowTile). */
  tile: number;
}

export function convProjectionWgsl(o: ConvProjectionShaderOptions): string {
  const {window, outChannels, tile} = o;
  const {quads} = window;
  if (tile > 1) return tiledConvProjectionWgsl(o);
  return /* wgsl */ `
fn main(index : i32) {
  let pixels = uniforms.height * uniforms.width;
  if (index >= uniforms.images * pixels * ${quads}) {
    return;
  }
  let row = index / ${quads};
  let q = index % ${quads};
  let image = row / pixels;
  let pixel = row % pixels;
  let y = pixel / uniforms.width;
  let px = pixel % uniforms.width;
  var acc = vec4<f32>(0.0);
  ${o.hasBias ? perChannel(outChannels, (k, c) => `acc[${k}] = biasTerms[${c}];`) : ''}
  let base = image * pixels * uniforms.inChannels;
  ${windowSum(window, (e) => `x[base + ${e}]`, {height: 'uniforms.height', width: 'uniforms.width'})}
  ${perChannel(outChannels, (k, c) => `result[row * ${outChannels} + ${c}] = acc[${k}];`)}
}
`;
}

/** The projection for a long window: one invocation per quad of `tile` neighbouring pixels of a row. */
function tiledConvProjectionWgsl(o: ConvProjectionShaderOptions): string {
  const {window, outChannels, tile} = o;
  const {quads} = window;
  const accumulators = tileAccumulators(tile);
  const size = {height: 'uniforms.height', width: 'uniforms.width'};
  return /* wgsl */ `
fn main(index : i32) {
  let tiles = (uniforms.width + ${tile - 1}) / ${tile};
  let imageItems = uniforms.height * tiles * ${quads};
  if (index >= uniforms.images * imageItems) {
    return;
  }
  let image = index / imageItems;
  let tileIndex = (index % imageItems) / ${quads};
  let q = index % ${quads};
  let y = tileIndex / tiles;
  let px = (tileIndex % tiles) * ${tile};
  let pixels = uniforms.height * uniforms.width;
  let row = image * pixels + y * uniforms.width + px;
  ${accumulators.map((acc) => `var ${acc} = vec4<f32>(0.0);`).join('\n  ')}
  let base = image * pixels * uniforms.inChannels;
  ${tiledWindowSum(window, (e) => `x[base + ${e}]`, size, {first: '0', stride: 1}, tile)}
  ${accumulators
    .map(
      (acc, p) => `if (px + ${p} < uniforms.width) {
    ${o.hasBias ? perChannel(outChannels, (k, c) => `${acc}[${k}] = ${acc}[${k}] + biasTerms[${c}];`) : ''}
    ${perChannel(outChannels, (k, c) => `result[(row + ${p}) * ${outChannels} + ${c}] = ${acc}[${k}];`)}
  }`,
    )
    .join('\n  ')}
}
`;
}
