/**
 * Joins two buffers of `rows` chunks each into one whose row r holds chunk r of the first, then chunk
 * r of the second: the bidirectional kernel's layout (see wgsl/recurrence/common.ts). An absent
 * buffer reads as zeros. One invocation per element of the result.
 */
export function joinDirectionsWgsl(o: {
  hasFirst: boolean;
  hasSecond: boolean;
  dtype: 'float32' | 'int32';
}): string {
  return /* wgsl */ `
fn main(index : i32) {
  let chunk = uniforms.chunk;
  if (index < 2 * uniforms.rows * chunk) {
    let r = index / (2 * chunk);
    let d = (index / chunk) % 2;
    let at = r * chunk + index % chunk;
    var v = ${o.dtype === 'int32' ? '0' : '0.0'};
    if (d == 0) {
      ${o.hasFirst ? 'v = first[at];' : ''}
    } else {
      ${o.hasSecond ? 'v = second[at];' : ''}
    }
    result[index] = v;
  }
}
`;
}
