/**
 * Making tfjs deserialize every 'SimpleRNN' as a `SingleGateSimpleRNN`, and every 'Bidirectional' as a
 * `SingleGateBidirectional` (one op call for both directions when both are SingleGateSimpleRNNs).
 *
 * tfjs resolves a config's `class_name` through `serialization.SerializationMap`, keyed by the class'
 * static `className`; registering another class with the same name replaces the entry (last one
 * wins). `Bidirectional` deserializes its inner layer, and re-creates its forward and backward copies,
 * through the same map, so wrapped SimpleRNNs are replaced too.
 */
import {serialization} from '@tensorflow/tfjs-core';

import {SingleGateBidirectional} from './single_gate_bidirectional.js';
import {SingleGateSimpleRNN} from './single_gate_simple_rnn.js';

type MapEntry = [
  serialization.SerializableConstructor<serialization.Serializable>,
  serialization.FromConfigMethod<serialization.Serializable>,
];

function classNameMap(): Record<string, MapEntry> {
  return serialization.SerializationMap.getMap().classNameMap;
}

/**
 * From now on, `tf.loadLayersModel` (and anything else that deserializes layers) builds every
 * `SimpleRNN` — alone or inside `Bidirectional` — as a `SingleGateSimpleRNN`, which runs the
 * `singleGateRNN` op with float32 weights and gives the outputs stock `tf.layers.simpleRNN` would; a
 * `Bidirectional` around one runs both directions in one `singleGateRNNBidirectional` call.
 *
 * Activations are read as tfjs reads them; a SimpleRNN whose activation has no exact neuron (selu,
 * swish, ...) then fails to load with an error naming the layer. For Keras 3 files use
 * `loadKerasModel`, which also knows Keras 3's hard_sigmoid and the Keras 3 file format.
 *
 * @returns A function that restores the classes registered before (the stock ones).
 */
export function useSingleGateRNNForSimpleRNN(): () => void {
  const restores = [SingleGateSimpleRNN, SingleGateBidirectional].map(replaceClass);
  return () => restores.forEach((restore) => restore());
}

/** Registers `cls` under its className; returns what undoes that. */
function replaceClass(cls: serialization.SerializableConstructor<serialization.Serializable>): () => void {
  const map = classNameMap();
  const previous = map[cls.className];
  serialization.SerializationMap.register(cls);
  const ours = map[cls.className];
  return () => {
    // Only undo our own registration: a later registration by someone else stays.
    if (map[cls.className] === ours && previous != null) map[cls.className] = previous;
  };
}
