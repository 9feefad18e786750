/** Every neuron of the MPS table with parameters that keep it in its domain, shared by the specs. */
import {ReferenceNeuron} from '../reference/single_gate_rnn_reference.js';

export interface NeuronCase {
  /** The neuron with MPS' usual parameters written out from the reference table. */
  usual: ReferenceNeuron;
  /** Other parameters, to show they are honoured. */
  custom: ReferenceNeuron;
  /** Weight scale that keeps this neuron's pre-activations in its domain and away from overflow. */
  weightScale?: number;
  /**
   * false where the usual parameters leave the neuron's domain for random pre-activations (x^c and
   * log x near and below 0): there results are NaN or so ill-conditioned near 0 that float32 rounding
   * of the pre-activation decides them, so random cases use `custom`; specs of the usual parameters
   * feed such neurons positive pre-activations.
   */
  usualForRandomInputs?: false;
}

const p = (type: string, a = 0, b = 0, c = 0): ReferenceNeuron => ({type, a, b, c});

export const NEURONS: Record<string, NeuronCase> = {
  none: {usual: p('none'), custom: p('none'), weightScale: 0.5},
  relu: {usual: p('relu', 0), custom: p('relu', 0.1)},
  linear: {usual: p('linear', 1, 0), custom: p('linear', 0.5, -0.25), weightScale: 0.5},
  sigmoid: {usual: p('sigmoid'), custom: p('sigmoid')},
  hardSigmoid: {usual: p('hardSigmoid', 0.2, 0.5), custom: p('hardSigmoid', 0.3, 0.4)},
  tanh: {usual: p('tanh', 1, 1), custom: p('tanh', 1.7159, 0.6667)},
  absolute: {usual: p('absolute'), custom: p('absolute'), weightScale: 0.5},
  softplus: {usual: p('softplus', 1, 1), custom: p('softplus', 0.5, 2), weightScale: 0.5},
  softsign: {usual: p('softsign'), custom: p('softsign')},
  elu: {usual: p('elu', 1), custom: p('elu', 0.5), weightScale: 0.7},
  reluN: {usual: p('reluN', 0, 6), custom: p('reluN', 0.1, 0.8)},
  // power, exponential and logarithm have no usual parameters in MPS; ours make them x, e^x, ln x.
  power: {
    usual: p('power', 1, 0, 1),
    custom: p('power', 0.2, 2, 0.5),
    weightScale: 0.5,
    usualForRandomInputs: false,
  },
  exponential: {usual: p('exponential', 1, 0, -1), custom: p('exponential', 0.3, -1, 2), weightScale: 0.3},
  logarithm: {
    usual: p('logarithm', 1, 0, -1),
    custom: p('logarithm', 0.2, 3, 10),
    weightScale: 0.5,
    usualForRandomInputs: false,
  },
  gelu: {usual: p('gelu'), custom: p('gelu')},
};
