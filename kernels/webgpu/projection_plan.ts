/**
 * Plans the input projection P = X Wᵀ + b for one shape and device: the small-M ("skinny") program
 * while B·T is small, else the tiled program with the largest tile that still gives the GPU enough
 * workgroups. Everything a projection shader bakes in is chosen here and named in `projectionKey`, so
 * the WGSL generators only write a plan out.
 */
import type {DeviceLimits} from './strategy.js';
import {
  PROJECTION_MIN_WORKGROUPS,
  PROJECTION_SKINNY_MAX_ROWS,
  PROJECTION_SKINNY_ROWS,
  PROJECTION_SKINNY_THREADS,
  PROJECTION_SKINNY_UNITS,
  PROJECTION_SKINNY_UNROLL,
  PROJECTION_TILES,
  type ProjectionTile,
} from './tuning.js';

/** The least maxComputeWorkgroupsPerDimension a WebGPU device has (the spec's default limit). */
export const MIN_WORKGROUPS_PER_DIMENSION = 65535;
/** The least maxComputeWorkgroupSizeY a WebGPU device has (the spec's default limit). */
const MIN_WORKGROUP_SIZE_Y = 256;
const F32_BYTES = 4;
const VEC4_BYTES = 16;

export interface ProjectionShape {
  /** B·T: rows of X and of P. */
  rows: number;
  inputs: number;
  units: number;
}

export interface SkinnyPlan {
  kind: 'skinny';
  /** Rows per workgroup: a power of two, at most PROJECTION_SKINNY_ROWS and the next one up from B·T. */
  rows: number;
  units: number;
  threads: number;
  unroll: number;
}

export interface TiledPlan extends ProjectionTile {
  kind: 'tiled';
}

export type ProjectionPlan = SkinnyPlan | TiledPlan;

export function planProjection(shape: ProjectionShape, limits: DeviceLimits): ProjectionPlan {
  const skinny = shape.rows <= PROJECTION_SKINNY_MAX_ROWS ? skinnyPlan(shape.rows, limits) : null;
  if (skinny != null) return skinny;
  const fitting = PROJECTION_TILES.map((tile) => fitTile(tile, limits)).filter(
    (tile): tile is ProjectionTile => tile != null,
  );
  if (fitting.length === 0) {
    throw new Error(`SingleGateRNN on webgpu: no projection tile of tuning.ts fits this device's limits`);
  }
  const enough = fitting.find((tile) => tileCount(tile, shape) >= PROJECTION_MIN_WORKGROUPS);
  return {kind: 'tiled', ...(enough ?? fitting[fitting.length - 1])};
}

/** Workgroup-memory bytes of the skinny program: one partial sum per invocation and row, rows padded. */
export function skinnyStorageBytes(plan: Omit<SkinnyPlan, 'kind'>): number {
  return plan.rows * plan.units * (plan.threads / plan.units + 1) * F32_BYTES;
}

function skinnyPlan(rows: number, limits: DeviceLimits): SkinnyPlan | null {
  const threads = Math.min(PROJECTION_SKINNY_THREADS, limits.maxComputeInvocationsPerWorkgroup);
  const units = PROJECTION_SKINNY_UNITS;
  if (units < 1 || threads % units !== 0 || threads > limits.maxComputeWorkgroupSizeX) return null;
  let perWorkgroup = Math.min(2 ** Math.ceil(Math.log2(Math.max(rows, 1))), PROJECTION_SKINNY_ROWS);
  const plan = (r: number): SkinnyPlan => ({
    kind: 'skinny',
    rows: r,
    units,
    threads,
    unroll: PROJECTION_SKINNY_UNROLL,
  });
  while (perWorkgroup > 1 && skinnyStorageBytes(plan(perWorkgroup)) > limits.maxComputeWorkgroupStorageSize) {
    perWorkgroup /= 2;
  }
  return skinnyStorageBytes(plan(perWorkgroup)) <= limits.maxComputeWorkgroupStorageSize
    ? plan(perWorkgroup)
    : null;
}

/** Invocations of a tile along units (x) and rows (y). */
export function tileInvocations(tile: ProjectionTile): [number, number] {
  return [tile.units / tile.unitsPerInvocation, tile.rows / tile.rowsPerInvocation];
}

/**
 * Workgroup-memory bytes of a tile: slices of X and W as vec4 of 4 rows (units), one vec4 of padding
 * per input so that the vec4 stores of consecutive inputs fall in different banks.
 */
export function tileStorageBytes(tile: ProjectionTile): number {
  return tile.slice * (tile.rows / 4 + 1 + tile.units / 4 + 1) * VEC4_BYTES;
}

/** The tile with its slice halved until it fits the device's workgroup memory, or null if it cannot. */
function fitTile(tile: ProjectionTile, limits: DeviceLimits): ProjectionTile | null {
  checkTile(tile);
  const [x, y] = tileInvocations(tile);
  if (x * y > limits.maxComputeInvocationsPerWorkgroup) return null;
  if (x > limits.maxComputeWorkgroupSizeX || y > MIN_WORKGROUP_SIZE_Y) return null;
  let fitted = tile;
  while (fitted.slice > 4 && tileStorageBytes(fitted) > limits.maxComputeWorkgroupStorageSize) {
    fitted = {...fitted, slice: fitted.slice / 2};
  }
  return tileStorageBytes(fitted) <= limits.maxComputeWorkgroupStorageSize ? fitted : null;
}

/** A mistyped tuning value fails loudly instead of writing a shader that skips outputs. */
function checkTile(tile: ProjectionTile): void {
  const wrong = (what: string): never => {
    throw new Error(`projection tile ${JSON.stringify(tile)} in tuning.ts: ${what}`);
  };
  if (tile.rowsPerInvocation % 4 !== 0 || tile.unitsPerInvocation % 4 !== 0) {
    wrong('rowsPerInvocation and unitsPerInvocation must be multiples of 4');
  }
  if (tile.rows % tile.rowsPerInvocation !== 0 || tile.units % tile.unitsPerInvocation !== 0) {
    wrong('rows (units) must be a multiple of rowsPerInvocation (unitsPerInvocation)');
  }
  if (!Number.isInteger(Math.log2(tile.slice)) || tile.slice < 4) wrong('slice must be a power of two >= 4');
}

function tileCount(tile: ProjectionTile, shape: ProjectionShape): number {
  return Math.ceil(shape.rows / tile.rows) * Math.ceil(shape.units / tile.units);
}

/** Everything the plan bakes into the shader, for the shader key. */
export function projectionKey(plan: ProjectionPlan): string {
  return plan.kind === 'skinny'
    ? `skinny${plan.rows}r${plan.units}u${plan.threads}t${plan.unroll}x`
    : `tiled${plan.rows}x${plan.units}_${plan.rowsPerInvocation}x${plan.unitsPerInvocation}_k${plan.slice}`;
}

/** Workgroups of the plan for a shape; row blocks past one dispatch dimension fold into z. */
export function projectionDispatch(plan: ProjectionPlan, shape: ProjectionShape): [number, number, number] {
  const rowBlocks = Math.ceil(shape.rows / plan.rows);
  const folds = Math.max(1, Math.ceil(rowBlocks / MIN_WORKGROUPS_PER_DIMENSION));
  return [Math.ceil(shape.units / plan.units), Math.ceil(rowBlocks / folds), folds];
}

/** The plan's workgroup size. */
export function projectionWorkgroup(plan: ProjectionPlan): [number, number, number] {
  return plan.kind === 'skinny' ? [plan.threads, 1, 1] : [...tileInvocations(plan), 1];
}
