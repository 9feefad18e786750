/**
 * Joins step states into the output, a block of consecutive steps at a time as each block completes
 * (a fragment shader writes only its own output, so a step cannot write into the output directly),
 * then the blocks, as many per program as a shader may sample (16 in WebGL 2 at least):
 * log_width(time) copies of the output in all.
 */
import type {MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {env, type TensorInfo} from '@tensorflow/tfjs-core';

/** Runs one join: `parts` (all of `partSteps` steps but the last) into one block of `steps` steps. */
type JoinRunner = (
  parts: TensorInfo[],
  opts: {width: number; partSteps: number; steps: number; final: boolean},
) => TensorInfo;

/**
 * Blocks are aligned to multiples of the block size in time, whichever the direction, so every block
 * but the last in time order is full (what the gather programs assume); a block is joined as soon as
 * its last step arrives, which bounds the step textures alive at once. The join that makes the output
 * is told so (`final`), for a layout that differs from the intermediate blocks'.
 */
export class TimeJoiner {
  /** Parts per join: as many textures as one shader may sample. */
  private readonly width = Math.max(2, env().getNumber('WEBGL_MAX_TEXTURES_IN_SHADER'));
  private readonly pending = new Map<number, TensorInfo>();
  private readonly blocks: TensorInfo[] = [];

  constructor(
    private readonly backend: MathBackendWebGL,
    private readonly shape: {time: number; backward: boolean},
    private readonly join: JoinRunner,
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
    const final = this.shape.time <= this.width;
    this.blocks[block] = this.join(steps, {width: this.width, partSteps: 1, steps: steps.length, final});
    for (const s of steps) this.backend.disposeIntermediateTensorInfo(s);
    for (let t = first; t <= last; t++) this.pending.delete(t);
  }

  /** The output, once every step was added. */
  finish(): TensorInfo {
    let level = this.blocks;
    let blockSteps = this.width;
    while (level.length > 1) {
      const next: TensorInfo[] = [];
      const final = level.length <= this.width;
      for (let k = 0; k < level.length; k += this.width) {
        const parts = level.slice(k, k + this.width);
        const steps = Math.min(parts.length * blockSteps, this.shape.time - k * blockSteps);
        next.push(this.join(parts, {width: this.width, partSteps: blockSteps, steps, final}));
        for (const part of parts) this.backend.disposeIntermediateTensorInfo(part);
      }
      level = next;
      blockSteps *= this.width;
    }
    return level[0];
  }
}
