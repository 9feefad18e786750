/**
 * tfjs saves layer configs with snake_case keys and reads them back in camelCase, which does not
 * round-trip a key with a digit before a capital: `useFloat32Weights` is saved as
 * `use_float32weights` and read back as `useFloat32weights`.
 */
import type {serialization} from '@tensorflow/tfjs-core';

/** The config with such keys renamed back to what the layers declare. */
export function restoreCamelCaseKeys(config: serialization.ConfigDict): serialization.ConfigDict {
  const {useFloat32weights, ...rest} = config;
  if (useFloat32weights !== undefined && rest.useFloat32Weights === undefined) {
    rest.useFloat32Weights = useFloat32weights;
  }
  return rest;
}
