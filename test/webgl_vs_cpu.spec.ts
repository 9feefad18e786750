/**
 * The webgl kernel against the cpu kernel, on what is particular to it: random configurations with
 * seeds apart from those webgpu_vs_cpu.spec.ts runs on every GPU backend (webgl included), sequence
 * lengths around the joins of step states into the output, inputs held in packed textures, no texture
 * left behind, and no shader compiled for a new shape of a configuration already run; each on both
 * texture layouts of the kernel (one value per texel, and flat4 for larger steps).
 */
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNN} from 'tfjs-single-gate-rnn';

import {Float16Program} from '../kernels/webgl/float16_program.js';
import {FromFlat4Program, ToFlat4Program} from '../kernels/webgl/flat4_programs.js';
import {Gather4Program, GatherProgram} from '../kernels/webgl/gather_program.js';
import {ProjectionProgram} from '../kernels/webgl/projection_program.js';
import {FLAT4_MIN_PRODUCTS, usesFlat4} from '../kernels/webgl/tuning.js';
import {Step4Program} from '../kernels/webgl/step4_program.js';
import {StepProgram} from '../kernels/webgl/step_program.js';
import {describeConfig, randomConfig} from './cases/webgpu.js';
import {expectSameAsCpuKernel} from './util/against_cpu.js';
import type {BackendUnderTest} from './util/backends.js';
import {useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {NEURONS} from './util/neurons.js';
import {descriptorOf, makeProblem, ProblemConfig, runOp} from './util/problem.js';
import {toleranceFor} from './util/tolerance.js';

const WEBGL: BackendUnderTest = {name: 'webgl', tolerance: toleranceFor('webgl')};
const RANDOM_CASES = 30;
const FIRST_SEED = 2001;

function webglBackend(): MathBackendWebGL {
  return tf.backend() as MathBackendWebGL;
}

/** The kernel's program classes, by name (the backend names a program by its constructor). */
const KERNEL_PROGRAMS = new Set(
  [
    Float16Program,
    GatherProgram,
    Gather4Program,
    ProjectionProgram,
    StepProgram,
    Step4Program,
    ToFlat4Program,
    FromFlat4Program,
  ].map((c) => c.name),
);

/**
 * The programs whose shaders the webgl backend compiles while `fn` runs, by class name. Reading back
 * and uploading compile the backend's own programs per shape; each compilation is put down to the
 * program being run (uploads run inside the program that first reads an input). `gpgpu` and
 * `runWebGLProgram` are public members of the backend; every shader it builds goes through
 * `gpgpu.createProgram`.
 */
async function programsCompiled(fn: () => Promise<void>): Promise<string[]> {
  const backend = webglBackend();
  const {gpgpu} = backend;
  const runWebGLProgram = backend.runWebGLProgram.bind(backend);
  const createProgram = gpgpu.createProgram.bind(gpgpu);
  const running: string[] = [];
  const compiled: string[] = [];
  backend.runWebGLProgram = (program, ...rest) => {
    running.push(program.constructor.name);
    try {
      return runWebGLProgram(program, ...rest);
    } finally {
      running.pop();
    }
  };
  gpgpu.createProgram = (shader: WebGLShader) => {
    compiled.push(running.at(-1) ?? '(none)');
    return createProgram(shader);
  };
  try {
    await fn();
  } finally {
    backend.runWebGLProgram = runWebGLProgram;
    gpgpu.createProgram = createProgram;
  }
  return compiled;
}

describe('webgl against the cpu kernel, more random configurations', () => {
  for (let seed = FIRST_SEED; seed < FIRST_SEED + RANDOM_CASES; seed++) {
    const config = randomConfig(seed);
    it(describeConfig(config), () => expectSameAsCpuKernel(config, WEBGL));
  }
});

/** Batch 2 and units a multiple of 4 whose step is just large enough for the flat4 layout. */
const FLAT4_UNITS = 4 * Math.ceil(Math.sqrt(FLAT4_MIN_PRODUCTS / 2) / 4);

/** The kernel's two texture layouts, each by a batch and units that select it. */
const LAYOUTS: Array<{layout: string; batch: number; units: number; flat4: boolean}> = [
  {layout: 'one value per texel', batch: 2, units: 5, flat4: false},
  {layout: 'flat4', batch: 2, units: FLAT4_UNITS, flat4: true},
];

// The random configurations again on the flat4 layout: every feature (masks, states, no weights,
// unit transform, the neurons) through the flat4 programs.
describe('webgl against the cpu kernel, random configurations on the flat4 layout', () => {
  for (let seed = FIRST_SEED; seed < FIRST_SEED + RANDOM_CASES / 2; seed++) {
    const random = randomConfig(seed);
    const config: ProblemConfig = {
      ...random,
      batch: Math.min(16, Math.max(2, random.batch)),
      time: Math.min(random.time, 20),
      outputChannels: FLAT4_UNITS,
      inputChannels: random.unitTransform ? FLAT4_UNITS : random.inputChannels,
    };
    it(describeConfig(config), async () => {
      expect(usesFlat4(config.batch, config.outputChannels), 'flat4 layout').to.equal(true);
      await expectSameAsCpuKernel(config, WEBGL);
    });
  }
});

for (const {layout, batch, units, flat4} of LAYOUTS) {
  describe(`webgl kernel, ${layout}`, () => {
    beforeEach(() => useBackend('webgl'));

    it(`is the layout of batch ${batch}, ${units} units`, () => {
      expect(usesFlat4(batch, units)).to.equal(flat4);
    });

    // Step states are joined into the output a block at a time, as many per program as a shader samples
    // (WEBGL_MAX_TEXTURES_IN_SHADER); the blocks are then joined the same way. Lengths one either side
    // of one and two levels of joins, both directions, with a mask so carried states cross the joins.
    const lengths: Array<[string, (width: number) => number]> = [
      ['one step', () => 1],
      ['one block less one step', (w) => w - 1],
      ['one block', (w) => w],
      ['one block and one step', (w) => w + 1],
      ['a block of blocks less one step', (w) => w * w - 1],
      ['a block of blocks and one step', (w) => w * w + 1],
    ];
    for (const [what, length] of lengths) {
      for (const backward of [false, true]) {
        it(`joins ${what} into the output (${backward ? 'backward' : 'forward'})`, async () => {
          const width = tf.env().getNumber('WEBGL_MAX_TEXTURES_IN_SHADER');
          const config: ProblemConfig = {
            batch,
            time: length(width),
            inputChannels: 3,
            outputChannels: units,
            neuron: NEURONS.tanh.usual,
            backward,
            initialState: true,
            mask: 'lengths',
            seed: 2100 + length(width) + (backward ? 1 : 0),
          };
          await expectSameAsCpuKernel(config, WEBGL);
        });
      }
    }

    it('reads inputs held in packed textures', async () => {
      const config: ProblemConfig = {
        batch,
        time: 4,
        inputChannels: 6,
        outputChannels: units,
        neuron: NEURONS.tanh.usual,
        float32Weights: false,
        initialState: true,
        seed: 2201,
      };
      const problem = makeProblem(config);
      const expected = await runOp(problem);
      const [B, T, I, H] = [batch, 4, 6, units];
      // An elementwise op of the packed kind leaves its output packed (the backend unpacks lazily).
      const packed = <R extends tf.Rank>(t: tf.Tensor<R>): tf.Tensor<R> => tf.add(t, tf.zerosLike(t));
      const descriptor = descriptorOf(problem);
      const [x, w, u, h0] = tf.tidy(() => [
        packed(tf.tensor3d(problem.x, [B, T, I])),
        packed(descriptor.inputWeights!.weights as tf.Tensor2D),
        packed(descriptor.recurrentWeights!.weights as tf.Tensor2D),
        packed(tf.tensor2d(problem.initialState!, [B, H])),
      ]);
      for (const [name, t] of Object.entries({x, w, u, h0})) {
        expect(webglBackend().texData.get(t.dataId).isPacked, `${name} is packed`).to.equal(true);
      }
      const {output, finalState} = singleGateRNN(
        x,
        {
          ...descriptor,
          inputWeights: {...descriptor.inputWeights!, weights: w},
          recurrentWeights: {weights: u},
        },
        {initialState: h0},
      );
      expectArraysClose(await output.data(), expected.output, WEBGL.tolerance, {
        what: 'output',
        shape: [B, T, H],
      });
      expectArraysClose(await finalState.data(), expected.finalState, WEBGL.tolerance, {what: 'final state'});
      tf.dispose([output, finalState, x, w, u, h0, descriptor.inputWeights!.weights as tf.Tensor]);
      tf.dispose([
        descriptor.inputWeights!.biasTerms as tf.Tensor,
        descriptor.recurrentWeights!.weights as tf.Tensor,
      ]);
    });

    it('leaves no texture in use after a call', async () => {
      const problem = makeProblem({
        batch,
        time: 40,
        inputChannels: 3,
        outputChannels: units,
        neuron: NEURONS.tanh.usual,
        initialState: true,
        mask: 'random',
        seed: 2202,
      });
      await runOp(problem); // the first call may allocate the backend's own textures
      const before = tf.memory() as tf.MemoryInfo & {numBytesInGPU: number};
      await runOp(problem);
      const after = tf.memory() as tf.MemoryInfo & {numBytesInGPU: number};
      expect(after.numTensors, 'live tensors').to.equal(before.numTensors);
      expect(after.numBytesInGPU, 'bytes of textures in use').to.equal(before.numBytesInGPU);
    });

    it('compiles nothing for a new batch, length or width of a configuration it has run', async () => {
      const base: ProblemConfig = {
        batch,
        time: 5,
        inputChannels: 3,
        outputChannels: units,
        neuron: NEURONS.elu.custom,
        initialState: true,
        mask: 'random',
        seed: 2203,
      };
      await runOp(makeProblem(base));
      // Other shapes of the same layout (flat4 keeps a multiple of 4 above the threshold).
      const reshaped: ProblemConfig[] = [
        {...base, batch: 4, time: 9},
        {...base, time: 40, inputChannels: 8, outputChannels: flat4 ? units + 4 : 12},
        {...base, neuron: NEURONS.elu.usual, seed: 2204},
      ];
      for (const c of reshaped)
        expect(usesFlat4(c.batch, c.outputChannels), describeConfig(c)).to.equal(flat4);
      const compiled = await programsCompiled(async () => {
        for (const config of reshaped) await runOp(makeProblem(config));
      });
      // The readbacks compile their own programs per shape: the count sees compilations at all.
      expect(compiled.length, 'programs compiled').to.be.above(0);
      expect(
        compiled.filter((name) => KERNEL_PROGRAMS.has(name)),
        'kernel programs compiled for new shapes and parameters',
      ).to.deep.equal([]);
    });
  });
}
