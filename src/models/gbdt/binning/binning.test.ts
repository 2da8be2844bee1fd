import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MISSING_NAN, MISSING_NONE, valueToBin } from './bin-mapper.js';
import { binFeatures, sampleRows } from './bin-features.js';
import { findCategoricalBins } from './find-categorical-bins.js';
import { findNumericalBins, ZERO_THRESHOLD } from './find-numerical-bins.js';
import { nextUp } from './next-up.js';

const OPTIONS = { maxBin: 255, minDataInBin: 3, useMissing: true, filterCount: 0 };

test('nextUp is the next double', () => {
  assert.equal(nextUp(1), 1 + Number.EPSILON);
  assert.equal(nextUp(4.5), 4.500000000000001);
  assert.equal(nextUp(-1), -1 + Number.EPSILON / 2);
  assert.equal(nextUp(0), Number.MIN_VALUE);
});

test('few distinct values: a bin every min_data_in_bin rows, bounds one ulp above mid-points, zero bin first', () => {
  const mapper = findNumericalBins(Float64Array.from({ length: 10 }, (_, i) => i + 1), OPTIONS);
  assert.equal(mapper.kind, 'numerical');
  assert.equal(mapper.missingType, MISSING_NONE);
  assert.deepEqual(Array.from(mapper.upperBounds), [ZERO_THRESHOLD, nextUp(3.5), nextUp(6.5), nextUp(9.5), Infinity]);
  assert.deepEqual([0, 1, 3, 3.5, 4, 9.5, 10, 1e9, Number.NaN].map((v) => valueToBin(mapper, v)), [0, 1, 1, 1, 2, 3, 4, 4, 0]);
  assert.equal(mapper.defaultBin, 0);
});

test('negative, zero and positive values get separate ranges around the zero bin', () => {
  const mapper = findNumericalBins(Float64Array.of(-2, -2, -2, -1, -1, -1, 0, 0, 0, 0, 5, 5, 5, 6, 6, 6), { ...OPTIONS, minDataInBin: 1 });
  assert.deepEqual(Array.from(mapper.upperBounds), [nextUp(-1.5), -ZERO_THRESHOLD, ZERO_THRESHOLD, nextUp(5.5), Infinity]);
  assert.deepEqual([-2, -1, 0, 5, 6].map((v) => valueToBin(mapper, v)), [0, 1, 2, 3, 4]);
  assert.equal(mapper.defaultBin, 2);
});

test('missing values get the last bin of their own', () => {
  const sample = Float64Array.from([1, 2, 3, 4, 5, 6, Number.NaN, Number.NaN]);
  const mapper = findNumericalBins(sample, OPTIONS);
  assert.equal(mapper.missingType, MISSING_NAN);
  assert.equal(mapper.numBins, 4);
  assert.ok(Number.isNaN(mapper.upperBounds[3]));
  assert.equal(valueToBin(mapper, Number.NaN), 3);
  assert.equal(valueToBin(mapper, 6), 2);
  const off = findNumericalBins(sample, { ...OPTIONS, useMissing: false });
  assert.equal(off.missingType, MISSING_NONE);
  assert.equal(valueToBin(off, Number.NaN), valueToBin(off, 0));
});

test('many distinct values: max_bin bins of about equal counts (greedy quantiles)', () => {
  const mapper = findNumericalBins(Float64Array.from({ length: 1000 }, (_, i) => i + 1), { ...OPTIONS, maxBin: 10 });
  assert.equal(mapper.numBins, 10);
  assert.equal(mapper.upperBounds[1], nextUp(112.5));
  const counts = new Array(10).fill(0);
  for (let v = 1; v <= 1000; v++) counts[valueToBin(mapper, v)]++;
  assert.equal(counts[0], 0);
  for (const c of counts.slice(1)) assert.ok(c >= 110 && c <= 113, String(counts));
});

test('categorical bins: most frequent first, rare categories and missing share bin 0', () => {
  const sample = Float64Array.from([...Array(5).fill(0), ...Array(10).fill(1), ...Array(3).fill(2), 3, Number.NaN, Number.NaN, -1]);
  const mapper = findCategoricalBins(sample, OPTIONS);
  assert.equal(mapper.kind, 'categorical');
  assert.deepEqual(Array.from(mapper.binToCategory), [-1, 1, 0, 2]);
  assert.equal(mapper.missingType, MISSING_NAN);
  assert.deepEqual([1, 0, 2, 3, 99, -1, Number.NaN, 2.7].map((v) => valueToBin(mapper, v)), [1, 2, 3, 0, 0, 0, 0, 3]);
  const full = findCategoricalBins(Float64Array.from([0, 0, 0, 1, 1, 1]), OPTIONS);
  assert.equal(full.missingType, MISSING_NONE);
  assert.equal(full.numBins, 3);
});

test('binFeatures stores bins column-major as Uint8Array and marks unsplittable features trivial', () => {
  const x = Float64Array.from({ length: 40 }, (_, i) => i);
  const constant = new Float64Array(40).fill(7);
  const cat = Int32Array.from({ length: 40 }, (_, i) => i % 3);
  const data = binFeatures(
    { numRows: 40, columns: [{ values: x, validity: null }, { values: constant, validity: null }, { values: cat, validity: null }], names: ['x', 'c', 'k'], categorical: [false, false, true], dictionaries: [null, null, null] },
    { maxBin: 255, minDataInBin: 3, binConstructSampleCnt: 200000, dataRandomSeed: 1, useMissing: true, featurePreFilter: true, minDataInLeaf: 5 },
  );
  assert.ok(data.bins[0] instanceof Uint8Array);
  assert.equal(data.bins[0].length, 40);
  assert.equal(data.mappers[1].isTrivial, true);
  assert.deepEqual(Array.from(data.usedFeatures), [0, 2]);
  assert.equal(data.histOffsets[1], -1);
  assert.equal(data.histOffsets[2], data.mappers[0].numBins);
  assert.equal(data.totalBins, data.mappers[0].numBins + data.mappers[2].numBins);
  assert.deepEqual(Array.from(data.bins[2].subarray(0, 6)), [1, 2, 3, 1, 2, 3].map((_, i) => data.mappers[2].categoryToBin.get(i % 3)!));
});

test('sampleRows draws the asked count, ascending, the same for the same seed', () => {
  const a = sampleRows(1000, 100, 5);
  const b = sampleRows(1000, 100, 5);
  assert.equal(a.length, 100);
  assert.deepEqual(a, b);
  for (let i = 1; i < a.length; i++) assert.ok(a[i] > a[i - 1]);
  assert.notDeepEqual(sampleRows(1000, 100, 6), a);
  assert.deepEqual(Array.from(sampleRows(3, 100, 5)), [0, 1, 2]);
});
