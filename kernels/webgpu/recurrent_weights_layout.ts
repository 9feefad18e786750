/**
 * The layout of U that the recurrence reads, in one place: the program that prepares U, the plan and
 * the shaders all derive their sizes from it.
 *
 * Units are grouped in fours ("quads"): the invocation owning units 4q..4q+3 reads, for each input j,
 * one word at [j][q]. float32: a vec4<f32> word, rows of `paddedUnits` floats. float16: four halves
 * packed in a vec2<i32> word, rows of `paddedUnits / 2` int32 elements.
 */
export interface RecurrentWeightsLayout {
  /** Groups of four units: ceil(units / 4). */
  readonly quads: number;
  /** units rounded up to a multiple of 4; the padding holds zero weights. */
  readonly paddedUnits: number;
  /** The prepared buffer: [units, paddedUnits] float32, or [units, paddedUnits / 2] int32 pairs. */
  readonly shape: readonly [number, number];
  readonly dtype: 'float32' | 'int32';
  /** Components per word as the recurrence binds it (vec4<f32> or vec2<i32>). */
  readonly wordComponents: 4 | 2;
}

export function recurrentWeightsLayout(units: number, float16: boolean): RecurrentWeightsLayout {
  const quads = Math.ceil(units / 4);
  const paddedUnits = 4 * quads;
  return {
    quads,
    paddedUnits,
    shape: [units, float16 ? paddedUnits / 2 : paddedUnits],
    dtype: float16 ? 'int32' : 'float32',
    wordComponents: float16 ? 2 : 4,
  };
}
