/** Runs something with the cpu backend's float64 reference kernel instead of its fast default. */
import {env} from '@tensorflow/tfjs-core';
import {CPU_REFERENCE_FLAG} from '../../kernels/cpu/reference_flag.js';

export async function withCpuReference<T>(body: () => Promise<T>): Promise<T> {
  const before = env().getBool(CPU_REFERENCE_FLAG);
  env().set(CPU_REFERENCE_FLAG, true);
  try {
    return await body();
  } finally {
    env().set(CPU_REFERENCE_FLAG, before);
  }
}
