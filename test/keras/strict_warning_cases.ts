/**
 * No silent garbage: what `strict: false` leaves out is said once, by name, on the console and in the
 * returned model's `loadWarnings`; under the default options the same manifest is an error listing
 * each unmatched weight and the names it tried. The wording is specified here word for word.
 */
import {io} from '@tensorflow/tfjs-core';
import {loadKerasModel} from 'tfjs-single-gate-rnn';

import {Case, expectFailure, FixtureEnv} from './cases.js';
import {FIXTURE, SHARD} from './manifest_cases.js';

interface EditedFixture {
  modelJson: {weightsManifest: {paths: string[]; weights: io.WeightsManifestEntry[]}[]};
  shard: Uint8Array;
}

async function fixture(env: FixtureEnv): Promise<EditedFixture> {
  const text = new TextDecoder().decode(await env.bytes(FIXTURE, 'model.json'));
  return {
    modelJson: JSON.parse(text) as EditedFixture['modelJson'],
    shard: new Uint8Array(await env.bytes(FIXTURE, SHARD)),
  };
}

function source({modelJson, shard}: EditedFixture) {
  return {modelJson, loadShard: () => Promise.resolve(shard.slice().buffer)};
}

/** The manifest with `dense/bias` [2] renamed to `name`: the bias gets no weight, `name` fills nothing. */
async function renamedBias(env: FixtureEnv, name: string): Promise<EditedFixture> {
  const edited = await fixture(env);
  const bias = edited.modelJson.weightsManifest[0].weights.find((w) => w.name === 'dense/bias')!;
  bias.name = name;
  return edited;
}

/** Runs `body` with console.warn recorded; returns what it was called with. */
async function recordWarnings(body: () => Promise<void>): Promise<string[]> {
  const warned: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warned.push(args.map(String).join(' '));
  try {
    await body();
  } finally {
    console.warn = original;
  }
  return warned;
}

function expectSame(got: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  }
}

const WARNING =
  "loadKerasModel (strict: false): 1 variable kept its initial value, as no manifest weight fills it: 'dense/bias' [2]; " +
  "1 manifest weight matched no variable and was not loaded: 'dense/offset'";

export const STRICT_WARNING_CASES: Case[] = [
  {
    name: 'strict: false warns once, by name, and the model keeps the warning',
    async run(env) {
      const edited = await renamedBias(env, 'dense/offset');
      let warnings: readonly string[] = [];
      const warned = await recordWarnings(async () => {
        const model = await loadKerasModel(source(edited), {strict: false});
        warnings = model.loadWarnings;
        model.dispose();
      });
      expectSame(warned, [WARNING], 'console.warn calls');
      expectSame(warnings, [WARNING], 'model.loadWarnings');
    },
  },
  {
    name: 'a load that fills every variable warns nothing and keeps no warning',
    async run(env) {
      let warnings: readonly string[] = ['unset'];
      const warned = await recordWarnings(async () => {
        const model = await loadKerasModel(source(await fixture(env)), {strict: false});
        warnings = model.loadWarnings;
        model.dispose();
      });
      expectSame(warned, [], 'console.warn calls');
      expectSame(warnings, [], 'model.loadWarnings');
    },
  },
  {
    name: 'strict by default: the same manifest is an error naming each weight and the names it tried',
    run: async (env) =>
      expectFailure(
        async () => loadKerasModel(source(await renamedBias(env, 'dense/offset'))),
        new RegExp(
          '^' +
            [
              'the weights do not fit the model:',
              "  manifest weight 'dense/offset' \\[2\\] matches no variable of the model \\(tried dense/offset\\)",
              "  variable 'dense/bias' \\[2\\] has no weight in the manifest",
            ].join('\n') +
            '$',
        ),
        'strict',
      ),
  },
  {
    name: 'a .keras route name that matches nothing is an error naming it (optimizer state is skipped)',
    run: async (env) =>
      expectFailure(
        async () => loadKerasModel(source(await renamedBias(env, 'layers/dense_7/vars/1'))),
        new RegExp(
          "^the weights do not fit the model:\n  manifest weight 'layers/dense_7/vars/1' \\[2\\] matches no variable " +
            "of the model \\(tried layers/dense_7/vars/1, layers/dense_7/1\\)\n  variable 'dense/bias' \\[2\\] has no weight in the manifest$",
        ),
        '.keras route',
      ),
  },
];
