/**
 * Shapes that walk the input projection's plans (kernels/webgpu/projection_plan.ts), derived from the
 * tuning constants so that they follow them when a benchmark changes them: B·T at, below and just past
 * the small-M threshold and around the small-M program's rows per workgroup; each tile of the tiled
 * program with a partial last row and column block; and inputs that are not a multiple of 4, of a
 * slice or of the small-M program's lanes. Every case has W (the projection runs) and cycles through
 * both weight precisions, bias or none, and U or none. Shared by webgpu_projection_sweep.spec.ts and
 * the Node check (test/node/webgpu_vs_cpu.ts).
 */
import {
  PROJECTION_MIN_WORKGROUPS,
  PROJECTION_SKINNY_MAX_ROWS,
  PROJECTION_SKINNY_ROWS,
  PROJECTION_TILES,
} from '../../kernels/webgpu/tuning.js';
import {NEURONS} from '../util/neurons.js';
import type {ProblemConfig} from '../util/problem.js';

/** [batch, time, inputs, units] */
type Shape = readonly [number, number, number, number];

const skinnyRows = [
  PROJECTION_SKINNY_MAX_ROWS - 1,
  PROJECTION_SKINNY_MAX_ROWS,
  PROJECTION_SKINNY_MAX_ROWS + 1,
  PROJECTION_SKINNY_ROWS + 1,
].filter((rows) => rows >= 1);

const SKINNY: Shape[] = [
  [1, 1, 1, 1],
  [1, 1, 256, 256],
  [1, 1, 517, 6],
  [8, 1, 130, 33],
  [3, 2, 1030, 5],
  ...skinnyRows.map((rows, n): Shape => [rows, 1, [17, 64, 3, 258][n], [70, 5, 129, 12][n]]),
];

/**
 * For each tile: 3 column blocks (the last one unit wide) and enough row blocks (the last one short of
 * 5 rows) to give PROJECTION_MIN_WORKGROUPS, so that tile is the first with enough workgroups when the
 * tiles before it are larger; the last tile also with few workgroups.
 */
const TILED: Shape[] = [
  ...PROJECTION_TILES.map((tile, n): Shape => {
    const rowBlocks = Math.max(1, Math.ceil(PROJECTION_MIN_WORKGROUPS / 3));
    return [rowBlocks * tile.rows - 5, 1, [5, 19, 33][n % 3], tile.units * 2 + 1];
  }),
  [40, 3, 33, 129],
  [2, 100, 64, 128],
  [5, 20, 7, 13],
];

export const PROJECTION_SWEEP: ProblemConfig[] = [...SKINNY, ...TILED].map(
  ([batch, time, inputs, units], n): ProblemConfig => ({
    batch,
    time,
    inputChannels: inputs,
    outputChannels: units,
    neuron: n % 2 === 0 ? NEURONS.tanh.usual : NEURONS.relu.custom,
    float32Weights: n % 2 === 1,
    inputWeights: n % 3 === 2 ? 'noBias' : 'bias',
    // U only where the recurrence is cheap on a software adapter: the sweep is about P.
    recurrentWeights: batch * time * units <= 1 << 16 && units <= 300,
    initialState: n % 4 === 0,
    seed: 1500 + n,
  }),
);
