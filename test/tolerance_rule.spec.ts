/**
 * The one closeness rule every check uses (test/util/close.ts) and the one seeded generator
 * (test/util/random.ts): a rule that quietly passed everything, or a generator that changed its
 * sequence, would weaken every other spec and the committed fixtures without any of them failing.
 */
import {dispose, tensor2d} from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {describeAllBackends} from './util/backends.js';
import {compareArrays, expectArraysClose, expectTensorClose, isClose, type Tolerance} from './util/close.js';
import {Random} from './util/random.js';

const TOLERANCE: Tolerance = {atol: 1e-3, rtol: 1e-2};

describe('the tolerance rule', () => {
  it('passes a value within the absolute OR the relative tolerance, and fails one outside both', () => {
    // Near zero only the absolute part can pass; for large values only the relative part can.
    expect(isClose(0.0009, 0, TOLERANCE), 'within atol of 0').to.equal(true);
    expect(isClose(1005, 1000, TOLERANCE), 'within rtol of 1000, 5 above atol').to.equal(true);
    expect(isClose(0.0011, 0, TOLERANCE), 'outside atol of 0').to.equal(false);
    expect(isClose(1011, 1000, TOLERANCE), 'outside rtol of 1000').to.equal(false);
  });

  it('matches NaN only with NaN and an infinity only with the same infinity', () => {
    const loose: Tolerance = {atol: Infinity, rtol: Infinity};
    expect(isClose(NaN, NaN, TOLERANCE)).to.equal(true);
    expect(isClose(NaN, 0, loose), 'NaN for 0').to.equal(false);
    expect(isClose(0, NaN, loose), '0 for NaN').to.equal(false);
    expect(isClose(Infinity, Infinity, TOLERANCE)).to.equal(true);
    expect(isClose(-Infinity, Infinity, loose), '-Infinity for Infinity').to.equal(false);
    expect(isClose(1e300, Infinity, loose), 'finite for Infinity').to.equal(false);
  });

  it('compareArrays counts failures and tells how much of the tolerance the worst element used', () => {
    const expected = [0, 1000, 2, NaN, Infinity];
    const got = [0.0005, 1002, 2.5, NaN, Infinity];
    const result = compareArrays(got, expected, TOLERANCE);
    expect(result.failures).to.equal(1);
    expect(result.firstFailures).to.deep.equal([2]);
    // 1002 passes on rtol, yet its error of 2 is still the largest.
    expect(result.largestError).to.equal(2);
    // Element 2 is allowed max(atol, rtol * 2) = 0.02 and is 0.5 off.
    expect(result.toleranceUsed).to.be.closeTo(0.5 / 0.02, 1e-9);
    const passing = compareArrays([0.0005, 1002], [0, 1000], TOLERANCE);
    // 0.0005 of atol 0.001 and 2 of rtol * 1000 = 10: the first is the worst.
    expect(passing.failures).to.equal(0);
    expect(passing.toleranceUsed).to.be.closeTo(0.5, 1e-9);
  });

  it('names the failing element by its multi-index, with expected and got', () => {
    expect(() =>
      expectArraysClose([1, 2, 3, 4, 5, 7], [1, 2, 3, 4, 5, 6], TOLERANCE, {what: 'grid', shape: [2, 3]}),
    ).to.throw(
      /grid: 1 of 6 elements not within atol 0\.001 or rtol 0\.01.*\n {2}\[1, 2\]: expected 6, got 7/,
    );
    expect(() => expectArraysClose([1, 2], [1, 2, 3], TOLERANCE, {what: 'short'})).to.throw(
      'short: expected 3 elements, got 2',
    );
  });
});

describeAllBackends('expectTensorClose', () => {
  it('checks a tensor against a tensor, nested arrays or flat data, shape first', async () => {
    const got = tensor2d([1, 2, 3, 4], [2, 2]);
    const same = tensor2d([1, 2, 3, 4.001], [2, 2]);
    const other = tensor2d([1, 2, 3, 5], [2, 2]);
    try {
      await expectTensorClose(got, same, TOLERANCE);
      await expectTensorClose(
        got,
        [
          [1, 2],
          [3, 4],
        ],
        TOLERANCE,
      );
      await expectTensorClose(got, [1, 2, 3, 4], TOLERANCE, {shape: [2, 2]});
      let error: unknown = null;
      await expectTensorClose(got, other, TOLERANCE, {what: 'other'}).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/other: 1 of 4 elements.*\[1, 1\]: expected 5, got 4/s);
      error = null;
      await expectTensorClose(got, [1, 2, 3, 4], TOLERANCE, {what: 'flat'}).catch(
        (e: unknown) => (error = e),
      );
      expect(String(error)).to.include('flat: expected shape [4], got [2, 2]');
    } finally {
      dispose([got, same, other]);
    }
  });
});

describe('the seeded generator', () => {
  it('gives the same numbers for the same seed and others for another seed', () => {
    const a = new Random(7).floats(16);
    expect(Array.from(new Random(7).floats(16))).to.deep.equal(Array.from(a));
    expect(Array.from(new Random(8).floats(16))).not.to.deep.equal(Array.from(a));
  });

  it('keeps every value in range', () => {
    const random = new Random(3);
    const floats = random.floats(1000, -0.5, 0.25);
    expect(floats.every((v) => v >= -0.5 && v <= 0.25)).to.equal(true);
    const ints = Array.from({length: 1000}, () => random.int(1, 9));
    expect(Math.min(...ints)).to.equal(1);
    expect(Math.max(...ints)).to.equal(9);
  });
});
