/**
 * Checks a converter's manifest against the model (before any shard is read), then the shards against
 * the manifest, then writes them into the model, all or nothing: every check runs before the first
 * variable is written.
 */
import {dispose, io} from '@tensorflow/tfjs-core';
import type {LayersModel, LayerVariable} from '@tensorflow/tfjs-layers';

import {formatShape} from '../checks/arguments.js';
import {isOptimizerWeight} from './saved_paths.js';

/** One manifest group with the bytes of its shards (`buffers[i]` for `paths[i]`). */
export interface LoadedWeightGroup {
  paths: string[];
  weights: io.WeightsManifestEntry[];
  buffers: ArrayBuffer[];
}

/** How Keras' names map onto tfjs' variable names (see `normalizeKerasTopology`). */
interface WeightNaming {
  modelName: string | null;
  weightPrefixes: ReadonlyMap<string, string>;
  /** `.keras` route names (`layers/dense/vars/0`) → variable names (saved_paths.ts). */
  savedPaths?: ReadonlyMap<string, string>;
  /** Names of nested models, whose scope Keras 3 .h5 names carry and tfjs' do not. */
  nestedModels?: ReadonlySet<string>;
}

const BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
  complex64: 8,
};

/** The bytes one manifest entry takes in its shard (quantized entries at their stored width). */
export function specBytes(spec: io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((n, d) => n * d, 1);
  const dtype: string = spec.quantization?.dtype ?? spec.dtype;
  const size = BYTES[dtype];
  if (size == null) {
    throw new Error(`weight '${spec.name}': dtype '${dtype}' cannot be loaded into a layers model`);
  }
  return count * size;
}

/**
 * The tfjs variable names a Keras weight name may stand for, most literal first:
 * - as is;
 * - for the converter's `.keras` route, the variable its path stands for (`layers/dense/vars/0` → `dense/kernel`);
 * - without the model-name prefix Keras 3 may add (`sequential/dense/kernel`), and without nested
 *   models' names (tfjs does not scope a nested model's variables);
 * - with a Keras 3 Bidirectional prefix rewritten (`forward_simple_rnn/...` → `bidirectional/forward_simple_rnn/...`);
 * - each of those without the RNN cell segment (`simple_rnn/simple_rnn_cell/kernel` → `simple_rnn/kernel`),
 *   as tfjs itself does for Keras 2 files.
 */
export function candidateVariableNames(name: string, naming: WeightNaming): string[] {
  const names = [name];
  const saved = naming.savedPaths?.get(name);
  if (saved != null) return [name, saved];
  if (naming.modelName != null && name.startsWith(`${naming.modelName}/`)) {
    names.push(name.slice(naming.modelName.length + 1));
  }
  for (const n of [...names]) {
    const parts = n.split('/');
    let first = 0;
    while (first < parts.length - 1 && naming.nestedModels?.has(parts[first]) === true) first++;
    if (first > 0) names.push(parts.slice(first).join('/'));
  }
  for (const n of [...names]) {
    const [first, ...rest] = n.split('/');
    const prefix = naming.weightPrefixes.get(first);
    if (prefix != null) names.push([prefix, ...rest].join('/'));
  }
  for (const n of [...names]) {
    const parts = n.split('/');
    if (parts.length >= 3) names.push([...parts.slice(0, -2), parts[parts.length - 1]].join('/'));
  }
  return [...new Set(names)];
}

function joinBuffers(buffers: ArrayBuffer[]): ArrayBuffer {
  return io.concatenateArrayBuffers(buffers);
}

/** Finds the first non-finite float32 value of a spec, or -1. */
function firstNonFinite(buffer: ArrayBuffer, offset: number, count: number): number {
  const values = new Float32Array(buffer.slice(offset, offset + count * 4));
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

interface LoadWeightsOptions {
  /** Refuse weights holding NaN or ±Infinity (a corrupt shard, usually). Default true. */
  checkFinite?: boolean;
}

/** Which manifest entry fills which variable: the result of checking the manifest against the model. */
export interface WeightPlan {
  variables: ReadonlyMap<string, LayerVariable>;
  /** Variable name → the manifest entry written into it. */
  assigned: ReadonlyMap<string, io.WeightsManifestEntry>;
  /** Without strict: manifest weights that matched no variable (read, then dropped). */
  unusedWeights: readonly string[];
  /** Without strict: variables no manifest weight fills (left at their initializer's values). */
  unfilledVariables: readonly string[];
  /** The `.keras` route's `optimizer/vars/*` entries: the optimizer's state, not the model's. */
  optimizerWeights: readonly string[];
}

function throwProblems(problems: string[]): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 12);
  const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : '';
  throw new Error(`the weights do not fit the model:\n  ${shown.join('\n  ')}${more}`);
}

/**
 * Checks the manifest against the model before any shard is read: every manifest weight must match
 * one variable with the same shape, and every variable must get a weight (without `strict`, only the
 * weights that match a variable must fit it). Throws listing each mismatch.
 */
export function planKerasWeights(
  model: LayersModel,
  specs: io.WeightsManifestEntry[],
  naming: WeightNaming,
  options: {strict?: boolean} = {},
): WeightPlan {
  const strict = options.strict ?? true;
  const problems: string[] = [];
  const variables = new Map<string, LayerVariable>();
  for (const v of model.weights) variables.set(v.originalName, v);
  const assigned = new Map<string, io.WeightsManifestEntry>();
  const unusedWeights: string[] = [];
  const optimizerWeights: string[] = [];
  for (const spec of specs) {
    const candidates = candidateVariableNames(spec.name, naming);
    const target = candidates.find((n) => variables.has(n));
    if (target == null && isOptimizerWeight(spec.name)) {
      optimizerWeights.push(spec.name);
      continue;
    }
    if (target == null) {
      // tfjs' strict: false skips a weight the model has no place for; the loader says which.
      if (!strict) {
        unusedWeights.push(spec.name);
        continue;
      }
      problems.push(
        `manifest weight '${spec.name}' ${formatShape(spec.shape)} matches no variable of the model (tried ${candidates.join(', ')})`,
      );
      continue;
    }
    if (assigned.has(target)) {
      problems.push(
        `variable '${target}' is given twice, by '${assigned.get(target)!.name}' and '${spec.name}'`,
      );
      continue;
    }
    assigned.set(target, spec);
    const expected = variables.get(target)!.shape;
    const sameShape = expected.length === spec.shape.length && expected.every((d, i) => d === spec.shape[i]);
    if (!sameShape) {
      problems.push(
        `weight '${spec.name}' → variable '${target}': the topology needs ${formatShape(expected)}, the manifest has ${formatShape(spec.shape)}`,
      );
    }
    const dtype = variables.get(target)!.dtype;
    if (spec.dtype !== dtype) {
      problems.push(
        `weight '${spec.name}' → variable '${target}': the variable holds ${dtype}, the manifest says ${spec.dtype}`,
      );
    }
  }
  const unfilledVariables: string[] = [];
  for (const [name, v] of variables) {
    if (assigned.has(name)) continue;
    if (strict) problems.push(`variable '${name}' ${formatShape(v.shape)} has no weight in the manifest`);
    else unfilledVariables.push(name);
  }
  throwProblems(problems);
  return {variables, assigned, unusedWeights, unfilledVariables, optimizerWeights};
}

/**
 * Checks the shards (sizes against the manifest, finite values) and writes every weight of `plan`.
 * Throws, having written nothing, on shards whose sizes do not add up to the manifest and on
 * non-finite values.
 */
export function writeKerasWeights(
  plan: WeightPlan,
  groups: LoadedWeightGroup[],
  options: LoadWeightsOptions = {},
): void {
  const specs: io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  groups.forEach((group, g) => {
    const need = group.weights.reduce((n, spec) => n + specBytes(spec), 0);
    const sizes = group.buffers.map((b) => b.byteLength);
    const got = sizes.reduce((n, s) => n + s, 0);
    if (got !== need) {
      const listing = group.paths.map((p, i) => `${p}: ${sizes[i] ?? 'missing'} bytes`).join(', ');
      throw new Error(
        `weight group ${g + 1}: the manifest's ${group.weights.length} weights need ${need} bytes, but its ` +
          `shards hold ${got} (${listing}); a shard is ${got < need ? 'truncated' : 'corrupt or from another model'}`,
      );
    }
    specs.push(...group.weights);
    buffers.push(...group.buffers);
  });
  const data = joinBuffers(buffers);

  if (options.checkFinite ?? true) {
    const problems: string[] = [];
    let offset = 0;
    for (const spec of specs) {
      const bytes = specBytes(spec);
      if (spec.dtype === 'float32' && spec.quantization == null) {
        const at = firstNonFinite(data, offset, bytes / 4);
        if (at >= 0) {
          problems.push(
            `weight '${spec.name}' holds a non-finite value at flat index ${at}: the shard is corrupt`,
          );
        }
      }
      offset += bytes;
    }
    throwProblems(problems);
  }

  const decoded = io.decodeWeights(data, specs);
  try {
    for (const [name, spec] of plan.assigned) plan.variables.get(name)!.write(decoded[spec.name]);
  } finally {
    dispose(Object.values(decoded));
  }
}
