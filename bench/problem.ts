/**
 * The inputs and weights every benchmark draws for a shape, from one seed per shape, so that runs and
 * runners measure the same problem: x in [-1, 1], W scaled by 1/√inputs, U by 0.9/√units (a state
 * that neither dies out nor saturates at once), b in [-0.5, 0.5].
 */
import {Random} from '../test/util/random.js';

/** The seeded generator of a shape; `salt` tells apart problems of one shape (e.g. bidirectional). */
export function shapeRandom(batch: number, time: number, inputs: number, units: number, salt = 0): Random {
  return new Random(batch * 1000003 + time * 1009 + inputs * 31 + units + salt);
}

/** Uniform values in [-scale, scale] from `random`. */
export function uniform(random: Random, n: number, scale: number): Float32Array {
  return random.floats(n, -scale, scale);
}

/** One direction's weights for `units` units over `inputs` inputs, drawn in the order W, U, b. */
export function directionWeights(
  random: Random,
  inputs: number,
  units: number,
): {w: Float32Array; u: Float32Array; b: Float32Array} {
  return {
    w: uniform(random, units * inputs, 1 / Math.sqrt(inputs)),
    u: uniform(random, units * units, 0.9 / Math.sqrt(units)),
    b: uniform(random, units, 0.5),
  };
}

/** A shape's x `[batch, time, inputs]` then its weights, drawn in that order. */
export function problemArrays(
  batch: number,
  time: number,
  inputs: number,
  units: number,
): {x: Float32Array; w: Float32Array; u: Float32Array; b: Float32Array} {
  const random = shapeRandom(batch, time, inputs, units);
  const x = uniform(random, batch * time * inputs, 1);
  return {x, ...directionWeights(random, inputs, units)};
}
