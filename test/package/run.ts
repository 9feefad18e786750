/**
 * Checks the built package as a user installs it (`npm run test:package`, part of `npm test`): packed and
 * installed into a fresh folder (install.ts), imported and required from plain Node.js with its peer
 * dependencies only, its Node entry on WebGPU (Dawn), every JavaScript/TypeScript block of README.md as
 * written (readme_blocks.ts says how blocks are marked), and the demo's answer when WebGPU is asked for
 * on a machine without a Vulkan device; what the tarball holds, its LICENSE and its types under each
 * moduleResolution a user may pick (hygiene.ts). Prints one line per check and a closing "N passed, N failed";
 * exits non-zero on any failure. Needs `npm run build` first (the npm script does it).
 */
import {spawn} from 'node:child_process';
import {createRequire} from 'node:module';
import {existsSync} from 'node:fs';
import {cp, mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import type {AddressInfo} from 'node:net';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';

import {transform} from 'esbuild';

import {serve} from '../../scripts/serve.js';
import {dawnEnv} from '../node/dawn_env.js';
import {checkLicense, checkPackedFiles, typeProjects} from './hygiene.js';
import {installPackedPackage} from './install.js';
import type {InstalledPackage} from './install.js';
import {runnableBlocks} from './readme_blocks.js';
import type {RunnableBlock} from './readme_blocks.js';

const ROOT = process.cwd();
const README = 'README.md';
/** The guides whose blocks run too, beside the README. */
const DOCS = 'docs';
/** README and guide blocks may be marked illustrative (not run) only this rarely. */
const MAX_ILLUSTRATIVE_BLOCKS = 2;
/** Dawn on SwiftShader is slow to start and to compile; a check that takes longer is hung. */
const TIMEOUT_MS = 240_000;
/**
 * The models the blocks load: served over HTTP beside the page's location for blocks marked `browser`
 * (see env/browser.js), and as folders beside the blocks for Node blocks.
 */
const README_MODELS = {
  'my-model': join(ROOT, 'test/fixtures/keras/k3-sequential-simple-rnn'),
  'my-keras2-model': join(ROOT, 'test/fixtures/keras/k2-sequential-simple-rnn'),
};

/** The compiler that type-checks the README's TypeScript blocks as a user's project would. */
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

interface Outcome {
  code: number | null;
  output: string;
}

/** Runs a command to its end (or TIMEOUT_MS), with stdout and stderr together. */
function execute(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd, env: {...process.env, ...env}, timeout: TIMEOUT_MS});
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({code, output: signal != null ? `${output}\n(killed: ${signal})` : output}),
    );
  });
}

async function succeed(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  const {code, output} = await execute(command, args, cwd, env);
  if (code !== 0)
    throw new Error(`${[command, ...args].join(' ')} exited with ${code}:\n${output.trimEnd()}`);
  return output;
}

/** The `exports: [...]` line a consumer script prints. */
function printedExports(output: string): string {
  const line = output.split('\n').find((l) => l.startsWith('exports: '));
  if (line == null) throw new Error(`no "exports:" line in:\n${output}`);
  return line;
}

/** Every file path named in package.json's "exports" (all conditions), "main", "module" and "types". */
function manifestTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value == null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(manifestTargets);
}

/** 'README-12' or 'docs-node-40': a file name for the block at a line of a Markdown file. */
function blockName(block: RunnableBlock & {file: string}): string {
  return `${block.file.replace(/\.md$/, '').replace(/\//g, '-')}-${block.line}`;
}

/** Writes a README or guide block where the package resolves, compiled from TypeScript if need be. */
async function writeBlock(
  pkg: InstalledPackage,
  block: RunnableBlock & {file: string},
  code = block.code,
  tag = '',
): Promise<string> {
  const js = block.typescript
    ? (await transform(code, {loader: 'ts', format: block.commonjs ? 'cjs' : 'esm', target: 'es2022'})).code
    : code;
  const file = join(pkg.app, 'readme', `${blockName(block)}${tag}.${block.commonjs ? 'cjs' : 'mjs'}`);
  await mkdir(join(pkg.app, 'readme'), {recursive: true});
  await writeFile(file, js);
  return file;
}

/** The origin that serves the models to `browser` blocks (set by main once the server listens). */
let pageOrigin = '';

function runBlock(pkg: InstalledPackage, block: RunnableBlock, file: string): Promise<Outcome> {
  const preload =
    block.environment === 'browser'
      ? ['--import', pathToFileURL(join(pkg.app, 'env', 'browser.js')).href]
      : [];
  return execute(process.execPath, [...preload, file], pkg.app, {...dawnEnv(), PAGE_ORIGIN: pageOrigin});
}

/** The README's blocks, then each guide's, with the file each comes from. */
async function documentedBlocks(): Promise<Array<RunnableBlock & {file: string}>> {
  const guides = (await readdir(join(ROOT, DOCS))).filter((f) => f.endsWith('.md')).sort();
  const files = [README, ...guides.map((g) => `${DOCS}/${g}`)];
  const blocks = [];
  for (const file of files) {
    for (const block of runnableBlocks(await readFile(join(ROOT, file), 'utf8'), file)) {
      blocks.push({...block, file});
    }
  }
  return blocks;
}

interface Check {
  name: string;
  run: () => Promise<void>;
}

/** Thrown by a check that cannot run here; its message says why. */
class Skip extends Error {}

/** Runs the package's command line as a user's `npx tfjs-single-gate-rnn ...` does. */
function cli(pkg: InstalledPackage, args: string[]): Promise<Outcome> {
  return execute('npx', ['--no-install', 'tfjs-single-gate-rnn', ...args], pkg.app, dawnEnv());
}

async function checks(pkg: InstalledPackage): Promise<Check[]> {
  const node = (script: string, env: NodeJS.ProcessEnv = {}) =>
    succeed(process.execPath, [join('consumers', script)], pkg.app, env);
  const exportsSeen: Record<string, string> = {};
  const list: Check[] = [
    {
      name: 'package.json: "exports", "main", "module" and "types" name files the packed package has',
      run: async () => {
        const manifest = JSON.parse(await readFile(join(pkg.packageDir, 'package.json'), 'utf8')) as Record<
          string,
          unknown
        >;
        const targets = manifestTargets([manifest.exports, manifest.main, manifest.module, manifest.types]);
        const missing = targets.filter((t) => t !== './package.json' && !existsSync(join(pkg.packageDir, t)));
        if (targets.length === 0 || missing.length > 0) {
          throw new Error(`missing from the package: ${missing.join(', ') || 'no targets at all'}`);
        }
      },
    },
    {
      name: 'npm pack: the builds, package.json, README.md, LICENSE and the guides it links, nothing else',
      run: () => checkPackedFiles(pkg),
    },
    {
      name: 'npm pack check: a package shipping a spec is refused',
      run: async () => {
        const fake = join(pkg.app, 'fake-package');
        for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/src/index.js', 'test/a.spec.ts']) {
          await mkdir(dirname(join(fake, f)), {recursive: true});
          await writeFile(join(fake, f), '');
        }
        const refused = await checkPackedFiles({...pkg, packageDir: fake}).then(
          () => null,
          (e: Error) => e.message,
        );
        if (refused !== 'ships test/a.spec.ts, which no user needs') throw new Error(`got: ${refused}`);
      },
    },
    {
      name: "LICENSE: the text of package.json's license",
      run: () => checkLicense(pkg),
    },
    ...(await typeProjects(pkg)).map((project) => ({
      name: `types of both entries resolve in a user's project under moduleResolution ${project.name}`,
      run: async () => void (await succeed(process.execPath, [TSC, '-p', project.dir], pkg.app)),
    })),
    {
      name: 'import from plain Node.js (ES module, peer dependencies only): op and layer on cpu',
      run: async () => void (exportsSeen.import = printedExports(await node('esm.js'))),
    },
    {
      name: 'require() from plain Node.js (CommonJS, peer dependencies only): op and layer on cpu',
      run: async () => void (exportsSeen.require = printedExports(await node('commonjs.cjs'))),
    },
    {
      name: 'import and require() give the same exports (both entries)',
      run: () => {
        if (exportsSeen.import == null || exportsSeen.import !== exportsSeen.require) {
          throw new Error(`import: ${exportsSeen.import}\nrequire: ${exportsSeen.require}`);
        }
        return Promise.resolve();
      },
    },
    {
      name: "tfjs-single-gate-rnn/node by import: chooseBackend('webgpu'), op and layer on webgpu",
      run: async () => void (await node('node_entry.js', dawnEnv())),
    },
    {
      name: "tfjs-single-gate-rnn/node by require(): chooseBackend('webgpu'), op and layer on webgpu",
      run: async () => void (await node('node_entry.cjs', dawnEnv())),
    },
  ];

  const blocks = await documentedBlocks();
  const illustrative = blocks.filter((b) => b.environment === 'illustrative');
  list.push({
    name: `${README} and ${DOCS}/*.md: ${blocks.length} JavaScript/TypeScript blocks, at most ${MAX_ILLUSTRATIVE_BLOCKS} not run (illustrative)`,
    run: () => {
      if (!blocks.some((b) => b.file === README))
        throw new Error(`no JavaScript or TypeScript block in ${README}`);
      if (illustrative.length > MAX_ILLUSTRATIVE_BLOCKS) {
        throw new Error(
          `illustrative blocks at ${illustrative.map((b) => `${b.file}:${b.line}`).join(', ')}`,
        );
      }
      return Promise.resolve();
    },
  });
  const typed = blocks.filter((b) => b.typescript && b.environment !== 'illustrative');
  list.push({
    name: `the ${typed.length} TypeScript blocks type-check against the package's published types`,
    run: async () => {
      // Each block as a module of a user's strict project (ES modules, Node's resolution), in the folder
      // where the package is installed, so its "exports" and .d.ts files are what is checked.
      const dir = join(pkg.app, 'typed');
      await mkdir(dir, {recursive: true});
      for (const block of typed) await writeFile(join(dir, `${blockName(block)}.mts`), block.code);
      const compilerOptions = {
        module: 'nodenext',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      };
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({compilerOptions, include: ['*.mts']}));
      await succeed(process.execPath, [TSC, '-p', dir], pkg.app);
    },
  });
  for (const block of blocks.filter((b) => b.environment !== 'illustrative')) {
    const how = [block.lang, block.environment, ...(block.commonjs ? ['commonjs'] : [])].join(' ');
    list.push({
      name: `${block.file}:${block.line} (${how}) runs as written`,
      run: async () => {
        const {code, output} = await runBlock(pkg, block, await writeBlock(pkg, block));
        if (code !== 0) throw new Error(`exited with ${code}:\n${output.trimEnd()}`);
      },
    });
  }

  list.push(
    {
      name: 'npx tfjs-single-gate-rnn bench cpu: one line per shape, each saying faster or slower on cpu',
      run: async () => {
        const {code, output} = await cli(pkg, ['bench', 'cpu']);
        const shapes = output.split('\n').filter((l) => /^\(batch \d+, \d+ steps/.test(l));
        if (code !== 0 || shapes.length !== 3 || !shapes.every((l) => /× (faster|slower) on cpu$/.test(l))) {
          throw new Error(`exit ${code}, expected 3 shape lines ending '× faster/slower on cpu':\n${output}`);
        }
      },
    },
    {
      name: 'npx tfjs-single-gate-rnn with an unknown command: the usage, exit 1, no stack',
      run: async () => {
        const {code, output} = await cli(pkg, ['frobnicate']);
        if (code !== 1 || !output.includes("unknown command 'frobnicate'") || /\n\s+at /.test(output)) {
          throw new Error(`exit ${code}:\n${output}`);
        }
      },
    },
    {
      name: 'npx tfjs-single-gate-rnn inspect my-model/model.json: the SimpleRNN runs on the op',
      run: async () => {
        const {code, output} = await cli(pkg, ['inspect', 'my-model/model.json']);
        if (output.includes('has no inspectKerasModel')) {
          throw new Skip('this build has no inspectKerasModel, which the command reports');
        }
        if (code !== 0 || !/SimpleRNN/.test(output)) throw new Error(`exit ${code}:\n${output}`);
      },
    },
    {
      name: 'README blocks: a block without its environment is refused',
      run: () => {
        const refused = (() => {
          try {
            runnableBlocks('text\n\n```ts\nconst a = 1;\n```\n', 'example.md');
            return null;
          } catch (e) {
            return (e as Error).message;
          }
        })();
        if (refused?.startsWith('example.md:3 ') !== true)
          throw new Error(`not refused as expected: ${refused}`);
        return Promise.resolve();
      },
    },
    {
      name: 'README blocks: a node block changed to the old deep chained-ops import fails to run',
      run: async () => {
        const block = blocks.find((b) => b.environment === 'node' && !b.commonjs);
        if (block == null) throw new Error('no node block in the README or the guides');
        const broken = `import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';\n${block.code}`;
        const {code, output} = await runBlock(pkg, block, await writeBlock(pkg, block, broken, '-changed'));
        if (code === 0 || !output.includes('ERR_MODULE_NOT_FOUND')) {
          throw new Error(`expected ERR_MODULE_NOT_FOUND, got exit ${code}:\n${output}`);
        }
      },
    },
    {
      name: 'demo: BACKEND=webgpu without a Vulkan device says why in one line, no stack trace, exit 1',
      run: async () => {
        const noDevice = join(pkg.app, 'no-such-vulkan-driver.json');
        const {code, output} = await execute('npm', ['start', '--silent'], ROOT, {
          BACKEND: 'webgpu',
          VK_ICD_FILENAMES: noDevice,
        });
        const ours = output.split('\n').filter((l) => l.startsWith('demo: '));
        // A JavaScript stack frame ends in file:line:column (Dawn's own warnings name C++ lines only).
        const frames = output.split('\n').filter((l) => /^\s+at .*\.[cm]?[jt]s:\d+:\d+\)?$/.test(l));
        const expected =
          /^demo: backend 'webgpu' was asked for, but .*VK_ICD_FILENAMES.*; BACKEND=cpu runs on the cpu$/;
        if (code !== 1 || ours.length !== 1 || !expected.test(ours[0]) || frames.length > 0) {
          throw new Error(`exit ${code}, expected 1, one line matching ${expected} and no stack:\n${output}`);
        }
      },
    },
  );
  return list;
}

async function main(): Promise<void> {
  const pkg = await installPackedPackage(ROOT);
  await cp(join(ROOT, 'test/package/consumers'), join(pkg.app, 'consumers'), {recursive: true});
  await cp(join(ROOT, 'test/package/env'), join(pkg.app, 'env'), {recursive: true});
  // The models as folders beside the blocks (Node blocks read them from disk), and served over HTTP
  // from a site folder for browser blocks, which load them relative to the page's location.
  for (const [name, folder] of Object.entries(README_MODELS)) {
    await cp(folder, join(pkg.app, name), {recursive: true});
    await cp(folder, join(pkg.app, 'site', name), {recursive: true});
  }
  const server = await serve(join(pkg.app, 'site'));
  pageOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(`${pkg.manifest.name} packed and installed in ${pkg.app}`);
  let [passed, failed, skipped] = [0, 0, 0];
  for (const check of await checks(pkg)) {
    try {
      await check.run();
      passed++;
      console.log(`ok   ${check.name}`);
    } catch (e) {
      if (e instanceof Skip) {
        skipped++;
        console.log(`skip ${check.name}: ${e.message}`);
        continue;
      }
      failed++;
      console.log(`FAIL ${check.name}\n${(e as Error).message.replace(/^/gm, '     ')}`);
    }
  }
  server.close();
  // The folder stays for a look at what failed (its path is printed above).
  if (failed === 0) await rm(dirname(pkg.app), {recursive: true, force: true});
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
