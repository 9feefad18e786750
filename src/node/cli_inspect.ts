/**
 * `tfjs-single-gate-rnn inspect <model.json | folder | URL>`: what the Keras loader recognises in a
 * converted model, and which of its layers run on the fused op, without loading any weights.
 */
import {stat} from 'node:fs/promises';
import {basename, dirname} from 'node:path';

import * as entry from '../index.js';
import type {KerasModelSource} from '../keras/loader.js';
import {readModelFolder} from './model_folder.js';

/** The report of `inspectKerasModel`, as the loader defines it. */
export interface InspectedModel {
  format: {kerasVersion: string | null; saveRoute: string; description: string};
  layers: Array<{name: string; className: string; runsOnOp: boolean; reason?: string}>;
}

interface Inspection {
  inspectKerasModel(source: KerasModelSource): Promise<InspectedModel>;
  formatKerasModelReport(report: InspectedModel): string;
}

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
  // Looked up on the package's entry so that this command reports plainly when the build lacks it.
  const inspection = entry as unknown as Partial<Inspection>;
  if (inspection.inspectKerasModel == null || inspection.formatKerasModelReport == null) {
    throw new Error('inspect: this build of tfjs-single-gate-rnn has no inspectKerasModel');
  }
  const report = await inspection.inspectKerasModel(await sourceOf(target));
  return inspection.formatKerasModelReport(report);
}
