/**
 * Lays a convolution's weights (OHWI, [outChannels, kernelHeight, kernelWidth, inChannels]; W or U) out
 * for the shaders that sum over its window, once per call: element (j, i) of the
 * [window, paddedOutChannels] result holds weights[i][j], j = (dy · kernelWidth + dx) · inChannels + c
 * running over the window, output channels padded to a multiple of 4 with zeros. The invocation owning
 * output channels 4q..4q+3 then reads, for each j, one vec4 at [j][q], and neighbouring invocations
 * (neighbouring quads) read neighbouring words. With float16 weights each value is rounded here, with
 * the matrix kernel's rounding (sgRoundF16), and kept as a float32.
 *
 * One invocation per element; no workgroup memory.
 */
export function convWeightsWgsl(opts: {float16: boolean}): string {
  const value = 'weights[i * uniforms.window + j]';
  return /* wgsl */ `
fn main(index : i32) {
  let padded = uniforms.paddedChannels;
  if (index < uniforms.window * padded) {
    let j = index / padded;
    let i = index % padded;
    var v = 0.0;
    if (i < uniforms.channels) {
      v = ${opts.float16 ? `sgRoundF16(${value})` : value};
    }
    result[index] = v;
  }
}
`;
}
