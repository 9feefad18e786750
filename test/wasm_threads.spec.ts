/**
 * The wasm kernel's threads (setWasmThreads) in the browser under karma. Karma's page is not
 * cross-origin isolated, and must not be (isolation changes which binary tfjs-backend-wasm picks for
 * every other spec): there the spec checks that threads are refused with the reason, and skips the
 * thread cases, which `npm run test:wasm-threads:page` runs on an isolated page of their own (and
 * `npm run test:wasm-threads` in Node).
 */
import {expect} from 'chai';

import {getWasmThreads, setWasmThreads} from 'tfjs-single-gate-rnn';
import {wasmThreadsCases} from './cases/wasm_threads.js';

const isolated = typeof crossOriginIsolated === 'boolean' && crossOriginIsolated;

describe('wasm threads (setWasmThreads)', () => {
  if (!isolated) {
    it('refuses threads on a page that is not cross-origin isolated, saying why', async () => {
      const message = await setWasmThreads(2).then(
        () => null,
        (e: unknown) => (e as Error).message,
      );
      expect(message).to.include('crossOriginIsolated: expected true, got false');
      expect(message).to.include('Cross-Origin-Embedder-Policy: require-corp');
      expect(getWasmThreads()).to.equal(1);
      await setWasmThreads(1);
      expect(getWasmThreads()).to.equal(1);
    });
    it('runs the thread cases (skipped: this page is not cross-origin isolated; see test:wasm-threads:page)', function () {
      this.skip();
    });
    return;
  }
  // The built package's kernels plan the calls: this spec cannot ask them, so no plan check here.
  for (const c of wasmThreadsCases()) it(c.name, () => c.run());
});
