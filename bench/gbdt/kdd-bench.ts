// Benchmark: Loom's GBDT against LightGBM on KDD Cup 99 (10 %), multiclass, 23 classes, prepared exactly as
// ../shared/notes/lightgbm-anchor.md says: exact duplicate rows dropped (first kept, order kept: 145,586 rows), the
// label the index in the sorted list of the 23 label strings, protocol_type / service / flag coded by their sorted
// distinct values in the whole file (and declared categorical), other cells as written; row i of the de-duplicated
// file is test iff i % 5 == 0 (116,468 train / 29,118 test). 100 iterations, lr 0.1, num_leaves 31, max_bin 255,
// min_data_in_leaf 20, seed 42.
//
// Loom runs at its defaults. LightGBM runs twice: at its defaults (min_sum_hessian_in_leaf 1e-3), where it diverges,
// and "stabilised" with min_sum_hessian_in_leaf=1, the anchor's quality reference (test acc 0.999176, mlogloss
// 0.004062). Quality bar for Loom: test accuracy ≥ 0.999, a small finite multi_logloss, and the same model for 1 and
// 2 threads. Each Loom run is a fresh child process (cold JIT, own peak RSS); min / median over --runs.
//
// Run: LIGHTGBM_BIN=/path/to/lightgbm node --import tsx/esm bench/gbdt/kdd-bench.ts [--runs=3] [--threads=1,2]
// To profile one Loom run: --role=prepare --dir=<folder> writes the CSVs, then
// node --cpu-prof --import tsx/esm bench/gbdt/kdd-bench.ts --role=loom --dir=<folder> [--threads=1]
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DATASETS_DIR } from '../../test/support/gbdt-datasets.js';
import { benchTempDir, flag, loadAverage, numberFlag, printRunIdentity, printText, printTimings, readPreparedLabels, requireLightGbm, runLightGbmSide, runLoomRole, spawnLoomRuns, statOf, threadCounts, type LightGbmRun } from './bench-support.js';

const RUNS = numberFlag('runs', 3);
const NUM_CLASS = 23;
const CATEGORICAL = ['protocol_type', 'service', 'flag'];
const PARAMS = { objective: 'multiclass', num_class: NUM_CLASS, num_iterations: 100, learning_rate: 0.1, num_leaves: 31, max_bin: 255, min_data_in_leaf: 20, seed: 42, categorical_feature: CATEGORICAL };
const LIGHTGBM_CONF = [
  'task = train', 'boosting = gbdt', 'objective = multiclass', `num_class = ${NUM_CLASS}`, 'header = true', 'label_column = 0',
  `categorical_feature = name:${CATEGORICAL.join(',')}`, 'num_iterations = 100', 'learning_rate = 0.1', 'num_leaves = 31',
  'max_bin = 255', 'min_data_in_leaf = 20', 'seed = 42', 'data = kdd_dedup_train.csv',
];
/** The anchor's SHA-256 of the prepared de-duplicated file with all rows, abbreviated (first 8 … last 5 hex digits). */
const DEDUP_ALL_SHA256 = ['04c62ce0', '1179e'] as const;

/** Test accuracy (argmax) and multi_logloss (mean −ln p_true, p clipped at 1e-15) of row-major probabilities. */
function quality(p: Float64Array, y: Float64Array): Record<string, number> {
  let correct = 0;
  let logloss = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let k = 1; k < NUM_CLASS; k++) if (p[i * NUM_CLASS + k] > p[i * NUM_CLASS + best]) best = k;
    if (best === y[i]) correct++;
    logloss -= Math.log(Math.max(1e-15, p[i * NUM_CLASS + y[i]]));
  }
  return { accuracy: correct / y.length, logloss: logloss / y.length };
}

/** Writes kdd_dedup_train.csv and kdd_dedup_test.csv into `dir` and checks the preparation against the anchor. */
function prepareCsv(dir: string): { rows: number; train: number; test: number } {
  const lines = gunzipSync(readFileSync(join(DATASETS_DIR, 'kddcup99-10pct.csv.gz'))).toString('latin1').split('\n').filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const labelAt = header.indexOf('label');
  const featureAt = header.map((_, j) => j).filter((j) => j !== labelAt);
  const codesOf = (j: number): Map<string, number> => new Map([...new Set(rows.map((r) => r[j]))].sort().map((v, code) => [v, code]));
  const labels = codesOf(labelAt);
  if (labels.size !== NUM_CLASS) throw new Error(`expected ${NUM_CLASS} labels, found ${labels.size}`);
  const categories = new Map(CATEGORICAL.map((name) => [header.indexOf(name), codesOf(header.indexOf(name))]));
  const seen = new Set<string>();
  const kept: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const raw = lines[i + 1];
    if (seen.has(raw)) continue;
    seen.add(raw);
    const r = rows[i];
    kept.push([labels.get(r[labelAt]), ...featureAt.map((j) => (categories.has(j) ? categories.get(j)!.get(r[j]) : r[j]))].join(','));
  }
  const head = ['label', ...featureAt.map((j) => header[j])].join(',');
  const digest = createHash('sha256').update(head + '\n' + kept.join('\n') + '\n').digest('hex');
  if (kept.length !== 145_586 || !digest.startsWith(DEDUP_ALL_SHA256[0]) || !digest.endsWith(DEDUP_ALL_SHA256[1])) {
    throw new Error(`de-duplicated KDD differs from the anchor's: ${kept.length} rows, SHA-256 ${digest}`);
  }
  const test = kept.filter((_, i) => i % 5 === 0);
  const train = kept.filter((_, i) => i % 5 !== 0);
  writeFileSync(join(dir, 'kdd_dedup_train.csv'), head + '\n' + train.join('\n') + '\n');
  writeFileSync(join(dir, 'kdd_dedup_test.csv'), head + '\n' + test.join('\n') + '\n');
  return { rows: kept.length, train: train.length, test: test.length };
}

function runPeer(bin: string, dir: string, threads: number, extra: Record<string, string | number>): { runs: LightGbmRun[]; quality: Record<string, number> } {
  const test = join(dir, 'kdd_dedup_test.csv');
  const side = runLightGbmSide(bin, dir, LIGHTGBM_CONF, { ...extra, num_threads: threads }, RUNS, test);
  return { runs: side.runs, quality: quality(side.predictions, readPreparedLabels(test)) };
}

function qualityText(q: Record<string, number>): string {
  return `${q.accuracy.toFixed(6)} / ${q.logloss.toFixed(6)}`;
}

async function main(): Promise<void> {
  const bin = requireLightGbm();
  const dir = benchTempDir('kdd');
  try {
    const sizes = prepareCsv(dir);
    console.log(`KDD Cup 99 10 %, de-duplicated: ${sizes.rows} rows (SHA-256 as in the anchor) → ${sizes.train} train / ${sizes.test} test`);
    const hashes: string[] = [];
    for (const threads of threadCounts()) {
      console.log(`\nload average before: ${loadAverage()}`);
      const loom = spawnLoomRuns(import.meta.filename, dir, threads, RUNS);
      const stabilised = runPeer(bin, dir, threads, { min_sum_hessian_in_leaf: 1 });
      const defaults = runPeer(bin, dir, threads, {});
      console.log(`load average after: ${loadAverage()}`);
      console.log(`KDD99 dedup, multiclass 23 classes, 100 iterations, ${threads} thread(s) (${RUNS} runs; min / median)`);
      console.log('  LightGBM columns: with min_sum_hessian_in_leaf=1 (the anchor\'s stabilised config)');
      printTimings(loom, stabilised.runs, 'LightGBM, stabilised');
      const loopAtDefaults = statOf(defaults.runs, (r) => r.trainLoop);
      printText('LightGBM at defaults: loop (s)', '', `${loopAtDefaults.min.toFixed(3)} / ${loopAtDefaults.median.toFixed(3)} s`);
      printText('test accuracy / multi_logloss', qualityText(loom[0].quality), qualityText(stabilised.quality), `LightGBM at defaults: ${qualityText(defaults.quality)}`);
      printRunIdentity(loom);
      hashes.push(loom[0].predictionHash);
    }
    if (hashes.length > 1) console.log(`\nLoom's test predictions identical for threads ${threadCounts().join(' and ')}: ${new Set(hashes).size === 1}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (flag('role') === 'prepare') {
  console.log(prepareCsv(flag('dir')!));
} else if (flag('role') === 'loom') {
  await runLoomRole('kdd_dedup_train.csv', 'kdd_dedup_test.csv', PARAMS, quality);
} else {
  await main();
}
