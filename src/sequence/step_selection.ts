/**
 * Selecting whole steps of a sequence: a [batch, time, 1] condition against [batch, time, n] values.
 *
 * tfjs' `where` tiles every smaller operand to the result's shape first, and a backend that forwards
 * small host-side inputs to the CPU (webgpu, webgl) does that tile there, element by element, whenever
 * the operand's data has not reached the device yet: a scalar 0 always, a condition made from numbers
 * or from a small host-side mask. On an H200 the benchmark's ragged row, (32, 200, 128, 128), took
 * 40.1 ms from call to data that way and 3.1 ms without, for 0.2 ms of GPU time. Here every operand is
 * made at the full shape by ops that broadcast where the values live instead. (Not through a cast of
 * the condition to float32: webgpu casts bool to float32 by relabelling the data, so a true would
 * read as a denormal.)
 */
import {equal, logicalAnd, Tensor, zerosLike} from '@tensorflow/tfjs-core';

interface StepSelection {
  /** `valid` broadcast to the values' shape. */
  inside: Tensor;
  /** Zeros of the values' shape and dtype. */
  zeros: Tensor;
}

/** The condition `valid` ([batch, time, 1] bool) at the shape of `like` ([batch, time, n]), and zeros. */
export function selectSteps(valid: Tensor, like: Tensor): StepSelection {
  const zeros = zerosLike(like);
  return {inside: logicalAnd(valid, equal(zeros, zeros)), zeros};
}
