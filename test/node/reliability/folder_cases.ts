/**
 * `readModelFolder` against what a model folder can hold besides files (issue 22, items 2, 5 and 7's
 * local part): named pipes, a subfolder flipped between a directory and a symlink to outside while the
 * model is read, and shards far larger than the manifest says.
 */
import {execFileSync, spawn} from 'node:child_process';
import {cp, mkdir, mkdtemp, readFile, rm, truncate, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {loadKerasModel} from 'tfjs-single-gate-rnn';

import {readModelFolder} from '../../../src/node/index.js';
import {Case, expectFailure} from '../../keras/cases.js';
import {FIXTURE, SHARD} from '../../keras/manifest_cases.js';

/** A copy of FIXTURE in a scratch folder, and a folder beside it; both removed afterwards. */
async function withModel(
  fixtures: string,
  body: (model: string, outside: string) => Promise<void>,
): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'model-folder-'));
  try {
    await cp(join(fixtures, FIXTURE), join(root, 'model'), {recursive: true});
    await mkdir(join(root, 'outside'));
    await body(join(root, 'model'), join(root, 'outside'));
  } finally {
    await rm(root, {recursive: true, force: true});
  }
}

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** Rewrites the model's manifest: its one group's paths and its weights' shapes. */
async function setManifest(model: string, paths: string[], shape?: number[]): Promise<void> {
  const file = join(model, 'model.json');
  const json = JSON.parse(await readFile(file, 'utf8')) as {
    weightsManifest: {paths: string[]; weights: {shape: number[]}[]}[];
  };
  json.weightsManifest[0].paths = paths;
  if (shape != null) json.weightsManifest[0].weights = [{...json.weightsManifest[0].weights[0], shape}];
  await writeFile(file, JSON.stringify(json));
}

async function within<T>(ms: number, what: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  const took = performance.now() - start;
  if (took > ms) throw new Error(`${what} took ${took.toFixed(0)} ms, more than ${ms}`);
  return result;
}

/**
 * A child process that renames `sub` between a real folder and a symlink to `outside` for `ms`
 * milliseconds, as fast as it can (a separate process, so the flips interleave with this one's reads).
 */
function flipper(model: string, outside: string, ms: number): Promise<void> {
  const script = `
    const fs = require('node:fs'); const path = require('node:path');
    const [model, outside, ms] = process.argv.slice(1);
    const sub = path.join(model, 'sub'), dir = path.join(model, 'sub.dir'), link = path.join(model, 'sub.link');
    fs.symlinkSync(outside, link);
    const end = Date.now() + Number(ms);
    while (Date.now() < end) {
      fs.renameSync(sub, dir); fs.renameSync(link, sub);
      fs.renameSync(sub, link); fs.renameSync(dir, sub);
    }`;
  const child = spawn(process.execPath, ['-e', script, model, outside, String(ms)], {stdio: 'inherit'});
  return new Promise((done, fail) =>
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`the flipper exited with ${code}`)))),
  );
}

export function folderCases(fixtures: string): Case[] {
  return [
    {
      name: 'readModelFolder: a model.json that is a named pipe is refused at once',
      run: () =>
        withModel(fixtures, async (model) => {
          await rm(join(model, 'model.json'));
          mkfifo(join(model, 'model.json'));
          await within(2000, 'the refusal', () =>
            expectFailure(
              () => readModelFolder(model),
              /model file 'model\.json' is not a regular file/,
              'FIFO',
            ),
          );
        }),
    },
    {
      name: 'readModelFolder: four shards that are named pipes are refused, and fs work goes on',
      run: () =>
        withModel(fixtures, async (model) => {
          const pipes = ['p1.bin', 'p2.bin', 'p3.bin', 'p4.bin'];
          pipes.forEach((p) => mkfifo(join(model, p)));
          const files = await readModelFolder(model);
          await within(2000, 'the refusals', () =>
            Promise.all(
              pipes.map((p) =>
                expectFailure(
                  () => files.loadShard(p),
                  new RegExp(`shard path '${p}' is not a regular file`),
                  p,
                ),
              ),
            ),
          );
          // libuv's pool (4 threads) would be full of blocked opens: an fs call would never return.
          await within(2000, 'a read after the refusals', () => files.loadShard(SHARD));
        }),
    },
    {
      name: 'readModelFolder: a subfolder flipped to a symlink to outside never yields the outside file',
      run: () =>
        withModel(fixtures, async (model, outside) => {
          const inner = await readFile(join(model, SHARD));
          await mkdir(join(model, 'sub'));
          await writeFile(join(model, 'sub', SHARD), inner);
          // Same size, other bytes: what a successful read returned says which file it was.
          await writeFile(join(outside, SHARD), Buffer.alloc(inner.length, 0xab));
          const files = await readModelFolder(model);
          const flipping = flipper(model, outside, 3000);
          const counts = {inside: 0, outside: 0, refused: 0};
          let done = false;
          void flipping.finally(() => (done = true));
          while (!done) {
            try {
              const got = Buffer.from((await files.loadShard(`sub/${SHARD}`)) as Uint8Array);
              counts[got.equals(inner) ? 'inside' : 'outside']++;
            } catch {
              counts.refused++;
            }
          }
          await flipping;
          if (counts.outside > 0) {
            throw new Error(
              `the outside file was returned ${counts.outside} times (${JSON.stringify(counts)})`,
            );
          }
          if (counts.inside === 0) throw new Error(`no read succeeded: ${JSON.stringify(counts)}`);
        }),
    },
    {
      name: 'readModelFolder: a 1.5 GB sparse shard is refused by its size before it is read',
      run: () =>
        withModel(fixtures, async (model) => {
          await truncate(join(model, SHARD), 1.5e9);
          const rss = process.memoryUsage().rss;
          await within(2000, 'the refusal', () =>
            expectFailure(
              async () => loadKerasModel(await readModelFolder(model)),
              new RegExp(`shard path '${SHARD}' holds 1500000000 bytes, more than the \\d+ it may hold`),
              'sparse shard',
            ),
          );
          const grew = process.memoryUsage().rss - rss;
          if (grew > 100e6) throw new Error(`RSS grew by ${(grew / 1e6).toFixed(0)} MB`);
        }),
    },
    {
      name: 'readModelFolder: a 3 GB shard the manifest asks for fails naming the path',
      run: () =>
        withModel(fixtures, async (model) => {
          await setManifest(model, ['big.bin'], [3 * 2 ** 28]);
          await writeFile(join(model, 'big.bin'), '');
          await truncate(join(model, 'big.bin'), 3 * 2 ** 30);
          const files = await readModelFolder(model);
          await within(2000, 'the error', () =>
            expectFailure(
              () => files.loadShard('big.bin'),
              /cannot read shard path 'big\.bin': .*2 GiB/,
              '3 GB shard',
            ),
          );
        }),
    },
  ];
}
