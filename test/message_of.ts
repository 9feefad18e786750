import {tidy} from '@tensorflow/tfjs-core';

/** Runs `f` inside a tidy and returns the message it throws; fails if `f` returns instead. */
export function messageOf(f: () => unknown): string {
  try {
    tidy(() => {
      f();
    });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but the call succeeded');
}
