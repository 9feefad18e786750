/**
 * The keys a config object may hold: refusing unknown ones (a typo would otherwise be ignored and
 * the field take its default, changing results without a word), and restoring the keys tfjs'
 * serialization does not round-trip.
 */
import type {serialization} from '@tensorflow/tfjs-core';

import {formatValue} from './arguments.js';

/**
 * The keys of `T`, listed once and checked by the compiler both ways: `keysOf<T>()({...})` fails to
 * compile when a key of T is missing or an extra one is given.
 */
export function keysOf<T>(): (keys: {[K in keyof Required<T>]: true}) => readonly string[] {
  return (keys) => Object.keys(keys);
}

/** Levenshtein distance, case-insensitive: 'A' is a typo of 'a'. */
function editDistance(a: string, b: string): number {
  const [s, t] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({length: t.length + 1}, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, substitution));
    }
    previous = row;
  }
  return previous[t.length];
}

/**
 * The valid key a typo most likely meant: the nearest by edit distance, if it is near enough to be a
 * slip (at most a third of its length, and at least 2, apart), or one the key abbreviates
 * ('bias' for 'biasTerms').
 */
export function nearestKey(key: string, valid: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of valid) {
    const distance = editDistance(key, candidate);
    const near = distance <= Math.max(2, Math.floor(candidate.length / 3));
    const abbreviates = key.length >= 3 && candidate.toLowerCase().startsWith(key.toLowerCase());
    if ((near || abbreviates) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Throws on the first key of `value` that is not in `valid`, naming it and the nearest valid key.
 * `argName` is the object's path in errors ('descriptor.inputWeights'). Values that are not plain
 * objects are left to the caller's own checks.
 */
export function checkKnownKeys(value: unknown, valid: readonly string[], argName: string): void {
  if (value == null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (valid.includes(key)) continue;
    const nearest = nearestKey(key, valid);
    const hint = nearest == null ? '' : ` (did you mean '${nearest}'?)`;
    const keys =
      valid.length === 0 ? 'it takes none' : `its keys are ${valid.map((k) => `'${k}'`).join(', ')}`;
    throw new Error(`${argName} has an unknown key '${key}'${hint}; ${keys}`);
  }
}

/**
 * A saved layer config as the layer's constructor takes it. tfjs' deserializer adds `customObjects`
 * to every config it passes to `fromConfig` (dropped here: these layers use none). And tfjs saves
 * configs with snake_case keys and reads them back in camelCase, which does not round-trip a key with
 * a digit before a capital: `useFloat32Weights` is saved as `use_float32weights` and read back as
 * `useFloat32weights`; such keys are renamed back to what the layers declare.
 */
export function savedConfigToArgs(config: serialization.ConfigDict): serialization.ConfigDict {
  const {useFloat32weights, customObjects: _tfjsCustomObjects, ...rest} = config;
  if (useFloat32weights !== undefined && rest.useFloat32Weights === undefined) {
    rest.useFloat32Weights = useFloat32weights;
  }
  return rest;
}

/**
 * A nested config object (a layer's `inputWeights`, `recurrentWeights`): a plain object with known
 * keys, or null where null means "none". A saved config holding `input_weights: 5` used to pass as
 * "no keys", dropping the neuron it should have carried.
 */
export function checkNestedConfig(value: unknown, valid: readonly string[], argName: string): void {
  if (value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${argName} must be an object or null, got ${formatValue(value)}`);
  }
  checkKnownKeys(value, valid, argName);
}
