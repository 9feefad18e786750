/**
 * The one place that turns a descriptor's settings into kernel attributes. The op calls it with a
 * whole descriptor; the layer with its config at construction (when the input channels may not be
 * known yet) and again once built. Every check, and so every message, exists only here.
 */
import type {
  NeuronDescriptor,
  SequenceDirection,
  SingleGateRNNDescriptor,
  WeightsSource,
} from '../contracts/descriptor.js';
import {checkKnownKeys, keysOf} from './config_keys.js';
import type {SingleGateRNNAttrs} from '../contracts/matrix_kernel.js';
import {resolveNeuron} from './neuron.js';
import {checkBoolean, checkChannelCount} from './arguments.js';

/** Stands for input channels a layer takes from its input shape when it is built. */
export const FROM_INPUT_SHAPE = Symbol('inputFeatureChannels from the input shape');

/** A descriptor's settings: everything but the weights' data. */
interface DescriptorSettings {
  inputFeatureChannels: number | typeof FROM_INPUT_SHAPE;
  outputFeatureChannels: number;
  useLayerInputUnitTransformMode?: boolean;
  useFloat32Weights?: boolean;
  layerSequenceDirection?: SequenceDirection;
  /** The input source's neuron. */
  neuron?: NeuronDescriptor;
}

/** The attributes' named fields, without the index signature tfjs' `NamedAttrMap` adds. */
type AttrFields = {
  [K in keyof SingleGateRNNAttrs as string extends K ? never : K]: SingleGateRNNAttrs[K];
};

/** Kernel attributes of a layer whose input channels are not known yet. */
type UnbuiltAttrs = Omit<AttrFields, 'inputFeatureChannels'> & {
  inputFeatureChannels: number | undefined;
};

const DESCRIPTOR_KEYS = keysOf<SingleGateRNNDescriptor>()({
  inputFeatureChannels: true,
  outputFeatureChannels: true,
  useLayerInputUnitTransformMode: true,
  useFloat32Weights: true,
  layerSequenceDirection: true,
  inputWeights: true,
  recurrentWeights: true,
});
const WEIGHTS_SOURCE_KEYS = keysOf<WeightsSource>()({weights: true, biasTerms: true, neuron: true});
const DIRECTIONS: readonly unknown[] = ['forward', 'backward'] satisfies SequenceDirection[];

/**
 * Checks the settings and resolves their defaults. `prefix` starts every field's path in errors:
 * 'descriptor.' for the op, "SingleGateRNN layer 'rnn': " for a layer.
 */
export function descriptorAttrs(
  settings: DescriptorSettings & {inputFeatureChannels: number},
  prefix: string,
): SingleGateRNNAttrs;
export function descriptorAttrs(settings: DescriptorSettings, prefix: string): UnbuiltAttrs;
export function descriptorAttrs(settings: DescriptorSettings, prefix: string): UnbuiltAttrs {
  const inputChannels =
    settings.inputFeatureChannels === FROM_INPUT_SHAPE
      ? undefined
      : checkChannelCount(settings.inputFeatureChannels, `${prefix}inputFeatureChannels`);
  const outputChannels = checkChannelCount(settings.outputFeatureChannels, `${prefix}outputFeatureChannels`);
  const unitTransform = checkBoolean(
    settings.useLayerInputUnitTransformMode,
    `${prefix}useLayerInputUnitTransformMode`,
    false,
  );
  if (unitTransform && inputChannels !== undefined && inputChannels !== outputChannels) {
    throw new Error(
      `${prefix}useLayerInputUnitTransformMode replaces W x by x, so inputFeatureChannels must equal ` +
        `outputFeatureChannels; got ${inputChannels} and ${outputChannels}`,
    );
  }
  const direction = settings.layerSequenceDirection ?? 'forward';
  if (!DIRECTIONS.includes(direction)) {
    throw new Error(
      `${prefix}layerSequenceDirection must be 'forward' or 'backward', got ${JSON.stringify(direction)}`,
    );
  }
  const neuron = resolveNeuron(settings.neuron, `${prefix}inputWeights.neuron`);
  return {
    inputFeatureChannels: inputChannels,
    outputFeatureChannels: outputChannels,
    useLayerInputUnitTransformMode: unitTransform,
    useFloat32Weights: checkBoolean(settings.useFloat32Weights, `${prefix}useFloat32Weights`, false),
    layerSequenceDirection: direction,
    neuronType: neuron.type,
    neuronA: neuron.a,
    neuronB: neuron.b,
    neuronC: neuron.c,
  };
}

/** A weights source as the whole-descriptor checks read it, whatever its weights' rank. */
interface SourceFields {
  weights: unknown;
  biasTerms?: unknown;
  neuron?: NeuronDescriptor;
}

/** A descriptor of either variant (matrix or image) as the whole-descriptor checks read it. */
type DescriptorFields = Omit<SingleGateRNNDescriptor, 'inputWeights' | 'recurrentWeights'> & {
  inputWeights?: SourceFields | null;
  recurrentWeights?: SourceFields | null;
};

/** How a variant's descriptor reads in errors: its type's name, its keys and the shapes of W and U. */
export interface DescriptorForm {
  typeName: string;
  keys: readonly string[];
  inputWeightsShape: string;
  recurrentWeightsShape: string;
}

/** The matrix variant's descriptor (`singleGateRNN`). */
export const MATRIX_DESCRIPTOR: DescriptorForm = {
  typeName: 'SingleGateRNNDescriptor',
  keys: DESCRIPTOR_KEYS,
  inputWeightsShape: '[outputFeatureChannels, inputFeatureChannels]',
  recurrentWeightsShape: '[outputFeatureChannels, outputFeatureChannels]',
};

/**
 * The op's whole-descriptor checks (its keys, its weights sources' keys, which weights a source
 * needs, what a recurrent source may hold), then its attributes. `form` says which variant's
 * descriptor it is (the image variant's adds its own checks after these).
 */
export function checkDescriptor(
  descriptor: DescriptorFields,
  form: DescriptorForm = MATRIX_DESCRIPTOR,
): SingleGateRNNAttrs {
  if (descriptor == null || typeof descriptor !== 'object') {
    throw new Error(`descriptor must be a ${form.typeName} object, got ${String(descriptor)}`);
  }
  checkKnownKeys(descriptor, form.keys, 'descriptor');
  checkKnownKeys(descriptor.inputWeights, WEIGHTS_SOURCE_KEYS, 'descriptor.inputWeights');
  checkKnownKeys(descriptor.recurrentWeights, WEIGHTS_SOURCE_KEYS, 'descriptor.recurrentWeights');
  const attrs = descriptorAttrs({...descriptor, neuron: descriptor.inputWeights?.neuron}, 'descriptor.');
  const input = descriptor.inputWeights;
  if (input != null && input.weights == null && !attrs.useLayerInputUnitTransformMode) {
    throw new Error(
      `descriptor.inputWeights.weights is required (W, ${form.inputWeightsShape}); ` +
        'set descriptor.inputWeights to null for W = 0, b = 0 and the identity neuron',
    );
  }
  const recurrent = descriptor.recurrentWeights;
  if (recurrent != null) {
    if (recurrent.weights == null) {
      throw new Error(
        `descriptor.recurrentWeights.weights is required (U, ${form.recurrentWeightsShape}); ` +
          'set descriptor.recurrentWeights to null for U = 0',
      );
    }
    // MPS reads only U from the recurrent source; refusing the rest keeps a misplaced bias or neuron
    // from being dropped without a word.
    if (recurrent.biasTerms != null) {
      throw new Error(
        'descriptor.recurrentWeights.biasTerms is not used by a single-gate layer (only U is read from ' +
          'the recurrent source); give the bias as descriptor.inputWeights.biasTerms',
      );
    }
    if (
      recurrent.neuron != null &&
      resolveNeuron(recurrent.neuron, 'descriptor.recurrentWeights.neuron').type !== 'none'
    ) {
      throw new Error(
        'descriptor.recurrentWeights.neuron is not used by a single-gate layer (the neuron comes from ' +
          'the input source); give it as descriptor.inputWeights.neuron',
      );
    }
  }
  return attrs;
}
