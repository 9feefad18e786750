/**
 * The cpu backend's fast kernel (its default) against its float64 reference kernel (the
 * SINGLE_GATE_RNN_CPU_REFERENCE flag), over every feature of the op. Both sum in JavaScript's doubles
 * in the same order per output channel, from the same float32 (or float16-rounded) weights, so they
 * agree exactly: measured largest difference 0 over these cases. CPU_TOLERANCE is what the fast
 * kernel must keep to, whatever a later change to its order of summation brings.
 */
import {env} from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {CPU_REFERENCE_FLAG} from '../kernels/cpu/reference_flag.js';
import {useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {withCpuReference} from './util/cpu_reference.js';
import {NEURONS} from './util/neurons.js';
import {makeProblem, ProblemConfig, runOp} from './util/problem.js';
import {Random} from './util/random.js';
import {CPU_TOLERANCE} from './util/tolerance.js';

/** Random configurations that between them cover every neuron and every option of the op. */
function configurations(count: number): ProblemConfig[] {
  const random = new Random(7);
  const neurons = Object.values(NEURONS);
  const pick = <T>(options: readonly T[]): T => options[random.int(0, options.length - 1)];
  return Array.from({length: count}, (_, k) => {
    const neuron = neurons[k % neurons.length];
    const outputChannels = random.int(1, 24);
    const unitTransform = random.next() < 0.2;
    return {
      batch: random.int(1, 4),
      time: random.int(1, 12),
      inputChannels: unitTransform ? outputChannels : random.int(1, 24),
      outputChannels,
      neuron: neuron.custom,
      weightScale: neuron.weightScale,
      inputWeights: pick(['bias', 'noBias', 'null'] as const),
      recurrentWeights: random.next() < 0.85,
      unitTransform,
      float32Weights: random.next() < 0.5,
      backward: random.next() < 0.5,
      initialState: random.next() < 0.5,
      mask: pick([undefined, 'random', 'lengths'] as const),
      seed: k + 1,
    };
  });
}

describe('cpu fast kernel', () => {
  before(() => useBackend('cpu'));

  it('is the default: the reference flag is off', () => {
    expect(env().getBool(CPU_REFERENCE_FLAG)).to.equal(false);
  });

  for (const config of configurations(60)) {
    const {neuron, batch, time, inputChannels, outputChannels} = config;
    it(`agrees with the reference kernel: ${neuron.type} [${batch}, ${time}, ${inputChannels}] -> ${outputChannels}, ${config.inputWeights}${config.unitTransform ? ', unit' : ''}${config.recurrentWeights ? '' : ', U null'}${config.float32Weights ? '' : ', float16'}${config.backward ? ', backward' : ''}${config.initialState ? ', h0' : ''}${config.mask ? `, mask ${config.mask}` : ''}`, async () => {
      const problem = makeProblem(config);
      const expected = await withCpuReference(() => runOp(problem));
      const got = await runOp(problem);
      expectArraysClose(got.output, expected.output, CPU_TOLERANCE, {what: 'output', shape: got.outputShape});
      expectArraysClose(got.finalState, expected.finalState, CPU_TOLERANCE, {what: 'final state'});
    });
  }
});
