/**
 * finalState[b, :] = output[b, tLast, :]: a copy, because a program writes a single output buffer and
 * the recurrence's is `output`. One invocation per element.
 */
export const FINAL_STATE_WGSL = /* wgsl */ `
fn main(index : i32) {
  let units = uniforms.units;
  if (index < uniforms.batch * units) {
    let b = index / units;
    let i = index % units;
    result[index] = sequenceOutput[(b * uniforms.time + uniforms.lastTime) * units + i];
  }
}
`;
