/**
 * Checks `loadKerasModel`'s options where the call enters, with the op's checks: an unknown key is an
 * error naming the nearest known one (a `requestinit` typo used to drop the caller's abort signal and
 * turn an abortable load into a hang), and each option must have its type (`strict: 'false'` was
 * truthy, so strict).
 */
import {checkKnownKeys, keysOf} from '../checks/config_keys.js';
import {checkBoolean, formatValue} from '../checks/arguments.js';

/**
 * Options of `loadKerasModel`. Besides its own, it takes `tf.loadLayersModel`'s load options
 * (`requestInit`, `onProgress`, `fetchFunc`, `weightPathPrefix`, `weightUrlConverter`, `strict`), with
 * the loader's guarantees kept: shards come only from model.json's folder or a folder the caller
 * names, and the caller's headers go to model.json's origin only.
 */
export interface LoadKerasModelOptions {
  /** Build SimpleRNN layers as SingleGateSimpleRNN. Default true; false builds stock tfjs layers. */
  replaceSimpleRNN?: boolean;
  /**
   * Default true: W and U in float32, so outputs match Keras. false: float16 precision (MPS' default),
   * about 1e-3 relative error.
   */
  useFloat32Weights?: boolean;
  /** Refuse weights holding NaN or ±Infinity. Default true. */
  checkFiniteWeights?: boolean;
  /** `fetch` for URL sources. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** tfjs' name for `fetch` (as `tf.loadLayersModel` calls it): give one or the other, not two functions. */
  fetchFunc?: typeof fetch;
  /**
   * Passed to the fetches of a URL source that go to model.json's origin. Requests to any other
   * origin (shards allowed by `allowShardsFrom`, redirects) get neither its headers nor its
   * credentials.
   */
  requestInit?: RequestInit;
  /**
   * URL source only: folders, besides the model's own, that the manifest's shard paths may point
   * into, e.g. `['https://cdn.example.com/weights/']` (relative URLs resolve against model.json's; a
   * trailing '/' is implied). By default every shard must lie in model.json's folder: a path to another
   * origin, a `data:` URL, an absolute path elsewhere or `..` above the folder is an error.
   */
  allowShardsFrom?: readonly string[];
  /**
   * URL source only: the folder the manifest's paths resolve against instead of model.json's (an http(s)
   * URL, relative ones against model.json's; a trailing '/' is implied). Shards may lie in it; on
   * another origin they are fetched without `requestInit`'s headers and credentials.
   */
  weightPathPrefix?: string;
  /**
   * URL source only: gives the URL to fetch for each manifest path (relative results resolve against
   * model.json's URL). The URL must lie in an allowed folder, as a manifest path must: model.json's,
   * `weightPathPrefix` or one of `allowShardsFrom`.
   */
  weightUrlConverter?: (weightFileName: string) => Promise<string>;
  /**
   * Called with the fraction of the weight shards read so far (each shard once, ending with 1); an
   * IOHandler source reads its shards itself, so it is called once, with 1, when the handler is done.
   */
  onProgress?: (fraction: number) => void;
  /**
   * Default true: every manifest weight must fill a variable of the model and every variable must get
   * a weight. false (as `tf.loadLayersModel`'s `strict: false`): a manifest weight that matches no
   * variable is skipped, and a variable without a weight keeps its initializer's value; both are
   * named in one console warning, also kept in the returned model's `loadWarnings`. Shapes must
   * match either way. The `.keras` route's optimizer state (`optimizer/vars/*`) is skipped either way.
   */
  strict?: boolean;
  /**
   * URL source only: milliseconds a request may go without receiving data (no response yet, or no
   * next chunk of its body) before it is stopped with an error naming the URL. Default 60000;
   * `Infinity` waits forever. A caller's `requestInit.signal` still aborts at any time.
   */
  timeoutMs?: number;
}

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
