/**
 * The recurrence without U: steps are independent of the state, h = g(P), one invocation per element.
 * With a mask a skipped step repeats the state before it, so each invocation then owns one
 * (batch row, unit) and walks its steps in order. No workgroup memory, no barriers.
 */
import type {NeuronType} from '../../../../src/contracts/descriptor.js';
import {neuronWgsl} from '../neuron.js';

export function elementwiseRecurrenceWgsl(o: {
  neuron: NeuronType;
  hasMask: boolean;
  hasInitialState: boolean;
  units: number;
}): string {
  if (!o.hasMask) {
    return `${neuronWgsl(o.neuron)}
fn main(index : i32) {
  if (index < uniforms.total) {
    result[index] = sgNeuron(result[index]);
  }
}
`;
  }
  return `${neuronWgsl(o.neuron)}
fn main(index : i32) {
  if (index >= uniforms.batch * ${o.units}) {
    return;
  }
  let b = index / ${o.units};
  let i = index % ${o.units};
  var h = ${o.hasInitialState ? 'initialState[index]' : '0.0'};
  for (var s = 0; s < uniforms.time; s = s + 1) {
    let t = select(s, uniforms.time - 1 - s, uniforms.backward != 0);
    let at = (b * uniforms.time + t) * ${o.units} + i;
    if (mask[b * uniforms.time + t] != 0) {
      h = sgNeuron(result[at]);
    }
    result[at] = h;
  }
}
`;
}
