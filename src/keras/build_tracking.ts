/**
 * What building a model from its topology leaves behind. tfjs creates each layer's variables as it
 * builds the layer, and neither a build that fails half-way (the 3001st layer of a model throws: 3000
 * layers' weights stay) nor a layer that ends up outside the model (built, but no output depends on
 * it) is ever disposed: nothing holds those layers. The variables tfjs registers while the build runs
 * are noted, and those the finished model does not hold are disposed.
 */
import {engine} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';

/** The variables a build made, and how to dispose those nothing will use. */
interface BuildTracking {
  /** A failed build: disposes every variable it made. */
  disposeAll(): void;
  /** A finished build: disposes the variables it made that `model` does not hold. */
  disposeStrays(model: LayersModel): void;
}

/**
 * Runs `build`, which must create its layers synchronously (tfjs' `modelFromJSON` deserializes before
 * its first await): the variables registered during the call are this build's, not those of another
 * load running at the same time.
 */
export function trackBuild<T>(build: () => T): {result: T; tracking: BuildTracking} {
  const before = new Set(Object.keys(engine().registeredVariables));
  const result = build();
  const made = Object.entries(engine().registeredVariables).filter(([name]) => !before.has(name));
  const dispose = (keep: ReadonlySet<string>): void => {
    for (const [name, variable] of made) {
      if (!keep.has(name) && !variable.isDisposed) variable.dispose();
    }
  };
  return {
    result,
    tracking: {
      disposeAll: () => dispose(new Set()),
      disposeStrays: (model) => dispose(new Set(model.weights.map((w) => w.name))),
    },
  };
}

/** What went wrong in a build, never empty: tfjs throws some errors without a message. */
export function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== '') return error.message;
  const frame = error.stack?.split('\n').find((line) => /^\s+at /.test(line));
  return `${error.name} without a message${frame == null ? '' : ` (${frame.trim()})`}`;
}
