/** The specs' GPU watchdog (util/gpu_watchdog.ts): a read that never finishes fails, naming itself. */
import {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {expect} from 'chai';

import './util/setup.js';
import {withinWatchdog} from './util/gpu_watchdog.js';

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

  it('guards every read of the webgpu backend', () => {
    const installed = Object.getOwnPropertySymbols(WebGPUBackend.prototype).map((s) => s.description);
    expect(installed).to.include('tfjs-single-gate-rnn.gpuWatchdog');
  });
});
