// Benchmark: one leaf's histogram build on 2 threads (HistogramThreads) against the same build on the calling thread
// alone, in-process, on seeded random bins shaped like the synthetic set (800,000 rows × 28 features × 255 bins).
// The leaf is a seeded random share of the rows (--share, default 0.1, in row order as the learner keeps them).
// Builds alternate between the two sides in rounds of 20; it prints the median and minimum per build and the ratio.
//
// Run: node --import tsx/esm bench/gbdt/histogram-threads-bench.ts [--share=0.1] [--rounds=10]
import { HistogramThreads } from '../../src/models/gbdt/histogram/histogram-threads.js';
import { HistogramWorkspace } from '../../src/models/gbdt/histogram/histogram-workspace.js';
import { Random } from '../../src/core/random.js';
import { numberFlag } from './bench-support.js';

const ROWS = 800_000;
const FEATURES = 28;
const BINS = 255;
const BUILDS_PER_ROUND = 20;

const rng = new Random(7);
const random = (): number => rng.nextFloat();
const bins = Array.from({ length: FEATURES }, () => Uint8Array.from({ length: ROWS }, () => Math.floor(random() * BINS)));
const columns = { bins, histOffsets: Int32Array.from({ length: FEATURES }, (_, f) => f * BINS), numBins: new Int32Array(FEATURES).fill(BINS), totalBins: FEATURES * BINS };
const used = Int32Array.from({ length: FEATURES }, (_, f) => f);
const grad = Float64Array.from({ length: ROWS }, () => random() - 0.5);
const hess = Float64Array.from({ length: ROWS }, () => random());
const share = numberFlag('share', 0.1);
const leaf: number[] = [];
for (let r = 0; r < ROWS; r++) if (random() < share) leaf.push(r);

const workspace = HistogramWorkspace.create(columns, used, ROWS, 4);
if (workspace === null) throw new Error('WebAssembly is not available');
for (let r = 0; r < ROWS; r++) workspace.indices[r] = r;
workspace.indices.set(leaf);
workspace.loadGradients(grad, hess);
const pairsAt = workspace.gather(0, leaf.length, false);
const threads = HistogramThreads.start(workspace, 2);
try {
  // Let the worker start serving.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const times: Record<'two' | 'one', number[]> = { two: [], one: [] };
  for (let round = 0; round < numberFlag('rounds', 10); round++) {
    let start = performance.now();
    for (let b = 0; b < BUILDS_PER_ROUND; b++) {
      workspace.units.set(used);
      threads.build(FEATURES, 0, leaf.length, 0, pairsAt);
    }
    times.two.push((performance.now() - start) / BUILDS_PER_ROUND);
    start = performance.now();
    for (let b = 0; b < BUILDS_PER_ROUND; b++) {
      workspace.units.set(used);
      workspace.build(0, FEATURES, 0, leaf.length, 0, pairsAt);
    }
    times.one.push((performance.now() - start) / BUILDS_PER_ROUND);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`leaf of ${leaf.length} rows (share ${share}) × ${FEATURES} features × ${BINS} bins; ms per build, median (min)`);
  console.log(`2 threads: ${median(times.two).toFixed(3)} (${Math.min(...times.two).toFixed(3)})`);
  console.log(`1 thread:  ${median(times.one).toFixed(3)} (${Math.min(...times.one).toFixed(3)})`);
  console.log(`speed-up of 2 threads (median): ${(median(times.one) / median(times.two)).toFixed(2)}×`);
} finally {
  threads.close();
}
