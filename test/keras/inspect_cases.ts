/**
 * `inspectKerasModel` and `formatKerasModelReport` on the project's fixtures (and, where ../shared is
 * there, on the real models, from the Node runner): the format recognised and each layer's verdict.
 */
import {formatKerasModelReport, inspectKerasModel, KerasModelReport} from 'tfjs-single-gate-rnn';

import {Case, FixtureEnv} from './cases.js';

function expectSame(got: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  }
}

/** Layer name → runsOnOp, for compact expectations. */
function verdicts(report: KerasModelReport): Record<string, boolean> {
  return Object.fromEntries(report.layers.map((l) => [l.name, l.runsOnOp]));
}

export const INSPECT_CASES: Case[] = [
  {
    name: 'inspectKerasModel: a tf.keras 2 h5 file, its SimpleRNNs on the op and Dense not',
    async run(env: FixtureEnv) {
      const report = await inspectKerasModel(await env.source('k2-sequential-simple-rnn'));
      expectSame(report.format.saveRoute, 'keras-h5', 'saveRoute');
      if (report.format.kerasVersion?.startsWith('2.') !== true) {
        throw new Error(`kerasVersion: expected 2.x, got ${report.format.kerasVersion}`);
      }
      expectSame(
        verdicts(report),
        {simple_rnn_input: false, simple_rnn: true, simple_rnn_1: true, simple_rnn_2: true, dense: false},
        'runsOnOp by layer',
      );
      const dense = report.layers.find((l) => l.className === 'Dense')!;
      expectSame(dense.reason, 'not a SimpleRNN: it runs on stock tfjs as it is', 'Dense reason');
      const text = formatKerasModelReport(report);
      if (!/^format: Keras 2\.\S+ HDF5 \(\.h5\) file, converted with --input_format keras\n/.test(text)) {
        throw new Error(`formatKerasModelReport: ${text}`);
      }
    },
  },
  {
    name: 'inspectKerasModel: a SimpleRNN with an activation the op lacks, said with the reason',
    async run(env: FixtureEnv) {
      const report = await inspectKerasModel(await env.source('bad-activation'));
      const rnn = report.layers.find((l) => l.className === 'SimpleRNN')!;
      expectSame(rnn.runsOnOp, false, 'runsOnOp');
      if (
        !/^SimpleRNN layer 'simple_rnn': activation "selu" has no exact single-gate neuron/.test(
          rnn.reason ?? '',
        )
      ) {
        throw new Error(`reason: ${rnn.reason}`);
      }
    },
  },
  {
    name: 'inspectKerasModel: a Keras 3 Functional model with a Bidirectional SimpleRNN',
    async run(env: FixtureEnv) {
      const report = await inspectKerasModel(await env.source('k3-sequential-bidirectional'));
      expectSame(report.format.saveRoute, 'keras-h5', 'saveRoute');
      if (report.format.kerasVersion?.startsWith('3.') !== true) {
        throw new Error(`kerasVersion: expected 3.x, got ${report.format.kerasVersion}`);
      }
      const bidirectional = report.layers.find((l) => l.className === 'Bidirectional');
      expectSame(bidirectional?.runsOnOp, true, 'Bidirectional runsOnOp');
    },
  },
  {
    name: 'inspectKerasModel: the .keras route and a Keras 2.1 list-form Sequential are recognised',
    async run(env: FixtureEnv) {
      const route = await inspectKerasModel(await env.source('k3-keras-route-sequential'));
      expectSame(route.format.saveRoute, 'keras-keras', '.keras saveRoute');
      if (
        !/--input_format keras_keras \(with optimizer state, which is skipped\)$/.test(
          route.format.description,
        )
      ) {
        throw new Error(`.keras description: ${route.format.description}`);
      }
      const list = await inspectKerasModel(await env.source('k2_1-list-sequential-unroll'));
      expectSame(
        [list.format.kerasVersion, list.format.saveRoute, list.format.description],
        [
          '2.1.3',
          'keras-h5',
          'Keras 2.1.3 HDF5 (.h5) file, converted with --input_format keras (Sequential config saved as a list of layers, Keras < 2.2.3)',
        ],
        'list-form format',
      );
      expectSame(
        list.layers.map((l) => l.runsOnOp),
        [true, true, true, false],
        'runsOnOp (three SimpleRNNs, then Dense)',
      );
    },
  },
];
