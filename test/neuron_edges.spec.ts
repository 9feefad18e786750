/**
 * Every neuron at ±Inf and NaN agrees with the float64 reference on every backend (rounded to float32,
 * as the output is stored), and subnormal inputs follow SUBNORMAL_RULE.
 */
import {expect} from 'chai';

import {describeAllBackends} from './util/backends.js';
import {expectArraysClose, isClose} from './util/close.js';
import {referenceOf, runOp} from './util/problem.js';
import {
  describeNeuron,
  EDGE_NEURONS,
  edgeProblem,
  NON_FINITE_VALUES,
  SUBNORMAL_VALUES,
} from './cases/neuron_edges.js';
import {applyNeuron, ReferenceNeuron} from './reference/single_gate_rnn_reference.js';

/**
 * WGSL and GLSL let an implementation flush subnormal float32 values to zero (SwiftShader does), and
 * the GPU neurons take a subnormal as a zero of its sign in log and pow (lavapipe keeps subnormals but
 * gave log(1e-40) = -88.0), so on the GPU backends a subnormal pre-activation may act as a zero
 * (logarithm(1e-40) is -92.1 on the cpu and -Inf there). Of either sign: a GPU that flushes x before
 * adding it to the sum's 0 gets +0 (power with c = -1 at -1e-40 is then +Inf; lavapipe, which keeps
 * the subnormal, gives -Inf as the reference does). The
 * backends that compute in JavaScript or WebAssembly (IEEE 754 with subnormals) must give the
 * reference exactly.
 */
const MAY_FLUSH_SUBNORMALS = new Set(['webgpu', 'webgl']);

/** The reference's output for `values`, rounded to float32 as an output tensor holds it. */
function expectedFor(neuron: ReferenceNeuron, values: readonly number[]): number[] {
  return Array.from(referenceOf(edgeProblem(neuron, values)).output, Math.fround);
}

describeAllBackends('neurons at the edges of float32', ({name, tolerance}) => {
  for (const neuron of EDGE_NEURONS) {
    it(`${describeNeuron(neuron)} at ${NON_FINITE_VALUES.join(', ')}`, async () => {
      const run = await runOp(edgeProblem(neuron, NON_FINITE_VALUES));
      const expected = expectedFor(neuron, NON_FINITE_VALUES);
      expectArraysClose(run.output, expected, tolerance, {
        what: `${describeNeuron(neuron)} at [${NON_FINITE_VALUES.join(', ')}]`,
      });
    });
  }

  it('subnormal pre-activations: the reference, or (GPU backends) the reference at a flushed zero', async () => {
    const failures: string[] = [];
    for (const neuron of EDGE_NEURONS) {
      const run = await runOp(edgeProblem(neuron, SUBNORMAL_VALUES));
      const exact = expectedFor(neuron, SUBNORMAL_VALUES);
      // The neuron itself at a zero of each sign (the reference's sum, 0 + -0, would lose the sign,
      // and so may a GPU's sum that flushed the value before adding it).
      // (b = 0 is passed as -0 with -0, so that a·x + b keeps the sign as IEEE arithmetic on the
      // GPU's signed zero does.)
      const atZero = [-0, 0].map((zero) =>
        Math.fround(applyNeuron({...neuron, b: neuron.b === 0 ? zero : neuron.b}, zero)),
      );
      SUBNORMAL_VALUES.forEach((v, t) => {
        const got = run.output[t];
        const allowed = MAY_FLUSH_SUBNORMALS.has(name) ? [exact[t], ...atZero] : [exact[t]];
        if (!allowed.some((want) => isClose(got, want, tolerance))) {
          failures.push(
            `${describeNeuron(neuron)} at ${v}: got ${got}, expected one of ${allowed.join(', ')}`,
          );
        }
      });
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });
});
