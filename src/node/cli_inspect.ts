/**
 * `tfjs-single-gate-rnn inspect <model.json | folder | URL>`: what the Keras loader recognises in a
 * converted model, and which of its layers run on the fused op, without loading any weights.
 */
import {stat} from 'node:fs/promises';
import {basename, dirname} from 'node:path';

import {formatKerasModelReport, inspectKerasModel} from '../keras/inspect.js';
import type {KerasModelSource} from '../keras/model_source.js';
import {readModelFolder} from './model_folder.js';

/** A URL as it is; a folder or a model.json path as the files of its folder. */
async function sourceOf(target: string): Promise<KerasModelSource> {
  if (/^https?:\/\//i.test(target)) return target;
  const info = await stat(target).catch((e: Error) => {
    throw new Error(`inspect: cannot open '${target}': ${e.message}`);
  });
  return info.isDirectory()
    ? readModelFolder(target)
    : readModelFolder(dirname(target), {modelFile: basename(target)});
}

export async function inspectCommand(target: string | undefined): Promise<string> {
  if (target == null) throw new Error('inspect: give the path of a model.json, its folder or its URL');
  return formatKerasModelReport(await inspectKerasModel(await sourceOf(target)));
}
