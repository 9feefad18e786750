/**
 * The ten real Keras models of ../shared/fixtures/real-keras in the browser, served by karma from
 * ../shared (test/karma/shared_fixtures.js) and fetched as a user's page would: each loads with
 * default options and matches Keras' outputs and each recurrent layer's output within 1e-4; and
 * "never worse than stock tfjs": every fixture of the project that stock tf.loadLayersModel loads
 * gives stock's outputs through loadKerasModel. Every case runs on every backend with the kernel.
 */
import {io} from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {describeAllBackends} from '../util/backends.js';
import {GOOD_FIXTURES} from './cases.js';
import {
  compareWithStock,
  LoadableFixture,
  NEVER_WORSE_TOLERANCE,
  STOCK_COMPARED_FIXTURES,
} from './never_worse_cases.js';
import {REAL_MODELS, RealExpected, RealModelEnv, runRealModel} from './real_keras_cases.js';

interface SharedFixturesClient {
  available: boolean;
  ci: boolean;
}
declare const __karma__: {config: {sharedFixtures?: SharedFixturesClient}};

const shared: SharedFixturesClient = __karma__.config.sharedFixtures ?? {available: false, ci: false};
const SHARED_BASE = '/shared-fixtures';
const REAL_BASE = `${SHARED_BASE}/real-keras/models`;
const PROJECT_BASE = '/base/test/fixtures/keras';

const env: RealModelEnv = {
  source: (name) => Promise.resolve(`${REAL_BASE}/${name}/model.json`),
  handler: (name) => Promise.resolve(io.http(`${REAL_BASE}/${name}/model.json`)),
  async expected(name) {
    const response = await fetch(`${REAL_BASE}/${name}/expected.json`);
    expect(response.ok, `GET ${name}/expected.json`).to.equal(true);
    return (await response.json()) as RealExpected;
  },
};

function httpFixture(label: string, url: string): LoadableFixture {
  return {label, source: () => Promise.resolve(url), handler: () => Promise.resolve(io.http(url))};
}

const projectFixtures = [...GOOD_FIXTURES, ...STOCK_COMPARED_FIXTURES].map((name) =>
  httpFixture(`test/fixtures/keras/${name}`, `${PROJECT_BASE}/${name}/model.json`),
);
const sharedFixtures = [
  ...REAL_MODELS.map((name) => httpFixture(`real-keras/${name}`, `${REAL_BASE}/${name}/model.json`)),
  httpFixture('keras3-bilstm-real', `${SHARED_BASE}/keras3-bilstm-real/model.json`),
];

describe('real Keras models: ../shared/fixtures', () => {
  it('are served from ../shared, or their absence is said (and fails in CI)', function () {
    if (shared.ci) expect(shared.available, '../shared/fixtures in CI').to.equal(true);
    if (!shared.available) this.skip(); // ../shared is absent (a clone elsewhere): the models are not run
  });
});

describeAllBackends('real Keras models', () => {
  for (const name of REAL_MODELS) {
    it(`${name} loads and matches Keras within 1e-4`, async function () {
      if (!shared.available) this.skip(); // ../shared is absent: said once by the spec above
      const error = await runRealModel(env, name);
      expect(error).to.be.below(1e-4);
    });
  }
});

describeAllBackends('never worse than stock tfjs', () => {
  for (const fixture of [...projectFixtures, ...sharedFixtures]) {
    const isShared = sharedFixtures.includes(fixture);
    it(`${fixture.label}: where stock tfjs loads it, loadKerasModel gives its outputs`, async function () {
      if (isShared && !shared.available) this.skip(); // ../shared is absent: said once above
      const stockLoads = await compareWithStock(fixture, NEVER_WORSE_TOLERANCE);
      if (STOCK_COMPARED_FIXTURES.some((name) => fixture.label.endsWith(`/${name}`))) {
        expect(stockLoads, `${fixture.label}: stock tfjs must load it, or nothing checks it`).to.equal(true);
      }
    });
  }
});
