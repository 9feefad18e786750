/**
 * `readModelFolder` (tfjs-single-gate-rnn/node): reads a model folder and nothing outside it. Each
 * case builds a scratch layout around a copy of a fixture:
 *
 *   <tmp>/model/           model.json, the shard, a subfolder, symlinks pointing out and in
 *   <tmp>/outside/         a copy of the shard the model must not reach
 */
import {cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {loadKerasModel} from 'tfjs-single-gate-rnn';

import {readModelFolder} from '../../src/node/index.js';
import {Case, expectFailure} from '../keras/cases.js';
import {FIXTURE, loadAndCheck, SHARD} from '../keras/manifest_cases.js';

interface Layout {
  root: string;
  model: string;
  outside: string;
}

/** Runs `body` on a fresh scratch layout, removed afterwards. */
async function withLayout(fixtures: string, body: (layout: Layout) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'model-folder-'));
  const layout = {root, model: join(root, 'model'), outside: join(root, 'outside')};
  try {
    await cp(join(fixtures, FIXTURE), layout.model, {recursive: true});
    await mkdir(join(layout.model, 'sub'));
    await cp(join(fixtures, FIXTURE, SHARD), join(layout.model, 'sub', SHARD));
    await mkdir(layout.outside);
    await cp(join(fixtures, FIXTURE, SHARD), join(layout.outside, SHARD));
    await writeFile(join(layout.outside, 'model.json'), '{}');
    await symlink(join(layout.outside, SHARD), join(layout.model, 'out-link.bin'));
    await symlink(layout.outside, join(layout.model, 'out-dir'));
    await symlink(join(layout.model, 'sub', SHARD), join(layout.model, 'in-link.bin'));
    await body(layout);
  } finally {
    await rm(root, {recursive: true, force: true});
  }
}

/** Reading `path` through the folder's loadShard fails with `pattern`. */
function refusedShard(
  label: string,
  path: (layout: Layout) => string,
  pattern: RegExp,
): (fixtures: string) => Case {
  return (fixtures) => ({
    name: `readModelFolder: refuses ${label}`,
    run: () =>
      withLayout(fixtures, async (layout) => {
        const files = await readModelFolder(layout.model);
        await expectFailure(() => files.loadShard(path(layout)), pattern, label);
      }),
  });
}

const ERROR_TAIL = /; files must lie inside the model folder/;
const refusal = (what: string): RegExp => new RegExp(`shard path '.*' ${what}.*${ERROR_TAIL.source}`);

const SHARD_CASES = [
  refusedShard(
    '.. out of the folder',
    () => `../outside/${SHARD}`,
    refusal("climbs out of the model folder with '\\.\\.'"),
  ),
  refusedShard('.. far out of the folder', () => '../../../../../../etc/hostname', refusal('climbs out')),
  refusedShard('.. after a subfolder', () => `sub/../../outside/${SHARD}`, refusal('climbs out')),
  refusedShard('an absolute path outside', (l) => join(l.outside, SHARD), refusal('is an absolute path')),
  refusedShard('an absolute path even inside', (l) => join(l.model, SHARD), refusal('is an absolute path')),
  refusedShard('a Windows absolute path', () => '\\\\server\\share\\x.bin', refusal('is an absolute path')),
  refusedShard('a file: URL', () => 'file:///etc/hostname', refusal('is a URL or a drive path')),
  refusedShard('a drive path', () => 'C:/x.bin', refusal('is a URL or a drive path')),
  refusedShard(
    'a symlink to a file outside',
    () => 'out-link.bin',
    refusal('leads out of the folder through a symlink'),
  ),
  refusedShard(
    'a path through a symlinked folder outside',
    () => `out-dir/${SHARD}`,
    refusal('leads out of the folder through a symlink'),
  ),
  refusedShard('the folder itself', () => 'sub/..', refusal('is the model folder itself')),
  refusedShard('a folder', () => 'sub', refusal('is not a regular file')),
  refusedShard('an empty path', () => '', refusal('must be a non-empty string')),
];

function expectBytes(got: ArrayBuffer | ArrayBufferView, want: number, what: string): void {
  if (got.byteLength !== want) throw new Error(`${what}: ${got.byteLength} bytes, expected ${want}`);
}

export function modelFolderCases(fixtures: string): Case[] {
  return [
    ...SHARD_CASES.map((make) => make(fixtures)),
    {
      name: 'readModelFolder: a subfolder and a symlink that stays inside are read',
      run: () =>
        withLayout(fixtures, async (layout) => {
          const files = await readModelFolder(layout.model);
          const size = (await files.loadShard(SHARD)).byteLength;
          expectBytes(await files.loadShard(`sub/${SHARD}`), size, 'sub/ shard');
          expectBytes(await files.loadShard(`./sub/../in-link.bin`), size, 'in-link.bin');
        }),
    },
    {
      name: 'readModelFolder: a normal model loads and computes as expected',
      run: (env) =>
        withLayout(fixtures, async (layout) => {
          await loadAndCheck(await readModelFolder(layout.model), {}, await env.expected(FIXTURE));
        }),
    },
    {
      name: 'readModelFolder: loadKerasModel refuses a manifest path out of the folder',
      run: () =>
        withLayout(fixtures, async (layout) => {
          const json = JSON.parse(await readFile(join(layout.model, 'model.json'), 'utf8')) as {
            weightsManifest: {paths: string[]}[];
          };
          json.weightsManifest[0].paths = ['../../../../../../../etc/hostname'];
          await writeFile(join(layout.model, 'model.json'), JSON.stringify(json));
          await expectFailure(
            async () => loadKerasModel(await readModelFolder(layout.model)),
            refusal('climbs out'),
            'manifest out of the folder',
          );
        }),
    },
    {
      name: 'readModelFolder: refuses a model.json that is a symlink out of the folder',
      run: () =>
        withLayout(fixtures, async (layout) => {
          await rm(join(layout.model, 'model.json'));
          await symlink(join(layout.outside, 'model.json'), join(layout.model, 'model.json'));
          await expectFailure(
            () => readModelFolder(layout.model),
            /model file 'model\.json' leads out of the folder through a symlink/,
            'model.json symlink',
          );
        }),
    },
    {
      name: 'readModelFolder: invalid JSON names the file',
      run: () =>
        withLayout(fixtures, async (layout) => {
          await writeFile(join(layout.model, 'model.json'), '{"modelTopology": ');
          await expectFailure(
            () => readModelFolder(layout.model),
            /model\/model\.json is not valid JSON: /,
            'invalid JSON',
          );
        }),
    },
    {
      name: 'readModelFolder: a missing folder is named',
      run: () =>
        withLayout(fixtures, (layout) =>
          expectFailure(
            () => readModelFolder(join(layout.root, 'nowhere')),
            /readModelFolder: cannot open the model folder '.*nowhere': ENOENT/,
            'missing folder',
          ),
        ),
    },
  ];
}
