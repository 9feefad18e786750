/**
 * The Keras fixture checks, written once and run by the mocha spec (browsers, fixtures over HTTP)
 * and by the Node runner (fixtures from files). `env.source(name)` says where a fixture comes from.
 */
import {dispose, io, memory, tensor} from '@tensorflow/tfjs-core';
import {LayersModel, loadLayersModel} from '@tensorflow/tfjs-layers';

import {
  KerasModelSource,
  loadKerasModel,
  SingleGateSimpleRNN,
  useSingleGateRNNForSimpleRNN,
} from 'tfjs-single-gate-rnn';

import {expectArraysClose, type Tolerance} from '../util/close.js';

export interface FixtureEnv {
  /** The fixture as a loadKerasModel source (URL or files). */
  source(name: string): Promise<KerasModelSource>;
  /** The fixture as a tfjs IOHandler, for the registration path through tf.loadLayersModel. */
  handler(name: string): Promise<io.IOHandler>;
  /** The parsed expected.json. */
  expected(name: string): Promise<Expected>;
  /** One of the fixture's files as bytes (`file` relative to its folder). */
  bytes(name: string, file: string): Promise<ArrayBuffer>;
}

interface TensorJson {
  shape: number[];
  data: number[];
  dtype?: 'float32' | 'int32';
}
export interface Expected {
  description: string;
  reference?: string;
  runs?: {resetStatesBefore: boolean; inputs: TensorJson[]; outputs: TensorJson[]}[];
}

export interface Case {
  name: string;
  /**
   * `tolerance`: the active backend's, from test/util/tolerance.ts. The expected outputs are the
   * float64 loop's, or stock tf.layers' where the generator found them within the cpu tolerance of it.
   */
  run(env: FixtureEnv, tolerance: Tolerance): Promise<void>;
}

export async function checkRuns(
  model: LayersModel,
  expected: Expected,
  tolerance: Tolerance,
  label: string,
): Promise<void> {
  for (const [r, run] of (expected.runs ?? []).entries()) {
    if (run.resetStatesBefore) model.resetStates();
    const xs = run.inputs.map((t) => tensor(t.data, t.shape, 'float32'));
    const y = model.predict(xs.length === 1 ? xs[0] : xs);
    const ys = Array.isArray(y) ? y : [y];
    try {
      if (ys.length !== run.outputs.length)
        throw new Error(`${label} run ${r}: ${ys.length} outputs, expected ${run.outputs.length}`);
      for (const [i, out] of run.outputs.entries()) {
        const shape = ys[i].shape.join(',');
        if (shape !== out.shape.join(','))
          throw new Error(
            `${label} run ${r} output ${i}: shape [${shape}], expected [${out.shape.join(',')}]`,
          );
        expectArraysClose(await ys[i].data(), out.data, tolerance, {
          what: `${label} run ${r} output ${i}`,
          shape: ys[i].shape,
        });
      }
    } finally {
      dispose([...xs, ...ys]);
    }
  }
}

function countReplaced(model: LayersModel): number {
  let n = 0;
  const visit = (layer: unknown): void => {
    if (layer instanceof SingleGateSimpleRNN) n++;
    const l = layer as {forwardLayer?: unknown; backwardLayer?: unknown; layers?: unknown[]};
    if (l.forwardLayer) visit(l.forwardLayer);
    if (l.backwardLayer) visit(l.backwardLayer);
    l.layers?.forEach(visit);
  };
  model.layers.forEach(visit);
  return n;
}

export const GOOD_FIXTURES = [
  'k2-sequential-simple-rnn',
  'k2-sequential-bidirectional',
  'k2-functional-merge-modes',
  'k2-functional-initial-state',
  'k2-sequential-stateful',
  'k2-sequential-masking',
  'k3-sequential-simple-rnn',
  'k3-sequential-bidirectional',
  'k3-functional',
  'k3-functional-masking',
  // The formats in the wild, written by format_variants.ts from the fixtures above.
  'k3-keras-route-sequential',
  'k3-keras-route-bidirectional',
  'k3-keras-route-functional-embedding',
  'k3-keras-route-nested-sequential',
  'k3-h5-nested-sequential',
  'k2_1-list-sequential-unroll',
];
/** Fixtures stock tfjs loads and computes as Keras does: the registration path must match them. */
export const STOCK_LOADABLE = GOOD_FIXTURES.filter(
  (n) => n.startsWith('k2-') && n !== 'k2-sequential-masking',
);

/** Runs `load`, which must fail with a message matching `pattern` and leave no tensor behind. */
export async function expectFailure(
  load: () => Promise<unknown>,
  pattern: RegExp,
  label: string,
): Promise<void> {
  const before = memory().numTensors;
  let error: Error | null = null;
  try {
    await load();
  } catch (e) {
    error = e as Error;
  }
  if (error == null) throw new Error(`${label}: loaded, expected an error matching ${pattern}`);
  if (!pattern.test(error.message))
    throw new Error(`${label}: error "${error.message}" does not match ${pattern}`);
  const leaked = memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${label}: ${leaked} tensors left behind by the failed load`);
}

export const CASES: Case[] = [
  ...GOOD_FIXTURES.map((name) => ({
    name: `loadKerasModel: ${name}`,
    async run(env: FixtureEnv, tolerance: Tolerance) {
      const model = await loadKerasModel(await env.source(name));
      try {
        if (countReplaced(model) === 0)
          throw new Error(`${name}: no SimpleRNN was built as SingleGateSimpleRNN`);
        await checkRuns(model, await env.expected(name), tolerance, name);
      } finally {
        model.dispose();
      }
    },
  })),
  ...STOCK_LOADABLE.map((name) => ({
    name: `useSingleGateRNNForSimpleRNN + tf.loadLayersModel: ${name}`,
    async run(env: FixtureEnv, tolerance: Tolerance) {
      const handler = await env.handler(name);
      const restore = useSingleGateRNNForSimpleRNN();
      let model: LayersModel;
      try {
        model = await loadLayersModel(handler);
      } finally {
        restore();
      }
      try {
        if (countReplaced(model) === 0)
          throw new Error(`${name}: no SimpleRNN was built as SingleGateSimpleRNN`);
        await checkRuns(model, await env.expected(name), tolerance, `${name} (registered)`);
      } finally {
        model.dispose();
      }
    },
  })),
  {
    name: 'error: truncated weight shard',
    run: (env) =>
      expectFailure(
        async () => loadKerasModel(await env.source('bad-truncated-shard')),
        /need 576 bytes.*hold 568.*truncated/s,
        'truncated',
      ),
  },
  {
    name: 'error: corrupt weight shard (NaN)',
    run: (env) =>
      expectFailure(
        async () => loadKerasModel(await env.source('bad-corrupt-shard')),
        /non-finite value.*corrupt/,
        'corrupt',
      ),
  },
  {
    name: 'error: manifest shape does not match the topology',
    run: (env) =>
      expectFailure(
        async () => loadKerasModel(await env.source('bad-shape-mismatch')),
        /simple_rnn\/kernel': the topology needs \[3, 5\], the manifest has \[5, 3\]/,
        'shape',
      ),
  },
  {
    name: 'error: unsupported activation',
    run: (env) =>
      expectFailure(
        async () => loadKerasModel(await env.source('bad-activation')),
        /SimpleRNN layer 'simple_rnn': activation "selu"/,
        'activation',
      ),
  },
  {
    name: 'error: unsupported activation through the registration path',
    async run(env) {
      const handler = await env.handler('bad-activation');
      const restore = useSingleGateRNNForSimpleRNN();
      try {
        await expectFailure(
          () => loadLayersModel(handler),
          /SimpleRNN layer 'simple_rnn': activation "selu"/,
          'registered activation',
        );
      } finally {
        restore();
      }
    },
  },
];
