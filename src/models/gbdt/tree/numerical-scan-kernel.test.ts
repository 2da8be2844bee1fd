import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MISSING_NAN, MISSING_NONE, type BinMapper } from '../binning/bin-mapper.js';
import { webAssemblyApi } from '../wasm/assembler.js';
import { findNumericalSplit } from './find-numerical-split.js';
import { NumericalScan } from './numerical-scan-kernel.js';
import { SplitCandidate } from './split-candidate.js';
import type { SplitRules } from './split-rules.js';

function numerical(numBins: number, missingType: number): BinMapper {
  return { kind: 'numerical', numBins, missingType, upperBounds: Float64Array.from({ length: numBins }, (_, b) => b + 0.5), binToCategory: new Int32Array(0), categoryToBin: new Map(), isTrivial: false, defaultBin: 0, minValue: 0, maxValue: numBins - 1 } as BinMapper;
}

function rules(l1: number, l2: number, minDataInLeaf: number, minSumHessianInLeaf: number, minGainToSplit: number): SplitRules {
  const reg = { l1, l2, maxDeltaStep: 0 };
  return { ...reg, minDataInLeaf, minSumHessianInLeaf, minGainToSplit, constrained: false, catL2: 10, catSmooth: 10, maxCatThreshold: 32, maxCatToOnehot: 4, minDataPerGroup: 100, categorical: reg };
}

const FIELDS = ['gain', 'thresholdBin', 'defaultLeft', 'leftG', 'leftH', 'leftCount', 'rightG', 'rightH', 'rightCount', 'leftOutput', 'rightOutput'] as const;

test('the WebAssembly threshold scan finds the same split, bit for bit, as the JavaScript scan', () => {
  const wasm = webAssemblyApi();
  assert.ok(wasm !== null);
  const memory = new wasm.Memory({ initial: 1, maximum: 1, shared: true });
  const scan = new NumericalScan(wasm, memory, 1, 0);
  let state = 17;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  let splits = 0;
  let skippedSides = 0;
  for (let trial = 0; trial < 400; trial++) {
    const numBins = 2 + Math.floor(next() * 60);
    const mapper = numerical(numBins, trial % 3 === 0 ? MISSING_NAN : MISSING_NONE);
    // The feature's bins start at bin 3 of the memory's histogram, after 3 bins of other data.
    const hist = new Float64Array(memory.buffer, 0, 3 * (numBins + 3) + 16).subarray(16);
    hist.fill(0);
    let sumG = 0, sumH = 0, count = 0;
    for (let b = 0; b < numBins; b++) {
      const c = next() < 0.2 ? 0 : Math.floor(next() * 40);
      const g = c === 0 ? 0 : (next() - 0.45) * c;
      const h = c === 0 ? 0 : next() * c * 0.3;
      hist.set([g, h, c], 3 * (3 + b));
      sumG += g;
      sumH += h;
      count += c;
    }
    // Every tenth trial needs more rows per side than some features have, so no threshold qualifies.
    const r = rules(trial % 4 === 1 ? 0.5 : 0, trial % 5 === 2 ? 1 : 0, trial % 10 === 0 ? 400 : 1 + (trial % 25), trial % 7 === 3 ? 2 : 1e-3, trial % 11 === 4 ? 0.1 : 0);
    const js = new SplitCandidate(4);
    const viaWasm = new SplitCandidate(4);
    const a = findNumericalSplit(hist.slice(), 3, mapper, sumG, sumH, count, r, -Infinity, Infinity, 0, js);
    const b = findNumericalSplit(hist, 3, mapper, sumG, sumH, count, r, -Infinity, Infinity, 0, viaWasm, scan);
    assert.equal(b, a, `trial ${trial}: splittable`);
    for (const field of FIELDS) assert.ok(Object.is(viaWasm[field], js[field]), `trial ${trial}: ${field} ${viaWasm[field]} vs ${js[field]}`);
    if (a && js.gain > 0) splits++;
    if (!a) skippedSides++;
  }
  // Both outcomes occur, so the comparison covered found and not-found scans.
  assert.ok(splits > 100 && skippedSides > 20, `${splits} splits, ${skippedSides} without`);
});
