/**
 * The sum over a convolution's window, shared by the projection (x with W) and the recurrence (h with
 * U). The work item is one pixel and one quad (four output channels): a vec4 accumulator adds, over the
 * window's taps inside the image and every input channel c, the vec4 of weights laid out by
 * weights.ts times the input at the tapped pixel. Taps in the zero padding are skipped, so no padding is
 * ever stored.
 */

/** What a shader bakes in about one convolution. */
export interface ConvWindow {
  /** The WGSL name of the laid-out weights (one vec4 per window element and quad). */
  weights: string;
  /** A WGSL expression: a baked number or a uniform. */
  inChannels: string;
  /** Quads of output channels: ceil(outChannels / 4). */
  quads: number;
  kernelHeight: number;
  kernelWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Which input channels one invocation sums when several share an item's window (the stepwise
 * recurrence's split sum): channels first, first + stride, ...; `first` is a WGSL expression.
 */
interface ChannelSplit {
  first: string;
  stride: number;
}

/**
 * Adds the window's sum to `acc` for the item at pixel (y, px) and quad q (all in scope). `input(e)`
 * reads the input image at element e = pixel · inChannels + c; `size` holds WGSL expressions for the
 * image's height and width (baked numbers or uniforms). With `split`, only that share of the input
 * channels.
 */
export function windowSum(
  w: ConvWindow,
  input: (e: string) => string,
  size: {height: string; width: string},
  split: ChannelSplit = {first: '0', stride: 1},
): string {
  return `
    for (var dy = 0; dy < ${w.kernelHeight}; dy = dy + 1) {
      let yy = y + dy - ${w.padTop};
      if (yy >= 0 && yy < ${size.height}) {
        for (var dx = 0; dx < ${w.kernelWidth}; dx = dx + 1) {
          let xx = px + dx - ${w.padLeft};
          if (xx >= 0 && xx < ${size.width}) {
            let e0 = (yy * ${size.width} + xx) * ${w.inChannels};
            let j0 = (dy * ${w.kernelWidth} + dx) * ${w.inChannels};
            for (var c = ${split.first}; c < ${w.inChannels}; c = c + ${split.stride}) {
              acc = fma(${w.weights}[(j0 + c) * ${w.quads} + q], vec4<f32>(${input('e0 + c')}), acc);
            }
          }
        }
      }
    }`;
}

/** `body(k, channel)` for each channel of quad q that exists (channel = 4q + k < channels). */
export function perChannel(channels: number, body: (k: number, channel: string) => string): string {
  // With a multiple of 4 channels every quad is full and the guards go.
  const full = channels % 4 === 0;
  return [0, 1, 2, 3]
    .map((k) => {
      const channel = `4 * q + ${k}`;
      return full ? `{ ${body(k, channel)} }` : `if (${channel} < ${channels}) { ${body(k, channel)} }`;
    })
    .join('\n      ');
}

/** The accumulators of a tile of `tile` pixels: acc0, acc1, ... */
export function tileAccumulators(tile: number): string[] {
  return Array.from({length: tile}, (_, p) => `acc${p}`);
}

/**
 * windowSum for a tile of `tile` neighbouring pixels of one image row, (y, px) to (y, px + tile - 1),
 * into the accumulators tileAccumulators(tile): each vec4 of weights is loaded once for the whole tile
 * (the weights' loads, not the input's, are what a long window's sum waits on). Pixels of the tile past
 * the image's right edge, and taps in the padding, read a clamped in-image element and select zero in
 * its place (a select, not a product with 0: an infinite input there must not turn into NaN).
 */
export function tiledWindowSum(
  w: ConvWindow,
  input: (e: string) => string,
  size: {height: string; width: string},
  split: ChannelSplit,
  tile: number,
): string {
  const pixels = Array.from({length: tile}, (_, p) => p);
  return `
    for (var dy = 0; dy < ${w.kernelHeight}; dy = dy + 1) {
      let yy = y + dy - ${w.padTop};
      if (yy >= 0 && yy < ${size.height}) {
        for (var dx = 0; dx < ${w.kernelWidth}; dx = dx + 1) {
          let j0 = (dy * ${w.kernelWidth} + dx) * ${w.inChannels};
          ${pixels
            .map(
              (p) => `let x${p} = px + ${p} + dx - ${w.padLeft};
          let in${p} = x${p} >= 0 && x${p} < ${size.width};
          let e${p} = (yy * ${size.width} + clamp(x${p}, 0, ${size.width} - 1)) * ${w.inChannels};`,
            )
            .join('\n          ')}
          for (var c = ${split.first}; c < ${w.inChannels}; c = c + ${split.stride}) {
            let u = ${w.weights}[(j0 + c) * ${w.quads} + q];
            ${pixels
              .map((p) => `acc${p} = fma(u, vec4<f32>(select(0.0, ${input(`e${p} + c`)}, in${p})), acc${p});`)
              .join('\n            ')}
          }
        }
      }
    }`;
}
