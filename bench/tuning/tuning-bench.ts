// Quality benchmark: TPE against random search tuning Loom's GBDT on UCI Adult (train 32,561 rows), each trial scored by
// stratified k-fold CV AUC; the best params of each study are then trained on the whole train split and scored on the
// official test split (16,281 rows). Median over seeds of: best CV AUC, test AUC of the best params, and wall time.
// Both samplers run the same study code (worker threads, persisted trials, tracked runs) with the same seeds and folds.
//
// Full settings (the issue's): --trials=40 --folds=5 --seeds=3 --iterations=200: about 27 min on 2 shared cores (see
// bench/RESULTS.md). Every knob is a flag, so smaller runs fit a laptop; the report says what a run used.
//
// Run: node --import tsx bench/tuning/tuning-bench.ts [--trials=40] [--folds=5] [--seeds=3] [--iterations=200]
//      [--parallel=2] [--pruner=none|median|asha] [--rows=N (subsample the train split, 0 = all)]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FloatColumn } from '../../src/core/frame/column.js';
import { Random } from '../../src/core/random.js';
import { predictBatch, trainGbdt } from '../../src/models/gbdt/index.js';
import { Workspace } from '../../src/storage/workspace.js';
import { runStudy } from '../../src/training/tuning/run-study.js';
import { TrialPool } from '../../src/training/tuning/trial-pool.js';
import { loadAdult } from '../../test/support/gbdt-datasets.js';

function flag(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

const TRIALS = Number(flag('trials', '40'));
const FOLDS = Number(flag('folds', '5'));
const SEEDS = Number(flag('seeds', '3'));
const ITERATIONS = Number(flag('iterations', '200'));
const PARALLEL = Number(flag('parallel', '2'));
const PRUNER = flag('pruner', 'none') as 'none';
const ROWS = Number(flag('rows', '0'));

/** The space a LightGBM user would search first. */
const SPACE = {
  objective: 'binary',
  num_iterations: ITERATIONS,
  learning_rate: { kind: 'log_uniform', low: 0.01, high: 0.3 },
  num_leaves: { kind: 'int', low: 4, high: 256, log: true },
  min_data_in_leaf: { kind: 'int', low: 5, high: 200, log: true },
  feature_fraction: { kind: 'uniform', low: 0.4, high: 1 },
  lambda_l2: { kind: 'log_uniform', low: 0.001, high: 10 },
};

/** AUC by the rank-sum statistic (ties share their average rank). */
function auc(p: ArrayLike<number>, y: ArrayLike<number>): number {
  const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && p[order[j + 1]] === p[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[order[k]] === 1) (rankSum += rank), pos++;
    i = j + 1;
  }
  const neg = order.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

const { train: fullTrain, test } = await loadAdult();
const train = ROWS > 0 && ROWS < fullTrain.length ? fullTrain.take(new Random(1).shuffle(Int32Array.from({ length: fullTrain.length }, (_, i) => i)).subarray(0, ROWS).sort()) : fullTrain;
const home = mkdtempSync(join(tmpdir(), 'loom-tuning-bench-'));
const ws = Workspace.open({ env: { LOOM_HOME: home } });
const testLabel = (test.column('income') as FloatColumn).values;
console.log(`Adult tuning: ${train.length} train rows, ${FOLDS}-fold CV AUC, ${TRIALS} trials, ${SEEDS} seeds, num_iterations ${ITERATIONS}, parallel ${PARALLEL}, pruner ${PRUNER}`);
const results: Record<string, { cv: number[]; test: number[]; seconds: number[] }> = { tpe: { cv: [], test: [], seconds: [] }, random: { cv: [], test: [], seconds: [] } };
try {
  for (let seed = 1; seed <= SEEDS; seed++) {
    for (const sampler of ['tpe', 'random'] as const) {
      const started = performance.now();
      const pool = new TrialPool(train, { target: 'income', metric: 'auc', folds: FOLDS, seed, objective: 'binary' }, PARALLEL);
      let result;
      try {
        result = await runStudy(ws, { study: `adult-${sampler}-${seed}`, space: SPACE, direction: 'maximize', trials: TRIALS, sampler, pruner: PRUNER, seed, metric: 'auc' }, pool);
      } finally {
        await pool.close();
      }
      const seconds = (performance.now() - started) / 1000;
      const model = trainGbdt(train, { ...result.bestParams!, seed, num_threads: 1 }, { label: 'income' });
      const testAuc = auc(predictBatch(model, test), testLabel);
      results[sampler].cv.push(result.bestValue!);
      results[sampler].test.push(testAuc);
      results[sampler].seconds.push(seconds);
      console.log(`  seed ${seed} ${sampler.padEnd(6)} best CV AUC ${result.bestValue!.toFixed(5)} (trial ${result.bestTrial})  test AUC ${testAuc.toFixed(5)}  ${seconds.toFixed(0)} s  ${JSON.stringify(result.bestParams)}`);
    }
  }
  console.log('median over seeds:');
  for (const [name, r] of Object.entries(results)) {
    console.log(`  ${name.padEnd(6)} best CV AUC ${median(r.cv).toFixed(5)}  test AUC ${median(r.test).toFixed(5)}  wall ${median(r.seconds).toFixed(0)} s`);
  }
  console.log(`  TPE − random: CV AUC ${(median(results.tpe.cv) - median(results.random.cv)).toFixed(5)}, test AUC ${(median(results.tpe.test) - median(results.random.test)).toFixed(5)}; TPE better on ${results.tpe.cv.filter((v, i) => v > results.random.cv[i]).length}/${SEEDS} seeds (CV)`);
} finally {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
}
