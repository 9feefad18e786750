/**
 * Folders a URL model's files may come from: model.json's, `weightPathPrefix` and `allowShardsFrom`,
 * and what "inside a folder" and "the same server" mean for a URL (url_source.ts applies them to
 * manifest paths and to redirects).
 */

/** A scheme fetch may be sent to. */
export function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/** A folder URL: `base` up to and including its last '/', no query or fragment. */
export function folderOf(url: URL): URL {
  return new URL('./', url);
}

/** Same scheme, host, port and user info: what fetch would treat as the same server. */
export function sameServer(a: URL, b: URL): boolean {
  return (
    a.protocol === b.protocol && a.host === b.host && a.username === b.username && a.password === b.password
  );
}

/** Whether `url` lies in `folder`; `%2F` / `%5C` are refused, as a server may decode them into a `..`. */
export function inFolder(url: URL, folder: URL): boolean {
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
export function folderOption(entry: unknown, what: string, modelUrl: URL): URL {
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

export function allowedFolders(
  modelUrl: URL,
  allow: readonly string[] | undefined,
  prefix: URL | null,
): URL[] {
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
