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
import {constants} from 'node:fs';
import {open, realpath} from 'node:fs/promises';
import {isAbsolute, join, posix, relative, resolve, sep, win32} from 'node:path';

import type {KerasModelFiles} from '../keras/loader.js';
import {parseModelJson} from '../keras/model_json.js';

export interface ReadModelFolderOptions {
  /** The model file's name inside the folder. Default 'model.json'. */
  modelFile?: string;
}

/** A scheme ('http:', 'data:', 'file:') or a Windows drive ('C:'): not a path relative to the folder. */
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// Not every platform has O_NOFOLLOW (Windows); there the realpath check alone applies.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
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

  const read = async (path: string, what: string): Promise<Buffer> => {
    const refuse = (why: string): Error =>
      new Error(`model folder ${root}: ${what} '${path}' ${why}; files must lie inside the model folder`);
    const problem = lexicalProblem(root, path);
    if (problem != null) throw refuse(problem);
    let real: string;
    try {
      real = await realpath(resolve(root, path));
    } catch (e) {
      throw new Error(`model folder ${root}: cannot read ${what} '${path}': ${(e as Error).message}`, {
        cause: e,
      });
    }
    if (!inside(root, real)) throw refuse(`leads out of the folder through a symlink (to ${real})`);
    // O_NOFOLLOW: the last component is opened as checked, not through a symlink swapped in since.
    const handle = await open(real, constants.O_RDONLY | NO_FOLLOW);
    try {
      if (!(await handle.stat()).isFile()) throw refuse('is not a regular file');
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  };

  const modelFile = options.modelFile ?? 'model.json';
  const modelJson = parseModelJson(
    (await read(modelFile, 'model file')).toString('utf8'),
    join(root, modelFile),
  );
  return {modelJson, loadShard: (path) => read(path, 'shard path')};
}
