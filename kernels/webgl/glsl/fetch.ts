/**
 * Reading inputs by flat index with texelFetch. The backend's generated samplers (getX(index)) turn
 * the index into normalized texture coordinates and sample through the filtering path, which a
 * software renderer (SwiftShader, llvmpipe) pays for on every read; the inner loops here read by
 * integer texel instead, and walk a row of the texture rather than dividing per read.
 *
 * The backend declares, for an input `x` of an unpacked program with shape uniforms, `sampler2D x`,
 * `ivec2 xTexShape` ([rows, columns]) and `int offsetx` (where a zero-copy slice starts). The kernel
 * uploads every input before running (FlatInputs), so none is passed as a uniform array instead.
 */
export const FETCH_GLSL = /* glsl */ `
float sgFetch(sampler2D s, ivec2 texShape, int index) {
  int row = index / texShape[1];
  return texelFetch(s, ivec2(index - row * texShape[1], row), 0).r;
}

// sum over k < count of a[aStart + k] * b[bStart + k], in order.
float sgDot(sampler2D a, ivec2 aShape, int aStart, sampler2D b, ivec2 bShape, int bStart, int count) {
  int aRow = aStart / aShape[1];
  int aCol = aStart - aRow * aShape[1];
  int bRow = bStart / bShape[1];
  int bCol = bStart - bRow * bShape[1];
  float acc = 0.0;
  for (int k = 0; k < count; k++) {
    acc += texelFetch(a, ivec2(aCol, aRow), 0).r * texelFetch(b, ivec2(bCol, bRow), 0).r;
    aCol++;
    if (aCol == aShape[1]) {
      aCol = 0;
      aRow++;
    }
    bCol++;
    if (bCol == bShape[1]) {
      bCol = 0;
      bRow++;
    }
  }
  return acc;
}
`;

/** GLSL reading input `name` at flat `index`. */
export function fetch(name: string, index: string): string {
  return `sgFetch(${name}, ${name}TexShape, ${index} + offset${name})`;
}

/** GLSL for the dot product of `count` consecutive values of inputs `a` and `b` from the given starts. */
export function dot(a: string, aStart: string, b: string, bStart: string, count: string): string {
  return `sgDot(${a}, ${a}TexShape, ${aStart} + offset${a}, ${b}, ${b}TexShape, ${bStart} + offset${b}, ${count})`;
}
