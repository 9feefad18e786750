/**
 * `warmUp`: runs a model once on zeros so that the first real call does not pay for compiling.
 *
 * On webgpu a kernel's pipeline is compiled the first time it runs with a given program key, which
 * holds the input shapes; a model's first prediction therefore compiles every pipeline it needs,
 * which on some drivers takes hundreds of milliseconds and freezes a page. A prediction with the shapes
 * of the real calls compiles exactly those pipelines, so a warm-up with the same shapes leaves nothing
 * to compile. On cpu it costs one prediction and saves little.
 */
import {dispose, Tensor, zeros} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';

/** What the warm-up cost. */
export interface WarmUpResult {
  /** Wall time of the warm-up prediction, from the call to its outputs' data on the host. */
  ms: number;
}

function checkShape(shape: unknown, what: string, expectedRank: number | null): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw new Error(
      `${what} must be a list of positive integers (batch included), got ${JSON.stringify(shape)}`,
    );
  }
  if (expectedRank != null && shape.length !== expectedRank) {
    throw new Error(
      `${what} must have the rank of the model's input (${expectedRank}), got [${shape.join(', ')}] (rank ${shape.length})`,
    );
  }
  return shape as number[];
}

/**
 * Compiles every pipeline `model` needs for inputs of `inputShape` (batch included: the shapes of the
 * calls to come), by one prediction on zeros whose outputs are read and disposed. For a model with
 * several inputs, give one shape per input.
 *
 * @example
 * const model = await loadKerasModel(url);
 * await warmUp(model, [1, 100, 8]); // the first model.predict of a [1, 100, 8] input no longer compiles
 */
export async function warmUp(model: LayersModel, inputShape: number[] | number[][]): Promise<WarmUpResult> {
  const inputs = model.inputs;
  const shapes: unknown[] =
    inputShape.length > 0 && inputShape.every((d) => Array.isArray(d)) ? inputShape : [inputShape];
  if (shapes.length !== inputs.length) {
    throw new Error(
      `inputShape must give one shape per model input: the model has ${inputs.length}, got ${shapes.length}`,
    );
  }
  const checked = shapes.map((shape, i) =>
    checkShape(shape, inputs.length > 1 ? `inputShape[${i}]` : 'inputShape', inputs[i].shape.length),
  );
  const start = performance.now();
  const x = checked.map((shape, i) => zeros(shape, inputs[i].dtype));
  try {
    const y = model.predict(x.length === 1 ? x[0] : x);
    const outputs: Tensor[] = Array.isArray(y) ? y : [y];
    try {
      await Promise.all(outputs.map((t) => t.data()));
    } finally {
      dispose(outputs);
    }
  } finally {
    dispose(x);
  }
  return {ms: performance.now() - start};
}
