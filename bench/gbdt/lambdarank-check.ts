// Compares Loom's lambdarank objective and ndcg metric with LightGBM's CLI on LightGBM's own ranking example
// (examples/lambdarank: 3,005 training rows in 201 queries, 768 test rows in 50 queries, 300 libsvm features):
// both train with the same params, and the script prints test NDCG@1/3/5, how far apart the first trees and the raw
// scores are, and cross-loads the models (Loom's file predicted by LightGBM, LightGBM's read by Loom).
//
// The example data is never copied into the repo. Give its folder (rank.train, rank.train.query, rank.test,
// rank.test.query) as LIGHTGBM_RANK_DATA or the first argument, or a LightGBM git checkout as LIGHTGBM_REPO (the
// files are then read from its v4.6.0 tag with `git show`).
//
// Run: LIGHTGBM_BIN=/path/to/lightgbm LIGHTGBM_REPO=/path/to/LightGBM node --import tsx/esm bench/gbdt/lambdarank-check.ts
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GbdtModel } from '../../src/models/gbdt/gbdt-model.js';
import { readLightGbmModel } from '../../src/models/gbdt/io/read-lightgbm-model.js';
import { lightGbmBinary, readLightGbmPredictions, runLightGbm } from '../../src/models/gbdt/io/lightgbm-cli.js';
import { writeLightGbmModel } from '../../src/models/gbdt/io/write-lightgbm-model.js';
import { NdcgMetric } from '../../src/models/gbdt/metric/ranking-metrics.js';
import { predictBatch } from '../../src/models/gbdt/predict/predict-batch.js';
import { trainGbdt } from '../../src/models/gbdt/train-gbdt.js';

const FILES = ['rank.train', 'rank.train.query', 'rank.test', 'rank.test.query'] as const;

interface RankData {
  readonly columns: Float64Array[];
  readonly label: Float64Array;
  readonly group: number[];
}

/** A libsvm file as dense columns (absent entries are 0, as LightGBM reads sparse rows), with its .query sizes. */
function readLibsvm(path: string, numFeatures: number): RankData {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const columns = Array.from({ length: numFeatures }, () => new Float64Array(lines.length));
  const label = new Float64Array(lines.length);
  lines.forEach((line, i) => {
    const [y, ...pairs] = line.trim().split(/\s+/);
    label[i] = Number(y);
    for (const pair of pairs) {
      const [index, value] = pair.split(':');
      if (Number(index) < numFeatures) columns[Number(index)][i] = Number(value);
    }
  });
  const group = readFileSync(`${path}.query`, 'utf8').split('\n').filter((l) => l.trim() !== '').map(Number);
  return { columns, label, group };
}

function maxFeatureIndex(path: string): number {
  let max = -1;
  for (const m of readFileSync(path, 'utf8').matchAll(/(\d+):/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/** The folder holding the example files: LIGHTGBM_RANK_DATA / argv[2], or extracted from LIGHTGBM_REPO into `tmp`. */
function exampleData(tmp: string): string | null {
  const given = process.env.LIGHTGBM_RANK_DATA ?? process.argv[2];
  if (given !== undefined && given !== '' && FILES.every((f) => existsSync(join(given, f)))) return given;
  const repo = process.env.LIGHTGBM_REPO;
  if (repo === undefined || repo === '') return null;
  for (const f of FILES) writeFileSync(join(tmp, f), execFileSync('git', ['-C', repo, 'show', `v4.6.0:examples/lambdarank/${f}`], { maxBuffer: 1 << 26 }));
  return tmp;
}

function ndcgAt(k: number, score: Float64Array, data: RankData): number {
  const bounds = new Int32Array(data.group.length + 1);
  data.group.forEach((size, q) => (bounds[q + 1] = bounds[q] + size));
  return new NdcgMetric(k, 1, []).evaluate(score, data.label, null, bounds);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** How the first tree of two models compares: same split features and thresholds, largest leaf-value difference. */
function compareFirstTree(a: GbdtModel, b: GbdtModel): string {
  const [ta, tb] = [a.trees[0], b.trees[0]];
  if (ta.numLeaves !== tb.numLeaves) return `leaves differ (${ta.numLeaves} vs ${tb.numLeaves})`;
  let sameSplits = true;
  for (let n = 0; n < ta.numLeaves - 1; n++) {
    if (ta.splitFeature[n] !== tb.splitFeature[n] || Math.abs(ta.threshold[n] - tb.threshold[n]) > 1e-12) sameSplits = false;
  }
  return `${ta.numLeaves} leaves, splits ${sameSplits ? 'identical' : 'DIFFER'}, max |Δ leaf value| = ${maxAbsDiff(ta.leafValue.subarray(0, ta.numLeaves), tb.leafValue.subarray(0, tb.numLeaves)).toExponential(2)}`;
}

function firstDifferentTree(a: GbdtModel, b: GbdtModel): number {
  const n = Math.min(a.trees.length, b.trees.length);
  for (let t = 0; t < n; t++) {
    const [ta, tb] = [a.trees[t], b.trees[t]];
    if (ta.numLeaves !== tb.numLeaves) return t;
    for (let i = 0; i < ta.numLeaves - 1; i++) if (ta.splitFeature[i] !== tb.splitFeature[i] || ta.threshold[i] !== tb.threshold[i]) return t;
  }
  return n;
}

function run(bin: string, dataDir: string, work: string): void {
  const numFeatures = Math.max(maxFeatureIndex(join(dataDir, 'rank.train')), maxFeatureIndex(join(dataDir, 'rank.test'))) + 1;
  const train = readLibsvm(join(dataDir, 'rank.train'), numFeatures);
  const test = readLibsvm(join(dataDir, 'rank.test'), numFeatures);
  console.log(`data: ${train.label.length} training rows in ${train.group.length} queries, ${test.label.length} test rows in ${test.group.length} queries, ${numFeatures} features`);
  // LightGBM finds rank.train.query beside rank.train by itself.
  const base = { objective: 'lambdarank', metric: 'ndcg', eval_at: '1,3,5', num_iterations: 100, learning_rate: 0.1, num_leaves: 31, min_data_in_leaf: 50, min_sum_hessian_in_leaf: 5, max_bin: 255, feature_fraction: 1 };
  const variants: { name: string; params: Record<string, string | number> }[] = [
    { name: 'no bagging', params: { ...base, bagging_freq: 0 } },
    { name: 'train.conf (bagging 0.9 every iteration)', params: { ...base, bagging_freq: 1, bagging_fraction: 0.9 } },
    { name: 'lambdarank_norm=false, truncation 10', params: { ...base, bagging_freq: 0, lambdarank_norm: 'false', lambdarank_truncation_level: 10 } },
    // LightGBM's split search estimates a bin's row count as hessian × rows/Σhessian, Loom counts rows; with
    // min_data_in_leaf 0 that count no longer decides anything, which isolates the objective.
    { name: 'no bagging, min_data_in_leaf=0', params: { ...base, bagging_freq: 0, min_data_in_leaf: 0 } },
    { name: 'lambdarank_norm=false, truncation 10, min_data_in_leaf=0', params: { ...base, bagging_freq: 0, lambdarank_norm: 'false', lambdarank_truncation_level: 10, min_data_in_leaf: 0 } },
  ];
  const testMatrix = { columns: test.columns };
  for (const variant of variants) {
    console.log(`\n== ${variant.name} ==`);
    const lgbModelPath = join(work, 'lgb-model.txt');
    runLightGbm(bin, { task: 'train', data: join(dataDir, 'rank.train'), output_model: lgbModelPath, ...variant.params });
    const lgbOut = join(work, 'lgb-pred.txt');
    runLightGbm(bin, { task: 'predict', data: join(dataDir, 'rank.test'), input_model: lgbModelPath, output_result: lgbOut, predict_raw_score: 'true' });
    const lgbScore = readLightGbmPredictions(lgbOut);
    const lgbModel = readLightGbmModel(readFileSync(lgbModelPath, 'utf8'));

    const t0 = performance.now();
    const loomParams: Record<string, string | number> = { ...variant.params };
    delete loomParams.metric;
    const loom = trainGbdt({ columns: train.columns, label: train.label, group: train.group, featureNames: train.columns.map((_, f) => `Column_${f}`) }, loomParams);
    const seconds = (performance.now() - t0) / 1000;
    const loomScore = predictBatch(loom, testMatrix);
    const loomPath = join(work, 'loom-model.txt');
    writeFileSync(loomPath, writeLightGbmModel(loom));
    const crossOut = join(work, 'cross-pred.txt');
    runLightGbm(bin, { task: 'predict', data: join(dataDir, 'rank.test'), input_model: loomPath, output_result: crossOut, predict_raw_score: 'true' });

    for (const k of [1, 3, 5]) {
      const l = ndcgAt(k, lgbScore, test);
      const m = ndcgAt(k, loomScore, test);
      console.log(`test NDCG@${k}: LightGBM ${l.toFixed(6)}  Loom ${m.toFixed(6)}  Δ ${(m - l).toExponential(2)}`);
    }
    console.log(`first tree: ${compareFirstTree(loom, lgbModel)}`);
    console.log(`trees with identical structure before the first difference: ${firstDifferentTree(loom, lgbModel)} of ${lgbModel.trees.length}`);
    console.log(`test raw scores, max |Loom − LightGBM| = ${maxAbsDiff(loomScore, lgbScore).toExponential(2)}`);
    console.log(`Loom's model file predicted by LightGBM vs Loom: max |Δ| = ${maxAbsDiff(readLightGbmPredictions(crossOut), loomScore).toExponential(2)}`);
    console.log(`LightGBM's model file read by Loom (objective ${lgbModel.params.objective}) vs LightGBM: max |Δ| = ${maxAbsDiff(predictBatch(lgbModel, testMatrix), lgbScore).toExponential(2)}`);
    console.log(`Loom training time ${seconds.toFixed(2)} s`);
  }
}

function main(): void {
  const bin = lightGbmBinary();
  if (bin === null) {
    console.log('skipped: LightGBM not found (set LIGHTGBM_BIN)');
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'loom-lambdarank-'));
  try {
    const dataDir = exampleData(work);
    if (dataDir === null) {
      console.log('skipped: LightGBM ranking example not found (set LIGHTGBM_RANK_DATA to its folder or LIGHTGBM_REPO to a LightGBM checkout)');
      return;
    }
    run(bin, dataDir, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
