/**
 * The fused WebGL kernel. Per call, with no readback and nothing compiled after the first call of a
 * configuration (the programs read flat inputs and take sizes as uniforms, so their shader source, the
 * backend's cache key, holds only the configuration: neuron type, which inputs exist):
 * 1. W and U rounded to float16 once (unless useFloat32Weights), each by one small program;
 * 2. the input projection P = x Wᵀ + b for all steps as one program;
 * 3. one fused program per step, h_t = g(U h_{t-1} + P_t) with the mask, writing the state [batch, units];
 * 4. the step states joined along time into the output, a block of consecutive steps at a time as each
 *    block completes (a fragment shader writes only its own output, so a step cannot write into the
 *    output directly), then the blocks, as many per program as a shader may sample (16 in WebGL 2
 *    at least): log_16(time) copies of the output in all.
 * finalState is the last step's state itself. Intermediates are released as soon as the programs
 * that read them are issued; WebGL runs the commands in order, so a released texture that the backend
 * hands out again is only written after those reads.
 */
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {env, type KernelConfig, type KernelFunc, type TensorInfo} from '@tensorflow/tfjs-core';

import {SingleGateRNN, SingleGateRNNAttrs, SingleGateRNNInputs} from '../../src/kernel_names.js';
import {Float16Program} from './float16_program.js';
import {GATHER_UNIFORMS, GatherProgram} from './gather_program.js';
import type {ProjectionMode} from './glsl/projection.js';
import {FlatInputs} from './program_util.js';
import {PROJECTION_UNIFORMS, ProjectionProgram} from './projection_program.js';
import {STEP_UNIFORMS, StepProgram} from './step_program.js';

function singleGateRNNWebGL(args: {
  inputs: SingleGateRNNInputs;
  backend: MathBackendWebGL;
  attrs: SingleGateRNNAttrs;
}): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  const flatInputs = new FlatInputs(backend);
  try {
    return record(inputs, backend, attrs, flatInputs);
  } finally {
    flatInputs.release();
  }
}

function record(
  inputs: SingleGateRNNInputs,
  backend: MathBackendWebGL,
  attrs: SingleGateRNNAttrs,
  flatInputs: FlatInputs,
): TensorInfo[] {
  const [batch, time] = inputs.x.shape;
  const units = attrs.outputFeatureChannels;
  const temporaries: TensorInfo[] = [];
  const run = (program: Float16Program | ProjectionProgram | StepProgram, uniforms?: number[][]) =>
    backend.runWebGLProgram(program, program.operands, 'float32', uniforms);

  // 1. Weights at the precision MPS holds them.
  const weights = (t: TensorInfo | undefined): TensorInfo | null => {
    if (t == null) return null;
    const values = flatInputs.of(t);
    if (attrs.useFloat32Weights) return values;
    const rounded = run(new Float16Program(values));
    temporaries.push(rounded);
    return rounded;
  };
  const unitTransform = attrs.useLayerInputUnitTransformMode;
  const inputWeights = unitTransform ? null : weights(inputs.inputWeights);
  const recurrentWeights = weights(inputs.recurrentWeights);
  const biasTerms = flatInputs.of(inputs.biasTerms) ?? null;

  // 2. P for every step; absent when it is all zeros.
  const mode: ProjectionMode | null = unitTransform
    ? 'unitTransform'
    : inputWeights != null
      ? 'matrix'
      : biasTerms != null
        ? 'biasOnly'
        : null;
  let projection: TensorInfo | null = null;
  if (mode != null) {
    const x = mode === 'biasOnly' ? null : flatInputs.of(inputs.x);
    const program = new ProjectionProgram({x, inputWeights, biasTerms}, {rows: batch * time, units, mode});
    projection = run(program, PROJECTION_UNIFORMS.values({inputs: attrs.inputFeatureChannels, units}));
    temporaries.push(projection);
  }

  // 3. The steps, in processing order; 4. their states joined as blocks complete.
  const mask = flatInputs.of(inputs.mask) ?? null;
  const backward = attrs.layerSequenceDirection === 'backward';
  const joiner = new TimeJoiner(backend, {batch, time, units, backward});
  let state = flatInputs.of(inputs.initialState) ?? null;
  // The joiner and the next step both read a new state: each holds a reference, and the kernel's
  // reference to the last one is finalState's.
  let ownsState = false;
  const neuron = {neuronA: attrs.neuronA, neuronB: attrs.neuronB, neuronC: attrs.neuronC};
  for (let step = 0; step < time; step++) {
    const timeIndex = backward ? time - 1 - step : step;
    const program = new StepProgram(
      {state, projection, recurrentWeights, mask},
      {batch, units, neuron: attrs.neuronType},
    );
    const next = run(program, STEP_UNIFORMS.values({units, time, timeIndex, zeroState: 0, ...neuron}));
    backend.incRef(next.dataId);
    joiner.add(timeIndex, next);
    if (ownsState) backend.disposeIntermediateTensorInfo(state!);
    state = next;
    ownsState = true;
  }
  const output = joiner.finish();

  for (const t of temporaries) backend.disposeIntermediateTensorInfo(t);
  return [
    {dataId: output.dataId, shape: [batch, time, units], dtype: 'float32'},
    {dataId: state!.dataId, shape: [batch, units], dtype: 'float32'},
  ];
}

/**
 * Joins step states [batch * units] into the output [batch * time * units]. Blocks are aligned to
 * multiples of the block size in time, whichever the direction, so every block but the last in time
 * order is full (what GatherProgram assumes); a block is joined as soon as its last step arrives, which
 * bounds the step textures alive at once.
 */
class TimeJoiner {
  /** Parts per gather: as many textures as one shader may sample. */
  private readonly width = Math.max(2, env().getNumber('WEBGL_MAX_TEXTURES_IN_SHADER'));
  private readonly pending = new Map<number, TensorInfo>();
  private readonly blocks: TensorInfo[] = [];

  constructor(
    private readonly backend: MathBackendWebGL,
    private readonly shape: {batch: number; time: number; units: number; backward: boolean},
  ) {}

  /** Takes the state after step `timeIndex`, and one reference to it, released once it is joined. */
  add(timeIndex: number, state: TensorInfo): void {
    this.pending.set(timeIndex, state);
    const block = Math.floor(timeIndex / this.width);
    const first = block * this.width;
    const last = Math.min(first + this.width, this.shape.time) - 1;
    const complete = this.shape.backward ? timeIndex === first : timeIndex === last;
    if (!complete) return;
    const steps = Array.from({length: last - first + 1}, (_, k) => this.pending.get(first + k)!);
    this.blocks[block] = this.gather(steps, 1, steps.length);
    for (const s of steps) this.backend.disposeIntermediateTensorInfo(s);
    for (let t = first; t <= last; t++) this.pending.delete(t);
  }

  /** The output, once every step was added. */
  finish(): TensorInfo {
    let level = this.blocks;
    let blockSteps = this.width;
    while (level.length > 1) {
      const next: TensorInfo[] = [];
      for (let k = 0; k < level.length; k += this.width) {
        const parts = level.slice(k, k + this.width);
        const steps = Math.min(parts.length * blockSteps, this.shape.time - k * blockSteps);
        next.push(this.gather(parts, blockSteps, steps));
        for (const part of parts) this.backend.disposeIntermediateTensorInfo(part);
      }
      level = next;
      blockSteps *= this.width;
    }
    return level[0];
  }

  /** Joins `parts` (all of `partSteps` steps but the last) into one block of `steps` steps. */
  private gather(parts: TensorInfo[], partSteps: number, steps: number): TensorInfo {
    const {batch, units} = this.shape;
    const program = new GatherProgram(parts, {width: this.width, batch, steps, units});
    const lastSteps = steps - (parts.length - 1) * partSteps;
    return this.backend.runWebGLProgram(
      program,
      program.operands,
      'float32',
      GATHER_UNIFORMS.values({parts: parts.length, steps, units, partSteps, lastSteps}),
    );
  }
}

export const singleGateRNNWebGLConfig: KernelConfig = {
  kernelName: SingleGateRNN,
  backendName: 'webgl',
  kernelFunc: singleGateRNNWebGL as unknown as KernelFunc,
};
