// Benchmark: exact TreeSHAP contributions, Loom's treeShap against LightGBM's CLI `predict_contrib`, on one model and
// the same rows. LightGBM's CLI trains Adult (100 iterations, the anchor's params); Loom reads that model file
// (readLightGbmModel) and explains the 16,281 prepared test rows in memory.
//
// LightGBM's time is its predict_contrib run minus a plain predict run of the same file, so starting the process and
// reading the CSV cancel out. Writing 15 numbers per row instead of 1 stays in it. It runs at 1 and 2 threads. Loom's
// time is treeShap in this process: on one thread the first call (cold JIT) and the min / median of --runs more,
// then the same on 2 threads (numThreads: 2, a worker started per call).
//
// Also checked: Loom's contributions against LightGBM's (the largest |Δ| over every row and feature, and over the
// bias), and local accuracy (each row's contributions sum to its raw score).
//
// Run: LIGHTGBM_BIN=/path/to/lightgbm node --import tsx/esm bench/gbdt/shap-bench.ts [--runs=3]
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readLightGbmModel } from '../../src/models/gbdt/io/index.js';
import { predictBatch } from '../../src/models/gbdt/predict/predict-batch.js';
import { treeShap } from '../../src/models/gbdt/shap/index.js';
import { readLightGbmPredictions } from '../../src/models/gbdt/io/lightgbm-cli.js';
import { ADULT_LIGHTGBM_CONF, benchTempDir, loadAverage, minMedian, numberFlag, readPreparedCsv, requireLightGbm, timeLightGbmTrain, writePreparedAdult } from './bench-support.js';

const RUNS = numberFlag('runs', 3);
const ITERATIONS = 100;

/** Wall seconds of one LightGBM CLI predict of `data` with `model`, contributions or plain; the output goes to `out`. */
function timeLightGbmPredict(bin: string, dir: string, model: string, data: string, out: string, threads: number, contrib: boolean): number {
  const start = performance.now();
  const run = spawnSync(bin, ['task=predict', `data=${data}`, 'header=true', 'label_column=0', `input_model=${model}`, `output_result=${out}`, `num_threads=${threads}`, `predict_contrib=${contrib}`], { cwd: dir, encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`LightGBM predict failed:\n${(run.stdout + run.stderr).slice(-2000)}`);
  return seconds;
}

async function main(): Promise<void> {
  const bin = requireLightGbm();
  const dir = benchTempDir('shap');
  try {
    await writePreparedAdult(dir);
    const modelPath = join(dir, 'model.txt');
    timeLightGbmTrain(bin, dir, ADULT_LIGHTGBM_CONF, { num_iterations: ITERATIONS, num_threads: 1, output_model: modelPath });
    const test = join(dir, 'adult_test.csv');
    const contribPath = join(dir, 'contrib.txt');
    console.log(`TreeSHAP on Adult: LightGBM's ${ITERATIONS}-iteration model, 16,281 test rows; load average ${loadAverage()}`);

    // LightGBM: contributions minus plain prediction, alternating, per thread count.
    const peer = new Map<number, number[]>();
    for (const threads of [1, 2]) {
      const seconds: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const contrib = timeLightGbmPredict(bin, dir, modelPath, test, contribPath, threads, true);
        const plain = timeLightGbmPredict(bin, dir, modelPath, test, join(dir, 'plain.txt'), threads, false);
        seconds.push(contrib - plain);
      }
      peer.set(threads, seconds);
    }
    const expected = readLightGbmPredictions(contribPath);

    // Loom: the same model file, the same rows, in memory.
    const model = readLightGbmModel(readFileSync(modelPath, 'utf8'));
    const csv = readPreparedCsv(test);
    const data = { columns: csv.columns, featureNames: csv.names };
    const width = model.features.length + 1;
    const out = new Float64Array(csv.label.length * width);
    let start = performance.now();
    treeShap(model, data, out, { numThreads: 1 });
    const cold = (performance.now() - start) / 1000;
    const ours = new Map<number, number[]>();
    for (const threads of [1, 2]) {
      const seconds: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        start = performance.now();
        treeShap(model, data, out, { numThreads: threads });
        seconds.push((performance.now() - start) / 1000);
      }
      ours.set(threads, seconds);
    }

    // Agreement with LightGBM, and local accuracy against Loom's own raw scores.
    if (expected.length !== out.length) throw new Error(`LightGBM wrote ${expected.length} contributions, Loom ${out.length}`);
    let maxDelta = 0;
    let maxBiasDelta = 0;
    for (let i = 0; i < out.length; i++) {
      const delta = Math.abs(out[i] - expected[i]);
      if (i % width === width - 1) maxBiasDelta = Math.max(maxBiasDelta, delta);
      else maxDelta = Math.max(maxDelta, delta);
    }
    const raw = predictBatch(model, data, undefined, { rawScore: true });
    let maxSumError = 0;
    for (let row = 0; row < raw.length; row++) {
      let sum = 0;
      for (let f = 0; f < width; f++) sum += out[row * width + f];
      maxSumError = Math.max(maxSumError, Math.abs(sum - raw[row]));
    }

    const rows = csv.label.length;
    const loom = new Map([...ours].map(([threads, seconds]) => [threads, minMedian(seconds)]));
    const line = (label: string, s: { min: number; median: number }, ratio: string): void => console.log(`  ${label.padEnd(38)} ${s.min.toFixed(3)} / ${s.median.toFixed(3)}`.padEnd(67) + `${((s.median / rows) * 1e6).toFixed(0).padStart(5)}        ${ratio}`);
    console.log(`${''.padEnd(41)}seconds (min / median)     µs per row   LightGBM / Loom`);
    console.log(`  ${'Loom treeShap, 1 thread, first call'.padEnd(38)} ${cold.toFixed(3)}`.padEnd(67) + `${((cold / rows) * 1e6).toFixed(0).padStart(5)}`);
    for (const threads of [1, 2]) {
      line(`Loom treeShap, ${threads} thread(s)`, loom.get(threads)!, '');
      const s = minMedian(peer.get(threads)!);
      line(`LightGBM predict_contrib, ${threads} thread(s)`, s, `${(s.median / loom.get(threads)!.median).toFixed(2)}×`);
    }
    console.log(`  largest |Δ| against LightGBM: contributions ${maxDelta.toExponential(2)}, bias ${maxBiasDelta.toExponential(2)}`);
    console.log(`  largest |Σ contributions − raw score|: ${maxSumError.toExponential(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
