/**
 * The layer's weight initializers, given and serialized as tfjs' own recurrent layers take them: an
 * `Initializer` (`tf.initializers.orthogonal({gain: 2})`), a name ('glorotUniform', 'ones', ...), or
 * the `{className, config}` form a saved model holds.
 *
 * tfjs-layers does not export its initializer lookup; its initializer classes are registered with
 * tfjs-core's public serialization map under their class names, which is where these are found.
 */
import {serialization} from '@tensorflow/tfjs-core';
import type {SimpleRNNLayerArgs} from '@tensorflow/tfjs-layers';

import {formatValue} from '../checks/arguments.js';

/** What `tf.layers.simpleRNN` takes as an initializer. */
export type InitializerArg = NonNullable<SimpleRNNLayerArgs['kernelInitializer']>;
/** tfjs-layers' `Initializer` (its class is not exported by name). */
export type Initializer = Exclude<InitializerArg, string>;
/** An initializer as a layer config may hold it. */
export type InitializerSpec = InitializerArg | serialization.ConfigDict;

function isInitializer(value: unknown): value is Initializer {
  return (
    value instanceof serialization.Serializable && typeof (value as Partial<Initializer>).apply === 'function'
  );
}

function fromClassName(
  className: string,
  config: serialization.ConfigDict,
  argName: string,
  given: unknown,
): Initializer {
  const entry = serialization.SerializationMap.getMap().classNameMap[className];
  const made = entry == null ? null : entry[1](entry[0], config);
  if (!isInitializer(made)) {
    throw new Error(
      `${argName}: unknown initializer ${formatValue(given)}; give an initializer, a name such as ` +
        `'glorotUniform', 'orthogonal', 'zeros' or 'ones', or {className, config}`,
    );
  }
  return made;
}

/** The initializer `spec` stands for; `fallback` (a name) when it is absent. */
export function toInitializer(
  spec: InitializerSpec | null | undefined,
  fallback: string,
  argName: string,
): Initializer {
  const given = spec ?? fallback;
  if (isInitializer(given)) return given;
  if (typeof given === 'string') {
    // A name is the class name with a lower-case first letter ('leCunNormal' → 'LeCunNormal'), and
    // stands for its defaults, unseeded: seed null, as tfjs writes an absent seed when it saves, so
    // the config reads the same after a round trip.
    const className = given.charAt(0).toUpperCase() + given.slice(1);
    return fromClassName(className, {seed: null}, argName, given);
  }
  const {className, config} = given;
  if (typeof className !== 'string') {
    throw new Error(
      `${argName} must be an initializer, a name or {className, config}, got ${formatValue(given)}`,
    );
  }
  const args = config != null && typeof config === 'object' && !Array.isArray(config) ? config : {};
  return fromClassName(className, args, argName, className);
}

/** The `{className, config}` form tfjs saves an initializer in. */
export function serializeInitializer(initializer: Initializer): serialization.ConfigDict {
  return {className: initializer.getClassName(), config: initializer.getConfig()};
}
