/**
 * The fused WebGL kernel. Per call, with no readback and nothing compiled after the first call of a
 * configuration (the programs read flat inputs and take sizes as uniforms, so their shader source, the
 * backend's cache key, holds only the configuration: neuron type, which inputs exist, the layout):
 * 1. W and U rounded to float16 once (unless useFloat32Weights), each by one small program;
 * 2. the input projection P = x Wᵀ + b for all steps as one program;
 * 3. one fused program per step, h_t = g(U h_{t-1} + P_t) with the mask, writing the state [batch, units];
 * 4. the step states joined along time into the output (time_joiner.ts): log_16(time) copies of it.
 * finalState is the last step's state itself. Intermediates are released as soon as the programs
 * that read them are issued; WebGL runs the commands in order, so a released texture that the backend
 * hands out again is only written after those reads.
 *
 * Larger steps run on flat4 textures (usesFlat4; glsl/flat4.ts), four values a texel: U (rounded on
 * the way), P, the mask, the states and the joined blocks, with the initial state converted in and
 * the final state out; the output's last join writes one value per texel.
 */
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import type {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {SingleGateRNN, SingleGateRNNAttrs, SingleGateRNNInputs} from '../../src/contracts/matrix_kernel.js';
import {Float16Program} from './float16_program.js';
import {FromFlat4Program, TO_FLAT4_UNIFORMS, ToFlat4Program} from './flat4_programs.js';
import {usesFlat4} from './tuning.js';
import {GATHER_UNIFORMS, Gather4Program, GatherProgram} from './gather_program.js';
import type {ProjectionMode} from './glsl/projection.js';
import {FlatInputs} from './program_util.js';
import {PROJECTION_UNIFORMS, ProjectionProgram} from './projection_program.js';
import {Step4Program} from './step4_program.js';
import {STEP_UNIFORMS, StepProgram} from './step_program.js';
import {TimeJoiner} from './time_joiner.js';

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

type Program =
  | Float16Program
  | ProjectionProgram
  | StepProgram
  | Step4Program
  | ToFlat4Program
  | FromFlat4Program
  | GatherProgram
  | Gather4Program;

function record(
  inputs: SingleGateRNNInputs,
  backend: MathBackendWebGL,
  attrs: SingleGateRNNAttrs,
  flatInputs: FlatInputs,
): TensorInfo[] {
  const [batch, time] = inputs.x.shape;
  const units = attrs.outputFeatureChannels;
  const flat4 = usesFlat4(batch, units);
  const temporaries: TensorInfo[] = [];
  const run = (program: Program, uniforms?: number[][]): TensorInfo =>
    backend.runWebGLProgram(program, program.operands, 'float32', uniforms);
  const temporary = (t: TensorInfo): TensorInfo => {
    temporaries.push(t);
    return t;
  };
  const toFlat4 = (t: TensorInfo, roundToFloat16: boolean): TensorInfo =>
    temporary(run(new ToFlat4Program(t, {roundToFloat16}), TO_FLAT4_UNIFORMS.values({count: t.shape[0]})));

  // 1. Weights at the precision MPS holds them; U flat4 on that layout.
  const weights = (t: TensorInfo | undefined): TensorInfo | null => {
    if (t == null) return null;
    const values = flatInputs.of(t);
    if (attrs.useFloat32Weights) return values;
    return temporary(run(new Float16Program(values)));
  };
  const unitTransform = attrs.useLayerInputUnitTransformMode;
  const inputWeights = unitTransform ? null : weights(inputs.inputWeights);
  const recurrentWeights =
    flat4 && inputs.recurrentWeights != null
      ? toFlat4(flatInputs.of(inputs.recurrentWeights), !attrs.useFloat32Weights)
      : weights(inputs.recurrentWeights);
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
    const program = new ProjectionProgram(
      {x, inputWeights, biasTerms},
      {rows: batch * time, units, mode, toFlat4: flat4},
    );
    projection = temporary(
      run(program, PROJECTION_UNIFORMS.values({inputs: attrs.inputFeatureChannels, units})),
    );
  }

  // 3. The steps, in processing order; 4. their states joined as blocks complete.
  const mask = flatInputs.of(inputs.mask) ?? null;
  const initialState = flatInputs.of(inputs.initialState) ?? null;
  const backward = attrs.layerSequenceDirection === 'backward';
  const joiner = new TimeJoiner(backend, {time, backward}, (parts, opts) => {
    const uniforms = GATHER_UNIFORMS.values({
      parts: parts.length,
      steps: opts.steps,
      units,
      partSteps: opts.partSteps,
      lastSteps: opts.steps - (parts.length - 1) * opts.partSteps,
    });
    const shape = {width: opts.width, batch, steps: opts.steps, units};
    return run(
      flat4 ? new Gather4Program(parts, {...shape, toFlat4: !opts.final}) : new GatherProgram(parts, shape),
      uniforms,
    );
  });
  const stepInputs = {
    projection,
    recurrentWeights,
    mask: flat4 && mask != null ? toFlat4(mask, false) : mask,
  };
  let state = flat4 && initialState != null ? toFlat4(initialState, false) : initialState;
  // The joiner and the next step both read a new state: each holds a reference, and the kernel's
  // reference to the last one is finalState's (or, flat4, that of its copy out of flat4).
  let ownsState = false;
  const neuron = {neuronA: attrs.neuronA, neuronB: attrs.neuronB, neuronC: attrs.neuronC};
  for (let step = 0; step < time; step++) {
    const timeIndex = backward ? time - 1 - step : step;
    const shape = {batch, units, neuron: attrs.neuronType};
    const program = flat4
      ? new Step4Program({state, ...stepInputs}, shape)
      : new StepProgram({state, ...stepInputs}, shape);
    const next = run(program, STEP_UNIFORMS.values({units, time, timeIndex, zeroState: 0, ...neuron}));
    backend.incRef(next.dataId);
    joiner.add(timeIndex, next);
    if (ownsState) backend.disposeIntermediateTensorInfo(state!);
    state = next;
    ownsState = true;
  }
  const output = joiner.finish();
  let finalState = state!;
  if (flat4) {
    finalState = run(new FromFlat4Program(state!, batch * units));
    backend.disposeIntermediateTensorInfo(state!);
  }

  for (const t of temporaries) backend.disposeIntermediateTensorInfo(t);
  return [
    {dataId: output.dataId, shape: [batch, time, units], dtype: 'float32'},
    {dataId: finalState.dataId, shape: [batch, units], dtype: 'float32'},
  ];
}

export const singleGateRNNWebGLConfig: KernelConfig = {
  kernelName: SingleGateRNN,
  backendName: 'webgl',
  kernelFunc: singleGateRNNWebGL as unknown as KernelFunc,
};
