/**
 * "flat4" textures: a flat array held four values to a texel (RGBA), texel k holding values 4k to
 * 4k + 3, so a loop over consecutive values reads a quarter of the texels it reads from a
 * one-value-per-texel texture (on a software renderer every texel fetch costs). tfjs has no such
 * layout by name, but its packed layout (2x2 blocks of a 2D shape, blocks in row-major order) is this
 * one for the logical shape [2 * ceil(n / 4), 2]: the block of rows 2k, 2k + 1 holds flat values
 * 4k..4k + 3 in order. So a program with `packedOutput` and that shape writes flat4, the backend
 * allocates, reuses and frees the texture as any other, and a program with `packedInputs` gets the
 * texture as it is.
 *
 * For a packed input the backend declares `ivec2 <name>TexShape`: twice the texture's size in texels
 * ([rows, columns]), whether or not it squarified the shape; texels are laid out row by row.
 */

/** The logical shape of a flat4 tensor of `n` values (see above). */
export function flat4Shape(n: number): [number, number] {
  return [2 * Math.ceil(n / 4), 2];
}

export const FLAT4_GLSL = /* glsl */ `
// Where texel k of a flat4 texture is.
ivec2 sgTexel4(ivec2 texShape, int k) {
  int width = texShape[1] / 2;
  int row = k / width;
  return ivec2(k - row * width, row);
}

// The texel after p: loops walk a texture by this instead of dividing per read.
ivec2 sgNext4(ivec2 texShape, ivec2 p) {
  p.x++;
  if (p.x == texShape[1] / 2) {
    p.x = 0;
    p.y++;
  }
  return p;
}
`;

/** GLSL: the texel (vec4) of flat4 input `name` at position `at` (an ivec2 from sgTexel4/sgNext4). */
export function texel4(name: string, at: string): string {
  return `texelFetch(${name}, ${at}, 0)`;
}

/** GLSL: the position of texel `k` of flat4 input `name`. */
export function position4(name: string, k: string): string {
  return `sgTexel4(${name}TexShape, ${k})`;
}

/** GLSL: the position after `at` in flat4 input `name`. */
export function next4(name: string, at: string): string {
  return `sgNext4(${name}TexShape, ${at})`;
}

/** GLSL: value `index` of flat4 input `name`. */
export function fetchFlat4(name: string, index: string): string {
  return `texelFetch(${name}, sgTexel4(${name}TexShape, (${index}) / 4), 0)[(${index}) % 4]`;
}
