/**
 * The Node check's bidirectional section (run by webgpu_vs_cpu.ts): random layer pairs, both
 * strategies, with and without lengths (as an int32 tensor); the op's one-kernel-call result must
 * equal, bit for bit, the two directions run as separate calls on the same backend.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as sg from '../../src/index.js';
import {Random} from '../util/random.js';
import {descriptorsOf, makeStackProblem, StackProblem, weightTensorsOf, xOf} from '../util/stack_problem.js';
import {registerPairPolicy} from '../../src/sequence/pair_policy.js';

/** Units that take the persistent strategy, and 600, which takes the stepwise one in float32. */
const UNITS = [1, 5, 32, 64, 600];

async function values(result: tf.TensorContainer): Promise<number[][]> {
  const tensors: tf.Tensor[] = [];
  const collect = (value: unknown): void => {
    if (value instanceof tf.Tensor) tensors.push(value as tf.Tensor);
    else if (value != null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(result);
  const read = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
  tf.dispose(result);
  return read;
}

async function oneCase(problem: StackProblem, lengths: tf.Tensor1D | null): Promise<string | null> {
  const descriptors = descriptorsOf(problem);
  const x = xOf(problem);
  const options = {sequenceLengths: lengths, storeAllIntermediateStates: true};
  const together = sg.singleGateRNNBidirectional(x, descriptors, options);
  const apart = [false, true].map((backward) =>
    sg.singleGateRNN(
      x,
      descriptors.filter((_, k) => problem.layers[k].backward === backward),
      options,
    ),
  );
  const got = await values([
    together.outputForward,
    together.outputBackward,
    together.finalStates.forward,
    together.finalStates.backward,
  ]);
  const want = await values([apart[0].output, apart[1].output, apart[0].finalStates, apart[1].finalStates]);
  tf.dispose([
    x,
    ...(together.intermediateStates?.forward ?? []),
    ...(together.intermediateStates?.backward ?? []),
  ]);
  tf.dispose([...apart.flatMap((a) => a.intermediateStates ?? [])]);
  tf.dispose(weightTensorsOf(descriptors));
  for (let k = 0; k < got.length; k++) {
    const at = got[k].findIndex((v, i) => !Object.is(v, want[k][i]));
    if (at >= 0) return `tensor ${k} element ${at}: together ${got[k][at]}, apart ${want[k][at]}`;
  }
  return null;
}

/** Runs `count` random pairs on the active (webgpu) backend, reporting each. */
export async function checkBidirectionalPairs(
  count: number,
  report: (ok: boolean, line: string) => void,
  started: (label: string) => void,
): Promise<void> {
  for (let seed = 1; seed <= count; seed++) {
    const random = new Random(1000 + seed);
    const units = random.pick(UNITS);
    const config = {
      batch: random.int(1, 6),
      time: units === 600 ? random.int(1, 4) : random.pick([1, 7, 40]),
      inputChannels: random.int(1, 9),
      units: [units, units],
      backward: [false, true],
      perDirection: true,
      initialStates: random.next() < 0.5,
      lengths: random.next() < 0.6 ? ('random' as const) : undefined,
      float16Weights: random.next() < 0.4,
      seed: 1000 + seed,
    };
    const label = `bidirectional pair seed ${1000 + seed}: units ${units}, batch ${config.batch}, time ${config.time}${config.lengths ? ', lengths' : ''}`;
    started(label);
    const problem = makeStackProblem(config);
    const lengths = problem.lengths ? tf.tensor1d(problem.lengths, 'int32') : null;
    const before = tf.memory().numTensors;
    // Every pair through the pair kernel, stepwise ones too (which the op's webgpu policy runs as two
    // calls, the faster there): the kernel must stay exact in both strategies.
    const policy = registerPairPolicy('webgpu', () => true);
    const mismatch = await oneCase(problem, lengths).finally(() => registerPairPolicy('webgpu', policy));
    lengths?.dispose();
    const leaked = tf.memory().numTensors - before + (lengths ? 1 : 0);
    report(
      mismatch == null && leaked === 0,
      `${label}${mismatch ? `: ${mismatch}` : ''}${leaked ? `: ${leaked} tensors leaked` : ''}`,
    );
  }
}
