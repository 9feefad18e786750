/**
 * Reads a converter's model.json: parses it and checks its structure before anything else uses it, so
 * a malformed file fails here with a message naming the field, expected vs got, instead of deep inside
 * tfjs (`reading 'reduce'`) or, worse, with a misleading comparison later ("needs [3, 2], the manifest
 * has [3, 2]" for the string dimension "3").
 */
import type {io} from '@tensorflow/tfjs-core';

import {formatValue} from '../checks/arguments.js';

/** What the loader takes from a model.json, checked. */
export interface ModelJsonContents {
  modelTopology: unknown;
  generatedBy: string | undefined;
  /** `weightsManifest`, or [] when the file has none (a model without weights). */
  weightsManifest: io.WeightsManifestConfig;
}

/** The dtypes a manifest entry may declare that a layers model's variables can hold. */
const WEIGHT_DTYPES: readonly string[] = ['float32', 'int32', 'bool', 'complex64'];
/** tfjs' quantized storage types; uint8 and uint16 are affine (`scale`, `min`), float16 is not. */
const QUANTIZED_DTYPES: readonly string[] = ['uint8', 'uint16', 'float16'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Long values (a whole topology) are cut, so the message stays readable. */
function shown(value: unknown): string {
  const text = formatValue(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** `JSON.parse` with an error that says which file failed to parse. */
export function parseModelJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${where} is not valid JSON: ${(e as Error).message}`, {cause: e});
  }
}

function checkQuantization(value: unknown, at: string): void {
  if (!isObject(value)) throw new Error(`${at} must be an object, got ${shown(value)}`);
  const dtype = value['dtype'];
  if (typeof dtype !== 'string' || !QUANTIZED_DTYPES.includes(dtype)) {
    throw new Error(`${at}.dtype must be one of ${QUANTIZED_DTYPES.join(', ')}, got ${shown(dtype)}`);
  }
  if (dtype === 'float16') return;
  for (const key of ['scale', 'min']) {
    if (typeof value[key] !== 'number' || !Number.isFinite(value[key])) {
      throw new Error(
        `${at}.${key} must be a finite number for ${dtype} quantization, got ${shown(value[key])}`,
      );
    }
  }
}

/** Checks one weights manifest entry (`at` names it in errors): string name, integer shape, dtype. */
export function checkWeightEntry(entry: unknown, at: string): void {
  if (!isObject(entry)) throw new Error(`${at} must be {name, shape, dtype}, got ${shown(entry)}`);
  const {name, shape, dtype} = entry;
  if (typeof name !== 'string' || name === '') {
    throw new Error(`${at}.name must be a non-empty string, got ${shown(name)}`);
  }
  const where = `${at} ('${name}')`;
  const isDim = (d: unknown): boolean => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0;
  if (!Array.isArray(shape) || !shape.every(isDim)) {
    throw new Error(`${where}.shape must be a list of integers >= 0, got ${shown(shape)}`);
  }
  if (typeof dtype !== 'string' || !WEIGHT_DTYPES.includes(dtype)) {
    throw new Error(
      `${where}.dtype must be one of ${WEIGHT_DTYPES.join(', ')} (what a layers model's variables hold), got ${shown(dtype)}`,
    );
  }
  if (entry['quantization'] != null) checkQuantization(entry['quantization'], `${where}.quantization`);
}

function checkGroup(group: unknown, at: string): void {
  if (!isObject(group)) throw new Error(`${at} must be {paths: [...], weights: [...]}, got ${shown(group)}`);
  const {paths, weights} = group;
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p !== '')) {
    throw new Error(`${at}.paths must be a list of non-empty strings, got ${shown(paths)}`);
  }
  if (!Array.isArray(weights)) throw new Error(`${at}.weights must be a list, got ${shown(weights)}`);
  weights.forEach((entry, i) => checkWeightEntry(entry, `${at}.weights[${i}]`));
}

/**
 * Checks a parsed model.json (`where` names it in errors, e.g. its URL) and returns what the loader
 * uses. Throws on: a non-object, no `modelTopology`, a `weightsManifest` that is not a list of groups,
 * a group whose `paths` are not strings, and entries without a string name, an integer shape, a dtype
 * a variable can hold, or with a malformed `quantization`.
 */
export function readModelJson(json: unknown, where = 'model.json'): ModelJsonContents {
  if (!isObject(json) || !isObject(json['modelTopology'])) {
    const got = isObject(json) ? `an object with keys ${shown(Object.keys(json))}` : shown(json);
    throw new Error(
      `${where} must be an object with a modelTopology object (a tensorflowjs_converter layers-model), got ${got}`,
    );
  }
  const {modelTopology, weightsManifest} = json;
  const generatedBy = json['generatedBy'] ?? undefined;
  if (generatedBy !== undefined && typeof generatedBy !== 'string') {
    throw new Error(`${where}: generatedBy must be a string, got ${shown(generatedBy)}`);
  }
  if (weightsManifest == null) return {modelTopology, generatedBy, weightsManifest: []};
  if (!Array.isArray(weightsManifest)) {
    throw new Error(`${where}: weightsManifest must be a list of groups, got ${shown(weightsManifest)}`);
  }
  weightsManifest.forEach((group, g) => checkGroup(group, `${where}: weightsManifest[${g}]`));
  return {
    modelTopology,
    generatedBy,
    weightsManifest: weightsManifest as io.WeightsManifestConfig,
  };
}
