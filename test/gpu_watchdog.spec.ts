/** The specs' GPU watchdog (util/gpu_watchdog.ts): a read that never finishes fails, naming itself. */
import {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {expect} from 'chai';

import './util/setup.js';
import {watchedRead, withinWatchdog} from './util/gpu_watchdog.js';

describe('GPU watchdog', () => {
  it('rejects work that does not finish in time, naming it', async () => {
    const never = new Promise<number>(() => undefined);
    const started = performance.now();
    let message = '';
    await withinWatchdog(never, 'reading a [65, 2, 8] float32 tensor', 50).catch((e: Error) => {
      message = e.message;
    });
    expect(message).to.equal(
      'GPU watchdog: reading a [65, 2, 8] float32 tensor did not finish within 0.05 s',
    );
    expect(performance.now() - started).to.be.below(5000);
  });

  it('passes results and errors of work that finishes through', async () => {
    expect(await withinWatchdog(Promise.resolve(7), 'quick work', 1000)).to.equal(7);
    let message = '';
    await withinWatchdog(Promise.reject(new Error('kernel failed')), 'failing work', 1000).catch(
      (e: Error) => (message = e.message),
    );
    expect(message).to.equal('kernel failed');
  });

  it('fails a read that never resolves, naming its spec and tensor, and every read after it', async function () {
    const dataId = {};
    const backend = {tensorMap: new Map([[dataId, {shape: [65, 2, 8], dtype: 'float32'}]])};
    const read = watchedRead(() => new Promise<never>(() => undefined), 50);
    const spec = this.test!.fullTitle();
    const failure = (work: Promise<unknown>): Promise<string> =>
      work.then(
        () => 'resolved',
        (e: Error) => e.message,
      );
    expect(await failure(read.call(backend, dataId))).to.equal(
      `GPU watchdog: reading a [65, 2, 8] float32 tensor in "${spec}" did not finish within 0.05 s`,
    );
    const started = performance.now();
    expect(await failure(read.call(backend, {}))).to.equal(
      `GPU watchdog: a tensor not read, the GPU has not finished reading a [65, 2, 8] float32 tensor in "${spec}"`,
    );
    expect(performance.now() - started, 'a read after a hung one fails at once').to.be.below(50);
  });

  it('is installed on the webgpu backend', () => {
    const installed = Object.getOwnPropertySymbols(WebGPUBackend.prototype).map((s) => s.description);
    expect(installed).to.include('tfjs-single-gate-rnn.gpuWatchdog');
  });
});
