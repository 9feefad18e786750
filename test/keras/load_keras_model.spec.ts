/**
 * The Keras fixture cases in the browser, fixtures fetched over HTTP from karma's server.
 *
 * URL base: karma serves every `files` entry under `/base/<path relative to basePath>`, so with
 * `{pattern: 'test/fixtures/keras/**', included: false, served: true}` a fixture's model.json is at
 * `/base/test/fixtures/keras/<name>/model.json`. Every case runs on every backend with the kernel.
 */
import {io} from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {backendsWithKernel, describeAllBackends} from '../util/backends.js';
import {PORTABLE_TEST_BACKEND} from '../util/portable_backend.js';
import {BIDIRECTIONAL_CASES} from './bidirectional_cases.js';
import {CASES, Expected, FixtureEnv} from './cases.js';
import {LOAD_OPTION_CASES} from './load_option_cases.js';
import {MANIFEST_CASES} from './manifest_cases.js';
import {INSPECT_CASES} from './inspect_cases.js';
import {KERAS_ROUTE_CASES} from './keras_route_cases.js';
import {STRICT_WARNING_CASES} from './strict_warning_cases.js';

const FIXTURE_BASE = '/base/test/fixtures/keras';

const env: FixtureEnv = {
  source: (name) => Promise.resolve(`${FIXTURE_BASE}/${name}/model.json`),
  handler: (name) => Promise.resolve(io.http(`${FIXTURE_BASE}/${name}/model.json`)),
  async expected(name) {
    const response = await fetch(`${FIXTURE_BASE}/${name}/expected.json`);
    expect(response.ok, `GET ${name}/expected.json`).to.equal(true);
    return (await response.json()) as Expected;
  },
  async bytes(name, file) {
    const response = await fetch(`${FIXTURE_BASE}/${name}/${file}`);
    expect(response.ok, `GET ${name}/${file}`).to.equal(true);
    return response.arrayBuffer();
  },
};

describeAllBackends('Keras converted models (fixtures over HTTP)', ({tolerance}) => {
  for (const c of [
    ...CASES,
    ...BIDIRECTIONAL_CASES,
    ...MANIFEST_CASES,
    ...LOAD_OPTION_CASES,
    ...STRICT_WARNING_CASES,
    ...INSPECT_CASES,
    ...KERAS_ROUTE_CASES,
  ]) {
    it(c.name, async () => {
      await c.run(env, tolerance);
    });
  }
});

describe('Keras converted models: backends', () => {
  it('run on cpu, wasm, webgl and webgpu with their kernels, and on the portable path', () => {
    // describeAllBackends above runs every case on each backend that has a kernel; a kernel that
    // failed to register would drop its backend from that list without a failing case.
    expect(backendsWithKernel().map((b) => b.name)).to.include.members([
      'cpu',
      'wasm',
      'webgl',
      'webgpu',
      PORTABLE_TEST_BACKEND,
    ]);
  });
});
