// Benchmark: Loom's GBDT against LightGBM on the anchor's seeded HIGGS-shaped data (synthetic-data.ts): train on rows
// 0…799,999 (28 numeric features), score the 200,000-row holdout; binary, 100 iterations, num_leaves 255, lr 0.1,
// max_bin 255, min_data_in_leaf 20, seed 42 (../shared/notes/lightgbm-anchor.md, conf/synth_train.conf); 1 and 2
// threads. Targets: Loom's training time ≤ 1.5× LightGBM's and its peak RSS ≤ 2× LightGBM's (about 410 MiB).
//
// Both sides read the same prepared CSV: LightGBM with its CLI, Loom in a fresh child process per run (cold JIT, its
// own peak RSS) that parses the CSV into typed arrays and calls trainGbdt. Min / median over --runs.
//
// Run: LIGHTGBM_BIN=/path/to/lightgbm node --import tsx/esm bench/gbdt/synthetic-bench.ts [--runs=3] [--threads=1,2]
import { rmSync } from 'node:fs';
import { accuracyOf, aucOf, benchTempDir, flag, loadAverage, numberFlag, printRunIdentity, printText, printTimings, readPreparedLabels, requireLightGbm, runLightGbmSide, runLoomRole, spawnLoomRuns, threadCounts } from './bench-support.js';
import { writeSyntheticCsv } from './synthetic-data.js';

const RUNS = numberFlag('runs', 3);
const PARAMS = { objective: 'binary', num_iterations: 100, learning_rate: 0.1, num_leaves: 255, max_bin: 255, min_data_in_leaf: 20, seed: 42 };
const LIGHTGBM_CONF = ['task = train', 'boosting = gbdt', 'objective = binary', 'data = synth_train.csv', 'header = true', 'label_column = 0', 'num_iterations = 100', 'learning_rate = 0.1', 'num_leaves = 255', 'max_bin = 255', 'min_data_in_leaf = 20', 'seed = 42'];
/** LightGBM 4.6.0's holdout AUC in the anchor (the same for 1 and 2 threads). */
const ANCHOR_AUC = 0.920564;

function quality(p: Float64Array, y: Float64Array): Record<string, number> {
  let logloss = 0;
  for (let i = 0; i < p.length; i++) logloss -= Math.log(Math.min(1 - 1e-15, Math.max(1e-15, y[i] > 0 ? p[i] : 1 - p[i])));
  return { auc: aucOf(p, y), accuracy: accuracyOf(p, y), logloss: logloss / p.length };
}

async function main(): Promise<void> {
  const bin = requireLightGbm();
  const dir = benchTempDir('synthetic');
  try {
    const files = writeSyntheticCsv(dir);
    console.log(`synthetic data: ${files.trainPositives} / ${files.allPositives} positives, check values and SHA-256 as in the anchor`);
    const y = readPreparedLabels(files.holdoutPath);
    for (const threads of threadCounts()) {
      console.log(`\nload average before: ${loadAverage()}`);
      const loom = spawnLoomRuns(import.meta.filename, dir, threads, RUNS);
      const peer = runLightGbmSide(bin, dir, LIGHTGBM_CONF, { num_threads: threads }, RUNS, files.holdoutPath);
      const peerQuality = quality(peer.predictions, y);
      console.log(`load average after: ${loadAverage()}`);
      console.log(`Synthetic 800k × 28 → 200k holdout, binary, 100 iterations, 255 leaves, ${threads} thread(s) (${RUNS} runs; min / median)`);
      printTimings(loom, peer.runs, 'LightGBM (this run)');
      const q = loom[0].quality;
      printText('holdout AUC / accuracy', `${q.auc.toFixed(6)} / ${q.accuracy.toFixed(6)}`, `${peerQuality.auc.toFixed(6)} / ${peerQuality.accuracy.toFixed(6)}`, `ΔAUC ${(q.auc - peerQuality.auc).toFixed(6)} (anchor LightGBM ${ANCHOR_AUC})`);
      printText('holdout logloss', q.logloss.toFixed(6), peerQuality.logloss.toFixed(6));
      printRunIdentity(loom);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (flag('role') === 'loom') await runLoomRole('synth_train.csv', 'synth_test.csv', PARAMS, quality);
else await main();
