/**
 * A model given by the URL of its model.json: where its shards may come from, and which requests
 * carry the caller's `requestInit`.
 *
 * A manifest is data from the server, not code the caller wrote, so its paths are confined the way
 * `tf.loadLayersModel` confines them (tfjs puts every path under the model's folder): each path
 * resolves against the model.json URL and must land inside the model's folder. Another origin
 * (`http://other-host/x.bin`, `//other-host/x.bin`), another scheme (`data:`, `blob:`), an absolute
 * path elsewhere on the host (`/etc/passwd`) and `..` above the folder are refused, before any shard
 * is fetched, unless the URL falls inside a folder the caller lists in `allowShardsFrom`. The caller's
 * `weightPathPrefix` moves the base paths resolve against (and is itself an allowed folder); a URL from
 * the caller's `weightUrlConverter` is checked the same way as a manifest path, since it is usually
 * built from one.
 *
 * The caller's headers and credentials are meant for the model's server: they go to the model's origin
 * only. A shard on another origin (allowed by `allowShardsFrom`) is fetched with no headers and
 * `credentials: 'omit'`, and a redirect is never followed with the caller's headers to another origin.
 */
import {allowedFolders, folderOption, inFolder, isHttp, sameServer} from './url_folders.js';
import {byteBudget, messageWithCause, readBoundedBody, stallGuard, type ByteBudget} from './bounded_body.js';
import {parseModelJson, readModelJson, ModelJsonContents} from './model_json.js';
import {specBytes, type LoadedWeightGroup} from './weights_loader.js';

interface UrlSourceOptions {
  /** `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** For the requests to the model's origin; other origins get no headers and no credentials. */
  requestInit?: RequestInit;
  /** Folders (URLs, relative ones resolved against model.json's) besides the model's own. */
  allowShardsFrom?: readonly string[];
  /** The folder manifest paths resolve against instead of model.json's; shards may lie in it. */
  weightPathPrefix?: string;
  /** Maps a manifest path to the URL to fetch; its result is checked like a manifest path. */
  weightUrlConverter?: (weightFileName: string) => Promise<string>;
  /** Milliseconds a request may go without data (see `LoadKerasModelOptions.timeoutMs`). */
  timeoutMs?: number;
}

/** The most redirects followed by hand (as fetch itself allows). */
const MAX_REDIRECTS = 20;

/** Request fields that hold nothing the caller would not show another origin. */
type NeutralInit = Pick<RequestInit, 'cache' | 'mode' | 'redirect' | 'referrerPolicy' | 'signal'>;

function neutralInit(init: RequestInit): RequestInit {
  const {cache, mode, redirect, referrerPolicy, signal}: NeutralInit = init;
  return {cache, mode, redirect, referrerPolicy, signal, credentials: 'omit'};
}

function hasHeaders(init: RequestInit): boolean {
  let count = 0;
  if (init.headers != null) new Headers(init.headers).forEach(() => count++);
  return count > 0;
}

/**
 * Resolves every manifest path (against `weightPathPrefix` when given, else `modelUrl`; or through
 * `weightUrlConverter`) and checks it lies in an allowed folder: model.json's, the prefix's, or one of
 * `allowShardsFrom`. Throws naming the first path that does not, before anything is fetched.
 */
export async function resolveShardUrls(
  modelUrl: URL,
  manifest: ModelJsonContents['weightsManifest'],
  options: Pick<UrlSourceOptions, 'allowShardsFrom' | 'weightPathPrefix' | 'weightUrlConverter'>,
): Promise<URL[][]> {
  const {weightPathPrefix, weightUrlConverter} = options;
  const prefix =
    weightPathPrefix == null ? null : folderOption(weightPathPrefix, 'options.weightPathPrefix', modelUrl);
  if (weightUrlConverter != null && typeof weightUrlConverter !== 'function') {
    throw new Error(`options.weightUrlConverter must be a function, got ${typeof weightUrlConverter}`);
  }
  const folders = allowedFolders(modelUrl, options.allowShardsFrom, prefix);
  const resolved: URL[][] = [];
  for (const [g, group] of manifest.entries()) {
    const urls: URL[] = [];
    for (const [i, path] of group.paths.entries()) {
      let url: URL;
      let source = `weightsManifest[${g}].paths[${i}] '${path}'`;
      if (weightUrlConverter != null) {
        const converted: unknown = await weightUrlConverter(path);
        if (typeof converted !== 'string') {
          throw new Error(
            `options.weightUrlConverter('${path}') must give a URL string, got ${typeof converted}`,
          );
        }
        source = `${source}, which options.weightUrlConverter turned into '${converted}',`;
        url = new URL(converted, modelUrl);
      } else {
        url = new URL(path, prefix ?? modelUrl);
        // A signed model URL (model.json?token=...): its shards on the same server need the same
        // query, as tf.loadLayersModel sends it; another origin must not see the token.
        if (url.search === '' && sameServer(url, modelUrl)) url.search = modelUrl.search;
      }
      if (!folders.some((folder) => inFolder(url, folder))) {
        const others = folders.slice(1).map((f) => f.href);
        const extra = others.length > 0 ? ` or in ${others.join(', ')} (options)` : '';
        throw new Error(
          `model.json ${modelUrl.href}: ${source} resolves to ${url.href}, ` +
            `outside the model's folder ${folders[0].href}${extra}; shards must lie in the model's folder ` +
            `unless options.allowShardsFrom (or options.weightPathPrefix) says where else they may come from`,
        );
      }
      urls.push(url);
    }
    resolved.push(urls);
  }
  return resolved;
}

/** The most bytes a model.json may take: a topology of thousands of layers is a few megabytes. */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;
/** The default of `timeoutMs`: a minute without a byte is a stalled connection, not a slow one. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Fetches for one model: the caller's requestInit goes to the model's origin only. */
export class ModelFetcher {
  private readonly fetchFn: typeof fetch;
  private readonly init: RequestInit;
  private readonly timeoutMs: number;
  /** Where a shard, or a redirect on the way to one, may lead. */
  private readonly folders: URL[];

  constructor(
    readonly modelUrl: URL,
    options: UrlSourceOptions,
  ) {
    if (!isHttp(modelUrl)) {
      const scheme = modelUrl.protocol;
      const storage = /^(indexeddb|localstorage):$/i.test(scheme)
        ? ` No tfjs IOHandler is registered for ${scheme}// here: tfjs registers it in browsers, where ` +
          `${scheme === 'indexeddb:' ? 'IndexedDB' : 'localStorage'} exists (not in Node.js).`
        : '';
      throw new Error(
        `the model URL '${modelUrl.href.slice(0, 200)}' is a ${scheme} URL; loadKerasModel fetches model.json ` +
          `over http(s) only (or reads a tfjs storage URL such as indexeddb://name where tfjs handles it).${storage}`,
      );
    }
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.init = options.requestInit ?? {};
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const prefix =
      options.weightPathPrefix == null
        ? null
        : folderOption(options.weightPathPrefix, 'options.weightPathPrefix', modelUrl);
    this.folders = allowedFolders(modelUrl, options.allowShardsFrom, prefix);
  }

  private initFor(url: URL, signal: AbortSignal | undefined): RequestInit {
    const init = sameServer(url, this.modelUrl) ? this.init : neutralInit(this.init);
    // fetch follows a redirect with every header but Authorization, to any origin: with headers to
    // protect, redirects are taken one at a time below (an explicit redirect: 'error' stays).
    const manual = init === this.init && hasHeaders(this.init) && this.init.redirect !== 'error';
    return {...init, signal, ...(manual ? {redirect: 'manual'} : {})};
  }

  /**
   * Where a redirect (or fetch's own redirects, ending at `to`) may lead: http(s) only, and for a
   * shard (`confined`) into a folder a manifest path may name, as the manifest's own paths are.
   */
  private checkRedirect(from: URL, to: URL, what: string, confined: boolean): void {
    const refuse = (why: string): Error =>
      new Error(`fetching ${what} ${from.href}: the server redirects to ${to.href.slice(0, 200)}, ${why}`);
    if (!isHttp(to)) throw refuse('which is not an http(s) URL; redirects are followed to http(s) only');
    if (confined && !this.folders.some((folder) => inFolder(to, folder))) {
      throw refuse(
        `outside the model's folder ${this.folders[0].href}${this.folders.length > 1 ? ' and the folders the options allow' : ''}; ` +
          'a redirect must stay where a manifest path may point (options.allowShardsFrom can list its folder)',
      );
    }
  }

  /** GET `target` and read its body within `budget`, following redirects as the rules above allow. */
  async download(target: URL, what: string, confined: boolean, budget: ByteBudget): Promise<ArrayBuffer> {
    const guard = stallGuard(this.timeoutMs, this.init.signal);
    let url = target;
    try {
      for (let hops = 0; ; hops++) {
        const init = this.initFor(url, guard.signal);
        const response = await this.fetchFn(url.href, init);
        guard.progress();
        if (init.redirect === 'manual') {
          if (response.type === 'opaqueredirect') {
            // Browsers hide where a manual redirect goes, so it cannot be checked: refuse it.
            throw new Error(
              `fetching ${what} ${url.href}: the server redirects, and a redirect is not followed with ` +
                `requestInit.headers (they could reach another origin); use the final URL`,
            );
          }
          const location = response.headers.get('location');
          if (response.status >= 300 && response.status < 400 && location != null) {
            if (hops >= MAX_REDIRECTS) throw new Error(`fetching ${what} ${target.href}: too many redirects`);
            const next = new URL(location, url);
            this.checkRedirect(url, next, what, confined);
            url = next;
            continue;
          }
        } else if (response.redirected && response.url !== '') {
          this.checkRedirect(url, new URL(response.url), what, confined);
        }
        if (!response.ok) throw new Error(`fetching ${what} ${url.href} failed: HTTP ${response.status}`);
        return await readBoundedBody(response, budget, guard);
      }
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('fetching ')) throw e;
      // fetch's own errors ("fetch failed", an abort) do not say which URL.
      const reason: unknown = guard.signal?.aborted === true ? guard.signal.reason : e;
      throw new Error(`fetching ${what} ${url.href}: ${messageWithCause(reason)}`, {cause: e});
    } finally {
      guard.done();
    }
  }

  /** model.json, parsed and checked. */
  async modelJson(): Promise<ModelJsonContents> {
    const where = `model.json ${this.modelUrl.href}`;
    const budget = byteBudget(
      MAX_MODEL_JSON_BYTES,
      (used) => `${where} passed ${MAX_MODEL_JSON_BYTES} bytes (at ${used}), far more than a topology takes`,
    );
    const body = await this.download(this.modelUrl, 'model.json', false, budget);
    return readModelJson(parseModelJson(new TextDecoder().decode(body), where), where);
  }

  /**
   * Every group's shards (`urls[g][i]` for `manifest[g].paths[i]`), each group's downloads together
   * stopped once they pass the bytes its weights need. `onShard` is called as each shard completes.
   */
  shards(
    manifest: ModelJsonContents['weightsManifest'],
    urls: URL[][],
    onShard: () => void,
  ): Promise<LoadedWeightGroup[]> {
    return Promise.all(
      manifest.map(async ({paths, weights}, g) => {
        const need = weights.reduce((n, spec) => n + specBytes(spec), 0);
        const budget = byteBudget(
          need,
          (used) =>
            `the shards of weight group ${g + 1} passed the ${need} bytes its ${weights.length} weights need ` +
            `(at ${used} bytes, reading stopped); a shard is corrupt or from another model`,
        );
        const buffers = await Promise.all(
          urls[g].map(async (url) => {
            const data = await this.download(url, 'weight shard', true, budget);
            onShard();
            return data;
          }),
        );
        return {paths, weights, buffers};
      }),
    );
  }
}
