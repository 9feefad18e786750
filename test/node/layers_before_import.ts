/**
 * Imported by the Node runner before the package: the id tfjs-layers gives a layer made before the
 * package is loaded, so the runner can check that importing the package constructed no layer (tfjs
 * numbers every layer it constructs from one counter).
 */
import {layers} from '@tensorflow/tfjs-layers';

export const layerIdBeforeImport = layers.dense({units: 1}).id;
