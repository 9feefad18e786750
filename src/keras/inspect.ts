/**
 * `inspectKerasModel`: what the loader makes of a converted model, without reading its weights — the
 * format it recognised (Keras version, save route) and, layer by layer, whether the layer runs on the
 * `singleGateRNN` op and, where not, why. For a CLI and a page's drop zone: the checks are the
 * loader's own (the same topology normalizer and SimpleRNN rules), applied one layer at a time so one
 * refused layer does not hide the others.
 */
import {serialization} from '@tensorflow/tfjs-core';

import {isObject, Json, JsonObject, nameOf} from './json.js';
import type {LoadKerasModelOptions} from './load_options.js';
import {KerasModelSource, openSource} from './model_source.js';
import {simpleRNNRules} from './rnn_rules.js';
import {isOptimizerWeight} from './saved_paths.js';
import {KERAS_USE_FLOAT32_WEIGHTS} from './simple_rnn_weights.js';
import {LayerRule, normalizeTopology} from './topology_normalizer.js';

/** What `inspectKerasModel` found. */
export interface KerasModelReport {
  format: {
    /** The Keras version that saved the model ("2.1.3", "3.9.2"), or null when the file does not say. */
    kerasVersion: string | null;
    /** 'keras-h5' (an .h5 file, `--input_format keras`), 'keras-keras' (a `.keras` file, `--input_format keras_keras`) or 'tfjs' (saved by tfjs). */
    saveRoute: string;
    /** The format in words, e.g. "Keras 3.9.2 .keras file, converted with --input_format keras_keras". */
    description: string;
  };
  /** Every layer, nested models' and wrappers' inner layers after their container, in config order. */
  layers: Array<{name: string; className: string; runsOnOp: boolean; reason?: string}>;
}

type LayerEntry = KerasModelReport['layers'][number];

function kerasVersionOf(topology: unknown, generatedBy: string | undefined): string | null {
  const version = isObject(topology) ? topology['keras_version'] : undefined;
  if (typeof version === 'string') return version;
  const match = /keras v?(\d+\.\d+(\.\d+)?)/i.exec(generatedBy ?? '');
  return match ? match[1] : null;
}

function formatOf(
  topology: unknown,
  generatedBy: string | undefined,
  weightNames: string[],
  kerasMajor: 2 | 3 | null,
): KerasModelReport['format'] {
  const kerasVersion = kerasVersionOf(topology, generatedBy);
  const modelConfig =
    isObject(topology) && isObject(topology['model_config']) ? topology['model_config'] : null;
  const listForm = modelConfig != null && Array.isArray(modelConfig['config']);
  const keras = kerasVersion != null ? `Keras ${kerasVersion}` : `Keras ${kerasMajor ?? ''}`.trim();
  if (kerasMajor == null) {
    return {
      kerasVersion,
      saveRoute: 'tfjs',
      description: 'a layers model saved by TensorFlow.js (model.save)',
    };
  }
  if (weightNames.some((n) => n.startsWith('layers/') || isOptimizerWeight(n))) {
    const optimizer = weightNames.some(isOptimizerWeight) ? ' (with optimizer state, which is skipped)' : '';
    return {
      kerasVersion,
      saveRoute: 'keras-keras',
      description: `${keras} .keras file, converted with --input_format keras_keras${optimizer}`,
    };
  }
  const list = listForm ? ' (Sequential config saved as a list of layers, Keras < 2.2.3)' : '';
  return {
    kerasVersion,
    saveRoute: 'keras-h5',
    description: `${keras} HDF5 (.h5) file, converted with --input_format keras${list}`,
  };
}

/** The SimpleRNN rules, each failure kept by layer name instead of thrown. */
function recordingRules(refusals: Map<string, string>): Record<string, LayerRule> {
  const rules = simpleRNNRules({
    replaceSimpleRNN: true,
    useFloat32Weights: KERAS_USE_FLOAT32_WEIGHTS,
    weightPrefixes: new Map(),
  });
  const recording: Record<string, LayerRule> = {};
  for (const [className, rule] of Object.entries(rules)) {
    recording[className] = (config, flavour) => {
      try {
        rule(config, flavour);
      } catch (e) {
        refusals.set(nameOf(config['name'], className), (e as Error).message);
      }
    };
  }
  return recording;
}

function knownToTfjs(className: string): boolean {
  return serialization.SerializationMap.getMap().classNameMap[className] != null;
}

/** One layer entry, then its inner layers. */
function describeLayer(entry: Json, refusals: Map<string, string>, out: LayerEntry[]): void {
  if (!isObject(entry) || typeof entry['class_name'] !== 'string' || !isObject(entry['config'])) return;
  const className = entry['class_name'];
  const config = entry['config'];
  const name = nameOf(config['name'], className);
  const inner = isObject(config['layer']) ? config['layer'] : null;
  const innerClass = inner != null && typeof inner['class_name'] === 'string' ? inner['class_name'] : null;
  const innerName = inner != null && isObject(inner['config']) ? nameOf(inner['config']['name'], '') : '';
  const refusal =
    refusals.get(name) ??
    (className === 'Bidirectional'
      ? (refusals.get(innerName) ?? refusals.get(`forward_${innerName}`))
      : undefined);
  if (className === 'SimpleRNN' || (className === 'Bidirectional' && innerClass === 'SimpleRNN')) {
    out.push(
      refusal == null
        ? {name, className, runsOnOp: true}
        : {name, className, runsOnOp: false, reason: refusal},
    );
  } else if (!knownToTfjs(className)) {
    out.push({
      name,
      className,
      runsOnOp: false,
      reason: `tfjs-layers has no class '${className}': the model loads only if one is registered under that name`,
    });
  } else if (Array.isArray(config['layers'])) {
    out.push({name, className, runsOnOp: false, reason: 'a nested model: its layers are listed after it'});
    for (const layer of config['layers']) describeLayer(layer, refusals, out);
  } else if (innerClass != null) {
    out.push({
      name,
      className,
      runsOnOp: false,
      reason: `a wrapper around ${innerClass}, which runs on stock tfjs`,
    });
  } else {
    const recurrent = /RNN|LSTM|GRU/.test(className);
    out.push({
      name,
      className,
      runsOnOp: false,
      reason: recurrent
        ? `${className} has no single-gate equivalent (only SimpleRNN has one): it runs on stock tfjs`
        : 'not a SimpleRNN: it runs on stock tfjs as it is',
    });
  }
}

/**
 * Reads a converted model's model.json (no weight shard is read) and reports its format and, for each
 * layer, whether `loadKerasModel` runs it on the `singleGateRNN` op. Throws where the model.json
 * itself cannot be read or its topology is malformed.
 *
 * @example
 * console.log(formatKerasModelReport(await inspectKerasModel('https://example.com/model/model.json')));
 */
export async function inspectKerasModel(
  source: KerasModelSource,
  options: Pick<LoadKerasModelOptions, 'fetch' | 'fetchFunc' | 'requestInit'> = {},
): Promise<KerasModelReport> {
  const opened = await openSource(source, options);
  const {modelTopology, generatedBy, weightsManifest} = opened.contents;
  const refusals = new Map<string, string>();
  const normalized = normalizeTopology(modelTopology, {
    rules: recordingRules(refusals),
    zeroInitializers: false,
    generatedBy,
  });
  const weightNames = weightsManifest.flatMap((group) => group.weights.map((w) => w.name));
  const layers: LayerEntry[] = [];
  const config = normalized.modelConfig['config'] as JsonObject;
  for (const layer of Array.isArray(config['layers']) ? config['layers'] : [])
    describeLayer(layer, refusals, layers);
  return {format: formatOf(modelTopology, generatedBy, weightNames, normalized.kerasMajor), layers};
}

/** The report as plain text lines for a terminal. */
export function formatKerasModelReport(report: KerasModelReport): string {
  const onOp = report.layers.filter((l) => l.runsOnOp).length;
  const width = Math.max(4, ...report.layers.map((l) => l.name.length));
  const classWidth = Math.max(5, ...report.layers.map((l) => l.className.length));
  const lines = [
    `format: ${report.format.description}`,
    `keras version: ${report.format.kerasVersion ?? 'not given'}; save route: ${report.format.saveRoute}`,
    `layers: ${report.layers.length}, ${onOp} on the singleGateRNN op`,
    ...report.layers.map(
      (l) =>
        `  ${l.name.padEnd(width)}  ${l.className.padEnd(classWidth)}  ${l.runsOnOp ? 'singleGateRNN op' : `tfjs: ${l.reason ?? ''}`}`,
    ),
  ];
  return lines.join('\n');
}
