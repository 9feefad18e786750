/// <reference types="node" />
/**
 * Reads a converted model from a folder on disk, for `loadKerasModel` in Node.js, and reads nothing
 * outside that folder.
 *
 * The manifest inside model.json names the shard files, and a model file can come from anyone: a path
 * joined onto the folder as written (`../../../../etc/hostname`, `/etc/passwd`, a symlink to a file
 * elsewhere) would read whatever it names. Each path here must be a relative path that stays inside
 * the folder both as written and once symlinks are followed.
 */
import {realpath} from 'node:fs/promises';
import {join, posix, resolve, win32} from 'node:path';

import type {KerasModelFiles} from '../keras/loader.js';
import {parseModelJson, readModelJson} from '../keras/model_json.js';
import {specBytes} from '../keras/weights_loader.js';
import {inside, readConfined} from './confined_read.js';

export interface ReadModelFolderOptions {
  /** The model file's name inside the folder. Default 'model.json'. */
  modelFile?: string;
}

/** A scheme ('http:', 'data:', 'file:') or a Windows drive ('C:'): not a path relative to the folder. */
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/**
 * The largest model.json read. A topology of thousands of layers takes a few megabytes; the weights
 * are in the shards.
 */
export const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The most bytes each shard path may hold: its group's weights in all (the group's shards together
 * hold exactly that). An unreadable manifest gives no bounds here: the loader reports it.
 */
function shardBounds(modelJson: unknown): Map<string, number> {
  const bounds = new Map<string, number>();
  let manifest;
  try {
    manifest = readModelJson(modelJson).weightsManifest;
  } catch {
    return bounds;
  }
  for (const group of manifest) {
    const bytes = group.weights.reduce((n, spec) => n + specBytes(spec), 0);
    for (const path of group.paths) bounds.set(path, Math.max(bounds.get(path) ?? 0, bytes));
  }
  return bounds;
}

/** Why `path` is not a relative path inside the folder as written, or null when it is. */
function lexicalProblem(root: string, path: unknown): string | null {
  if (typeof path !== 'string' || path === '')
    return `must be a non-empty string, got ${JSON.stringify(path)}`;
  if (path.includes('\0')) return 'holds a NUL character';
  if (SCHEME.test(path)) return 'is a URL or a drive path, not a path relative to the model folder';
  // Both flavours: a manifest written on one system may be read on the other.
  if (posix.isAbsolute(path) || win32.isAbsolute(path)) return 'is an absolute path';
  const target = resolve(root, path);
  if (target === root) return 'is the model folder itself';
  if (!inside(root, target)) return "climbs out of the model folder with '..'";
  return null;
}

/**
 * Reads the model folder `folder` (model.json and the shards its manifest names) as a
 * `KerasModelFiles` for `loadKerasModel`. Every file read must be a regular file inside the folder:
 * paths that are absolute, URLs, climb out with `..` or lead out through a symlink are refused with an
 * error naming the path.
 *
 * @example
 * const model = await loadKerasModel(await readModelFolder('./my-model'));
 */
export async function readModelFolder(
  folder: string,
  options: ReadModelFolderOptions = {},
): Promise<KerasModelFiles> {
  if (typeof folder !== 'string' || folder === '') {
    throw new Error(`readModelFolder: folder must be a non-empty path, got ${JSON.stringify(folder)}`);
  }
  let root: string;
  try {
    root = await realpath(resolve(folder));
  } catch (e) {
    throw new Error(`readModelFolder: cannot open the model folder '${folder}': ${(e as Error).message}`, {
      cause: e,
    });
  }

  const read = (path: string, what: string, maxBytes: number): Promise<Buffer> => {
    const refuse = (why: string): Error =>
      new Error(`model folder ${root}: ${what} '${path}' ${why}; files must lie inside the model folder`);
    const problem = lexicalProblem(root, path);
    if (problem != null) return Promise.reject(refuse(problem));
    return readConfined({
      root,
      path: resolve(root, path),
      maxBytes,
      refuse,
      failed: (e) =>
        new Error(`model folder ${root}: cannot read ${what} '${path}': ${(e as Error).message}`, {cause: e}),
    });
  };

  const modelFile = options.modelFile ?? 'model.json';
  const modelJson = parseModelJson(
    (await read(modelFile, 'model file', MAX_MODEL_FILE_BYTES)).toString('utf8'),
    join(root, modelFile),
  );
  const bounds = shardBounds(modelJson);
  return {
    modelJson,
    // A path the manifest does not name is the caller's own read: bounded only by what Node can read.
    loadShard: (path) => read(path, 'shard path', bounds.get(path) ?? Number.MAX_SAFE_INTEGER),
  };
}
