/**
 * The contract shared by the op, every backend's kernel and the tests: the kernel name, its inputs and
 * its attributes. The op function normalizes a descriptor into exactly this form, so kernels never see
 * defaults, nulls or tensor-likes.
 */
import type {NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';

import type {NeuronType, SequenceDirection} from './descriptor.js';

/**
 * The kernel name. The kernel returns [output, finalState]:
 * - output: [batch, time, outputFeatureChannels], output[:, t] is the state after consuming x_t;
 * - finalState: [batch, outputFeatureChannels], the state after the last consumed step
 *   (x_{T-1} going forward, x_0 going backward).
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export const SingleGateRNN = 'SingleGateRNN';

/**
 * Kernel inputs. Absent entries stand for MPS' null sources:
 * - `inputWeights` absent: W = 0 (also absent in unit-transform mode, where W is never read);
 * - `biasTerms` absent: b = 0;
 * - `recurrentWeights` absent: U = 0;
 * - `initialState` absent: h_{-1} = 0;
 * - `mask` absent: every step is consumed.
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export interface SingleGateRNNInputs {
  /** [batch, time, inputFeatureChannels] float32. */
  x: TensorInfo;
  /** W, [outputFeatureChannels, inputFeatureChannels] float32 (OHWI with 1x1 kernels). */
  inputWeights?: TensorInfo;
  /** U, [outputFeatureChannels, outputFeatureChannels] float32. */
  recurrentWeights?: TensorInfo;
  /** b, [outputFeatureChannels] float32; never rounded to float16. */
  biasTerms?: TensorInfo;
  /** h_{-1}, [batch, outputFeatureChannels] float32. */
  initialState?: TensorInfo;
  /**
   * [batch, time] bool: false skips step t of row n (the state carries over and output[n, t] is the
   * carried state), true consumes it. Keras' masking; MPS' sequences of different lengths.
   */
  mask?: TensorInfo;
}

/**
 * Kernel attributes: every field resolved, no optionals.
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export interface SingleGateRNNAttrs extends NamedAttrMap {
  inputFeatureChannels: number;
  outputFeatureChannels: number;
  /** W x is replaced by x (inputFeatureChannels === outputFeatureChannels is checked by the op). */
  useLayerInputUnitTransformMode: boolean;
  /** false: W and U are rounded to float16 before use, as MPS stores them. */
  useFloat32Weights: boolean;
  layerSequenceDirection: SequenceDirection;
  neuronType: NeuronType;
  neuronA: number;
  neuronB: number;
  neuronC: number;
}
