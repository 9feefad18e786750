/**
 * The loader's reliability checks in Node (`npm run test:reliability`, part of `npm test` and so of
 * .ci/run): inputs that used to hang the process, block libuv's pool, read outside a model folder or
 * download without bound. Runs under test/node/watchdog.ts: a case that blocks the event loop (the
 * topology hang did) cannot time itself out, so each case reports its start and the watchdog stops
 * the run, naming it, when it overstays. Runs on the cpu backend: these are loader checks, not kernel
 * ones. Optional argument: a substring of the case names to run.
 * Prints one line per case and a closing "N passed, N failed"; exits non-zero on any failure.
 */
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import {setBackend} from '@tensorflow/tfjs-core';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';

import {readModelFolder} from '../../src/node/index.js';
import type {Case, Expected, FixtureEnv} from '../keras/cases.js';
import {CPU_TOLERANCE} from '../util/tolerance.js';
import {runCasesAndExit} from './case_runner.js';
import {downloadCases} from './reliability/download_cases.js';
import {folderCases} from './reliability/folder_cases.js';
import {fuzzCases} from './reliability/topology_fuzz.js';
import {redirectCases} from './reliability/redirect_cases.js';
import {topologyCases} from './reliability/topology_cases.js';
import {optionCases} from './reliability/option_cases.js';

/** The npm script runs from the repository root. */
const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'keras');

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  await setBackend('cpu');
  const cases: Case[] = [
    ...topologyCases(),
    ...folderCases(FIXTURES),
    ...redirectCases(FIXTURES),
    ...downloadCases(FIXTURES),
    ...optionCases(),
    ...fuzzCases(),
  ].filter((c) => c.name.includes(filter));
  if (cases.length === 0) throw new Error(`no case name contains '${filter}'`);
  const env: FixtureEnv = {
    source: (name) => readModelFolder(join(FIXTURES, name)),
    handler: () => Promise.reject(new Error('the reliability cases use no IOHandler')),
    expected: async (name) =>
      JSON.parse(await readFile(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected,
    bytes: async (name, file) => new Uint8Array(await readFile(join(FIXTURES, name, file))).slice().buffer,
  };
  await runCasesAndExit(
    cases,
    (c) => c.run(env, CPU_TOLERANCE),
    (c) => process.send?.({started: c.name}),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
