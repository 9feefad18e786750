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
import type {ReferenceNeuron} from './reference/single_gate_rnn_reference.js';

/**
 * WGSL and GLSL let an implementation flush subnormal float32 values to zero (SwiftShader does), so on
 * the GPU backends a subnormal pre-activation may act as a zero of the same sign (logarithm(1e-40) is
 * -92.1 on the cpu and -Inf there; power with c = -1 at -1e-40 is -Inf either way, never +Inf). The
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
      const signedZero = expectedFor(
        neuron,
        SUBNORMAL_VALUES.map((v) => (v < 0 ? -0 : 0)),
      );
      SUBNORMAL_VALUES.forEach((v, t) => {
        const got = run.output[t];
        const allowed = MAY_FLUSH_SUBNORMALS.has(name) ? [exact[t], signedZero[t]] : [exact[t]];
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
