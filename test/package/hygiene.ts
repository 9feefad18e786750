/**
 * What `npm pack` ships and how its types resolve, checked on the installed package:
 * - the tarball holds the builds, package.json, README.md and LICENSE, and nothing else (no sources,
 *   specs, fixtures, benchmark data or demo);
 * - LICENSE is the licence package.json names;
 * - a user's TypeScript project finds the types of both entries under moduleResolution node16 (as an ES
 *   module and as CommonJS), node10 (through typesVersions) and bundler.
 */
import {readdir, readFile, mkdir, writeFile} from 'node:fs/promises';
import {join, relative, sep} from 'node:path';

import type {InstalledPackage} from './install.js';

/** Folders the package ships (package.json's "files"), and the files npm always adds. */
const SHIPPED_FOLDERS = ['dist/src/', 'dist/kernels/', 'dist/cjs/'];
/** The guides the README links to ship beside it, so its links work in the installed package. */
const SHIPPED_DOCS = /^docs\/[^/]+\.md$/;
const ALWAYS_SHIPPED = ['package.json', 'README.md', 'LICENSE'];
/** The first line of each licence text this check knows, by SPDX identifier. */
const LICENSE_HEADINGS: Record<string, RegExp> = {
  'Apache-2.0': /^\s*Apache License\s+Version 2\.0, January 2004/,
};

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true});
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Throws listing shipped files a user does not need, and needed ones that are missing. */
export async function checkPackedFiles(pkg: InstalledPackage): Promise<void> {
  const files = await listFiles(pkg.packageDir);
  const stray = files.filter(
    (f) =>
      !ALWAYS_SHIPPED.includes(f) && !SHIPPED_FOLDERS.some((d) => f.startsWith(d)) && !SHIPPED_DOCS.test(f),
  );
  // Within the builds only what runs or types it: JavaScript, declarations, their maps, and the
  // package.json that marks dist/cjs as CommonJS.
  const oddInBuild = files.filter(
    (f) =>
      SHIPPED_FOLDERS.some((d) => f.startsWith(d)) &&
      !/\.(js|d\.ts|js\.map|d\.ts\.map)$|^dist\/cjs\/package\.json$/.test(f),
  );
  const missing = ALWAYS_SHIPPED.filter((f) => !files.includes(f));
  // Every guide the README links to must ship (a link to docs/x.md that is not packed is dead).
  const readme = await readFile(join(pkg.packageDir, 'README.md'), 'utf8').catch(() => '');
  for (const [, linked] of readme.matchAll(/\]\((docs\/[^)#\s]+\.md)(#[^)]*)?\)/g)) {
    if (!files.includes(linked) && !missing.includes(linked)) missing.push(linked);
  }
  const problems = [
    ...stray.map((f) => `ships ${f}, which no user needs`),
    ...oddInBuild.map((f) => `ships ${f} inside the build`),
    ...missing.map((f) => `does not ship ${f}`),
  ];
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** Throws unless LICENSE is the text of the licence package.json names. */
export async function checkLicense(pkg: InstalledPackage): Promise<void> {
  const manifest = JSON.parse(await readFile(join(pkg.packageDir, 'package.json'), 'utf8')) as {
    license?: string;
  };
  const heading = manifest.license == null ? undefined : LICENSE_HEADINGS[manifest.license];
  if (heading == null)
    throw new Error(`package.json's license '${manifest.license}' is not one this check knows`);
  const text = await readFile(join(pkg.packageDir, 'LICENSE'), 'utf8');
  if (!heading.test(text))
    throw new Error(`LICENSE does not open as the ${manifest.license} text: ${text.slice(0, 80)}`);
}

/** A user's file naming a value and a type from each entry; a missing type fails `tsc`. */
function consumer(name: string, style: 'import' | 'require'): string {
  const lines =
    style === 'import'
      ? [
          `import {loadKerasModel, singleGateRNN, warmUp, type SingleGateRNNDescriptor} from '${name}';`,
          `import {readModelFolder, type BackendChoice} from '${name}/node';`,
        ]
      : [
          `import pkg = require('${name}');`,
          `import node = require('${name}/node');`,
          'const {loadKerasModel, singleGateRNN, warmUp} = pkg;',
          'const {readModelFolder} = node;',
          'type SingleGateRNNDescriptor = pkg.SingleGateRNNDescriptor;',
          'type BackendChoice = node.BackendChoice;',
        ];
  return [
    ...lines,
    'const descriptor: SingleGateRNNDescriptor = {inputFeatureChannels: 2, outputFeatureChannels: 3};',
    'const choice: BackendChoice | null = null;',
    'export const used = [loadKerasModel, singleGateRNN, warmUp, readModelFolder, descriptor, choice];',
    '',
  ].join('\n');
}

/** The scratch projects: one per resolution mode, each a folder with its tsconfig and one file. */
export async function typeProjects(pkg: InstalledPackage): Promise<Array<{name: string; dir: string}>> {
  const name = pkg.manifest.name;
  const base = {
    target: 'es2022',
    lib: ['es2022', 'dom'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const projects = [
    {
      name: 'node16, ES module',
      file: 'user.mts',
      options: {module: 'node16', moduleResolution: 'node16'},
      style: 'import',
    },
    {
      name: 'node16, CommonJS',
      file: 'user.cts',
      options: {module: 'node16', moduleResolution: 'node16'},
      style: 'require',
    },
    {
      name: 'bundler',
      file: 'user.ts',
      options: {module: 'esnext', moduleResolution: 'bundler'},
      style: 'import',
    },
    {
      name: 'node10',
      file: 'user.ts',
      options: {module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true},
      style: 'import',
    },
  ] as const;
  const made = [];
  for (const [i, p] of projects.entries()) {
    const dir = join(pkg.app, `types-${i}`);
    await mkdir(dir, {recursive: true});
    await writeFile(join(dir, p.file), consumer(name, p.style));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({compilerOptions: {...base, ...p.options}, files: [p.file]}),
    );
    made.push({name: p.name, dir});
  }
  return made;
}
