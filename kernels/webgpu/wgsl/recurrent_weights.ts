/**
 * Lays U out for the recurrence, once per call: transposed and grouped by four units, so that the
 * invocation owning units 4q..4q+3 reads, for each input j, one 16-byte (float32) or 8-byte (packed
 * float16) word at [j][q], and neighbouring invocations read neighbouring words.
 *
 * float32: element (j, i) of the output holds U[i][j] (rows padded to a multiple of 4 units with 0).
 * float16: element (j, p) holds U[2p][j] and U[2p+1][j] rounded to nearest-even halves, packed as
 * pack2x16float would (low half first), built from `sgF16Bits` because WGSL does not fix
 * pack2x16float's rounding. Stored as i32 words so no float path can touch the bit patterns.
 *
 * One invocation per output word; no workgroup memory.
 */
export function recurrentWeightsWgsl(opts: {float16: boolean}): string {
  if (!opts.float16) {
    return /* wgsl */ `
fn main(index : i32) {
  let units = uniforms.units;
  let padded = uniforms.paddedUnits;
  if (index < units * padded) {
    let j = index / padded;
    let i = index % padded;
    var v = 0.0;
    if (i < units) {
      v = recurrentWeights[i * units + j];
    }
    result[index] = v;
  }
}
`;
  }
  return /* wgsl */ `
fn sgWeightBits(i : i32, j : i32, units : i32) -> u32 {
  if (i >= units) {
    return 0u;
  }
  return sgF16Bits(recurrentWeights[i * units + j]);
}

fn main(index : i32) {
  let units = uniforms.units;
  let pairs = uniforms.paddedUnits / 2;
  if (index < units * pairs) {
    let j = index / pairs;
    let p = index % pairs;
    let bits = sgWeightBits(2 * p, j, units) | (sgWeightBits(2 * p + 1, j, units) << 16u);
    result[index] = bitcast<i32>(bits);
  }
}
`;
}
