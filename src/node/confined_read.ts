/// <reference types="node" />
/**
 * Reads one regular file that must lie inside a folder, without blocking and without a race.
 *
 * - Type before open: opening a named pipe (FIFO) blocks until a writer comes; a few such opens fill
 *   libuv's thread pool and stall every later fs call. The path is stat'ed first (which never blocks),
 *   and opened with O_NONBLOCK, so a pipe swapped in after the stat is opened without waiting and then
 *   refused by the fstat.
 * - What was opened, not only what was checked: `O_NOFOLLOW` guards only the last component, so a
 *   subfolder flipped between a directory and a symlink to outside could send the open outside after
 *   the path was checked. After opening, the descriptor itself is checked: on Linux, the path the
 *   kernel gives for it (/proc/self/fd) must lie inside the folder; everywhere, the file must be the
 *   one (same device and inode) now found at a symlink-free path inside the folder.
 * - Size before read: the file's size is compared with what the caller can use before a byte is read
 *   (a 1.5 GB sparse shard used to be read whole before the size check).
 */
import {constants, type Stats} from 'node:fs';
import {open, readlink, realpath, stat} from 'node:fs/promises';
import {isAbsolute, relative, sep} from 'node:path';

// Not every platform has O_NOFOLLOW or O_NONBLOCK (Windows, which has no FIFOs or /proc either).
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Whether `target` lies strictly inside `root` (both absolute, symlink-free). */
export function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

interface ConfinedRead {
  /** The folder, absolute and symlink-free. */
  root: string;
  /** The file, absolute (as joined onto the folder, before symlinks are followed). */
  path: string;
  /** The most bytes the caller can use; a larger file is refused before it is read. */
  maxBytes: number;
  /** An error for a refused file, given why. */
  refuse: (why: string) => Error;
  /** An error for a file that could not be read, given the underlying error. */
  failed: (error: unknown) => Error;
}

/** The kernel's path for an open descriptor (Linux), or null where there is none. */
async function descriptorPath(fd: number): Promise<string | null> {
  try {
    return await readlink(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
}

/** Reads `request.path`, a regular file inside `request.root`, or throws `refuse`/`failed`'s error. */
export async function readConfined(request: ConfinedRead): Promise<Buffer> {
  const {root, path, refuse, failed} = request;
  let real: string;
  let checked: Stats;
  try {
    real = await realpath(path);
    checked = await stat(real);
  } catch (e) {
    throw failed(e);
  }
  if (!inside(root, real)) throw refuse(`leads out of the folder through a symlink (to ${real})`);
  if (!checked.isFile()) throw refuse('is not a regular file');
  let handle;
  try {
    handle = await open(real, FLAGS);
  } catch (e) {
    throw failed(e);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw refuse('is not a regular file');
    const kernelPath = await descriptorPath(handle.fd);
    if (kernelPath != null && !inside(root, kernelPath)) {
      throw refuse(
        `was replaced while it was opened: what was opened lies outside the folder (${kernelPath})`,
      );
    }
    const now = await realpath(path).catch(() => null);
    const nowStats = now == null ? null : await stat(now).catch(() => null);
    if (now == null || !inside(root, now) || nowStats == null || !sameFile(nowStats, opened)) {
      throw refuse('was replaced while it was opened: what was opened is not the file inside the folder');
    }
    if (opened.size > request.maxBytes) {
      throw refuse(
        `holds ${opened.size} bytes, more than the ${request.maxBytes} it may hold (refused before reading)`,
      );
    }
    try {
      return await handle.readFile();
    } catch (e) {
      throw failed(e);
    }
  } finally {
    await handle.close();
  }
}
