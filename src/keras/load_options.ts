/**
 * Checks `loadKerasModel`'s options where the call enters, with the op's checks: an unknown key is an
 * error naming the nearest known one (a `requestinit` typo used to drop the caller's abort signal and
 * turn an abortable load into a hang), and each option must have its type (`strict: 'false'` was
 * truthy, so strict).
 */
import {checkKnownKeys, keysOf} from '../checks/config_keys.js';
import {checkBoolean, formatValue} from '../checks/arguments.js';
import type {LoadKerasModelOptions} from './loader.js';

/** Every option, listed once; the compiler checks the list against the interface both ways. */
const LOAD_OPTION_KEYS = keysOf<LoadKerasModelOptions>()({
  replaceSimpleRNN: true,
  useFloat32Weights: true,
  checkFiniteWeights: true,
  fetch: true,
  fetchFunc: true,
  requestInit: true,
  allowShardsFrom: true,
  weightPathPrefix: true,
  weightUrlConverter: true,
  onProgress: true,
  strict: true,
  timeoutMs: true,
});

const BOOLEANS = ['replaceSimpleRNN', 'useFloat32Weights', 'checkFiniteWeights', 'strict'] as const;
const FUNCTIONS = ['fetch', 'fetchFunc', 'weightUrlConverter', 'onProgress'] as const;

/** Throws on the first unknown key or ill-typed value of `options`, naming it (`options.<key>`). */
export function checkLoadOptions(options: unknown): asserts options is LoadKerasModelOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new Error(`options must be an object, got ${formatValue(options)}`);
  }
  checkKnownKeys(options, LOAD_OPTION_KEYS, 'options');
  const given = options as Record<string, unknown>;
  for (const name of BOOLEANS) checkBoolean(given[name], `options.${name}`, true);
  for (const name of FUNCTIONS) {
    const value = given[name];
    if (value != null && typeof value !== 'function') {
      throw new Error(`options.${name} must be a function, got ${typeof value}`);
    }
  }
  const init = given['requestInit'];
  if (init != null && (typeof init !== 'object' || Array.isArray(init))) {
    throw new Error(`options.requestInit must be a RequestInit object, got ${formatValue(init)}`);
  }
  const prefix = given['weightPathPrefix'];
  if (prefix != null && typeof prefix !== 'string') {
    throw new Error(`options.weightPathPrefix must be a folder URL (a string), got ${formatValue(prefix)}`);
  }
  const allow = given['allowShardsFrom'];
  if (allow != null && !Array.isArray(allow)) {
    throw new Error(`options.allowShardsFrom must be a list of folder URLs, got ${formatValue(allow)}`);
  }
  const timeout = given['timeoutMs'];
  if (timeout != null && (typeof timeout !== 'number' || !(timeout > 0))) {
    throw new Error(
      `options.timeoutMs must be a number of milliseconds > 0 (Infinity: no limit), got ${formatValue(timeout)}`,
    );
  }
}
