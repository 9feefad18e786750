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
import {parseModelJson, readModelJson, ModelJsonContents} from './model_json.js';

export interface UrlSourceOptions {
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

/** A folder URL: `base` up to and including its last '/', no query or fragment. */
function folderOf(url: URL): URL {
  return new URL('./', url);
}

/** Same scheme, host, port and user info: what fetch would treat as the same server. */
function sameServer(a: URL, b: URL): boolean {
  return (
    a.protocol === b.protocol && a.host === b.host && a.username === b.username && a.password === b.password
  );
}

/** Whether `url` lies in `folder`; `%2F` / `%5C` are refused, as a server may decode them into a `..`. */
function inFolder(url: URL, folder: URL): boolean {
  return (
    sameServer(url, folder) &&
    url.pathname.startsWith(folder.pathname) &&
    !/%2f|%5c/i.test(url.pathname.slice(folder.pathname.length))
  );
}

/**
 * A caller-given folder URL: relative ones resolve against model.json's, only http(s), and a trailing
 * '/' implied ('https://cdn.example.com/weights' means the folder: '/weightsX/' must not pass as inside it).
 */
function folderOption(entry: unknown, what: string, modelUrl: URL): URL {
  if (typeof entry !== 'string')
    throw new Error(`${what} must be a folder URL (a string), got ${typeof entry}`);
  const url = new URL(entry, modelUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${what} must be an http(s) URL, got '${entry}' (${url.href})`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

function allowedFolders(modelUrl: URL, allow: readonly string[] | undefined, prefix: URL | null): URL[] {
  const folders = [folderOf(modelUrl)];
  if (prefix != null) folders.push(prefix);
  if (allow == null) return folders;
  if (!Array.isArray(allow)) {
    throw new Error(`options.allowShardsFrom must be a list of folder URLs, got ${typeof allow}`);
  }
  allow.forEach((entry: unknown, i) =>
    folders.push(folderOption(entry, `options.allowShardsFrom[${i}]`, modelUrl)),
  );
  return folders;
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

/** Fetches for one model: the caller's requestInit goes to the model's origin only. */
export class ModelFetcher {
  private readonly fetchFn: typeof fetch;
  private readonly init: RequestInit;

  constructor(
    readonly modelUrl: URL,
    options: UrlSourceOptions,
  ) {
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.init = options.requestInit ?? {};
  }

  private initFor(url: URL): RequestInit {
    if (!sameServer(url, this.modelUrl)) return neutralInit(this.init);
    // fetch follows a redirect with every header but Authorization, to any origin: with headers to
    // protect, redirects are taken one at a time below (an explicit redirect: 'error' stays).
    if (hasHeaders(this.init) && this.init.redirect !== 'error') return {...this.init, redirect: 'manual'};
    return this.init;
  }

  /** GET `target`, following redirects with the caller's headers only while on the model's origin. */
  async get(target: URL, what: string): Promise<Response> {
    let url = target;
    for (let hops = 0; ; hops++) {
      const init = this.initFor(url);
      const response = await this.fetchFn(url.href, init);
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
          url = new URL(location, url);
          continue;
        }
      }
      if (!response.ok) throw new Error(`fetching ${what} ${url.href} failed: HTTP ${response.status}`);
      return response;
    }
  }

  /** model.json, parsed and checked. */
  async modelJson(): Promise<ModelJsonContents> {
    const where = `model.json ${this.modelUrl.href}`;
    const text = await (await this.get(this.modelUrl, 'model.json')).text();
    return readModelJson(parseModelJson(text, where), where);
  }
}
