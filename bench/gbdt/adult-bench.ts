// Benchmark: Loom's GBDT against LightGBM on UCI Adult (train 32,561 → test 16,281 rows), binary, LightGBM's default
// params (num_leaves 31, learning_rate 0.1, max_bin 255, min_data_in_leaf 20, categorical columns native), 100 and 500
// iterations, one thread (or --threads=N, or a list such as --threads=1,2; LightGBM too). Data prepared exactly as ../shared/notes/lightgbm-anchor.md says.
//
// Each run is a fresh child process (cold JIT, like a LightGBM CLI run), so its peak RSS (VmHWM, read right after
// training) is its own. The child then times prediction of the anchor's 1M-row file in memory. Three runs
// per configuration; min / median are printed. When a LightGBM CLI is on PATH or in LIGHTGBM_BIN it runs in the same
// run on the same prepared data; otherwise the anchor's figures (measured on this machine) are the reference.
//
// With --valid, both train with the test set as a validation set, evaluated (binary_logloss) after every iteration,
// as early stopping needs: the boosting loop then includes scoring the test set tree by tree.
//
// Run: node --import tsx/esm bench/gbdt/adult-bench.ts [--runs=3] [--threads=1,2] [--valid]
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ADULT_LIGHTGBM_CONF, aucOf, accuracyOf, benchTempDir, findLightGbm, flag, lightGbmPredict, numberFlag, printHeader, printRow, printText, readPreparedLabels, spawnLoomChild, statOf, threadCounts, timeLightGbmTrain, writePreparedAdult } from './bench-support.js';

const role = flag('role');
const RUNS = numberFlag('runs', 3);
/** A child (--role=loom) trains on one thread count; the parent runs each of the listed ones. */
const THREADS = role === 'loom' ? numberFlag('threads', 1) : 0;
const VALID = process.argv.includes('--valid');
const ITERATIONS = [100, 500] as const;
const PARAMS = { objective: 'binary', learning_rate: 0.1, num_leaves: 31, max_bin: 255, min_data_in_leaf: 20, seed: 42, num_threads: THREADS };

/** LightGBM v4.6.0 CLI, 1 thread, on this machine (../shared/notes/lightgbm-anchor.md): median seconds, MiB, AUC. */
const ANCHOR: Record<number, Figures> = {
  100: { side: 'LightGBM 4.6.0 (anchor)', wall: 0.326, trainLoop: 0.233, load: 0.058, peakRssMb: 40, auc: 0.92758, accuracy: 0.87255 },
  500: { side: 'LightGBM 4.6.0 (anchor)', wall: 0.981, trainLoop: 0.875, load: 0.057, peakRssMb: 40, auc: 0.92374, accuracy: 0.86979 },
};

interface Figures {
  readonly side: string;
  /** Whole process, seconds. */
  readonly wall: number;
  /** Boosting loop only, seconds. */
  readonly trainLoop: number;
  /** Loading the prepared data and binning it (Loom: also setting up the objective and the tree learner), seconds. */
  readonly load: number;
  readonly peakRssMb: number;
  readonly auc: number;
  readonly accuracy: number;
}

/** Child: one cold Loom run. Prints one JSON line of Figures and extras (wall is measured by the parent). */
async function runLoom(iterations: number): Promise<void> {
  const { loadAdult } = await import('../../test/support/gbdt-datasets.js');
  const { predictBatch, predictRow } = await import('../../src/models/gbdt/index.js');
  const { trainTimed } = await import('./bench-support.js');
  const t0 = performance.now();
  const { train, test } = await loadAdult();
  const readFrames = (performance.now() - t0) / 1000;
  const trained = trainTimed(train, { ...PARAMS, num_iterations: iterations }, { label: 'income', ...(VALID ? { validSets: [{ name: 'test', data: test }] } : {}) });
  const t3 = performance.now();
  const model = trained.model;
  const p = predictBatch(model, test);
  const income = test.column('income');
  if (income.type !== 'float') throw new Error('income must be a float column');
  // Prediction throughput on the anchor's 1M-row file (row k = test row k % 16281), in memory (no CSV parsing), and
  // the single-row serving path's latency.
  const million = 1_000_000;
  const columns = model.features.map((feature) => {
    const column = test.column(feature.name);
    const source = column.type === 'category' ? column.codes : column.type === 'float' ? column.values : null;
    if (source === null) throw new Error(`unexpected column type ${column.type}`);
    const out = new Float64Array(million);
    for (let k = 0; k < million; k++) out[k] = source[k % source.length];
    return out;
  });
  const t4 = performance.now();
  predictBatch(model, { columns });
  const t5 = performance.now();
  const row = new Float64Array(columns.length);
  const one = new Float64Array(1);
  // One row first, as a server warms a model when it loads it: the single-row code is generated then, not timed here.
  predictRow(model, row, one);
  const t5Warm = performance.now();
  const singles = 100_000;
  for (let k = 0; k < singles; k++) {
    for (let f = 0; f < columns.length; f++) row[f] = columns[f][k];
    predictRow(model, row, one);
  }
  const t6 = performance.now();
  const report: Figures & LoomExtras = {
    side: 'Loom',
    wall: 0,
    trainLoop: trained.trainLoop,
    load: readFrames + trained.outsideLoop,
    peakRssMb: trained.peakRssMb,
    auc: aucOf(p, income.values),
    accuracy: accuracyOf(p, income.values),
    trainGbdt: trained.trainGbdt,
    outsideLoop: trained.outsideLoop,
    readFrames,
    predictRowsPerSecond: million / ((t5 - t4) / 1000),
    singleRowMicros: ((t6 - t5Warm) * 1000) / singles,
    afterModel: (performance.now() - t3) / 1000,
  };
  console.log(JSON.stringify(report));
}

interface LoomExtras {
  readonly trainGbdt: number;
  readonly predictRowsPerSecond: number;
  readonly singleRowMicros: number;
  readonly outsideLoop: number;
  readonly readFrames: number;
  readonly afterModel: number;
}

function runLightGbm(bin: string, dir: string, iterations: number, threads: number): Figures {
  const model = join(dir, `model_${iterations}.txt`);
  const run = timeLightGbmTrain(bin, dir, VALID ? [...ADULT_LIGHTGBM_CONF, 'valid_data = adult_test.csv', 'metric = binary_logloss', 'metric_freq = 1'] : ADULT_LIGHTGBM_CONF, { num_iterations: iterations, num_threads: threads, output_model: model });
  const test = join(dir, 'adult_test.csv');
  const p = lightGbmPredict(bin, dir, model, test, 1);
  const y = readPreparedLabels(test);
  return { side: 'LightGBM (this run)', wall: run.wall, trainLoop: run.trainLoop, load: run.load, peakRssMb: run.peakRssMb, auc: aucOf(p, y), accuracy: accuracyOf(p, y) };
}

type Stat = { min: number; median: number };

async function main(): Promise<void> {
  const bin = findLightGbm();
  const dir = bin === null ? null : benchTempDir('adult');
  if (bin === null) console.log('LightGBM: skipped: LightGBM not found (set LIGHTGBM_BIN); using the anchor figures measured on this machine.');
  else await writePreparedAdult(dir!);
  try {
    for (const threads of threadCounts('1')) for (const iterations of ITERATIONS) {
      const runs = Array.from({ length: RUNS }, () => spawnLoomChild<Figures & LoomExtras>(import.meta.filename, [`--iterations=${iterations}`, `--threads=${threads}`, ...(VALID ? ['--valid'] : [])]));
      const peerRuns = bin === null ? [ANCHOR[iterations]] : Array.from({ length: RUNS }, () => runLightGbm(bin, dir!, iterations, threads));
      const ours = (pick: (r: Figures & LoomExtras) => number): Stat => statOf(runs, pick);
      const peer = (pick: (r: Figures) => number): Stat => statOf(peerRuns, pick);
      console.log(`\nAdult binary, ${iterations} iterations, ${threads} thread(s)${VALID ? ', test set as validation set' : ''} (${RUNS} runs; min / median)`);
      printHeader(peerRuns[0].side);
      printRow('boosting loop', ours((r) => r.trainLoop), peer((r) => r.trainLoop), 's');
      printRow('load, binning, setup', ours((r) => r.load), peer((r) => r.load), 's');
      printRow('  of which DuckDB read', ours((r) => r.readFrames), null, 's');
      printRow('  of which binning, setup', ours((r) => r.outsideLoop), null, 's');
      printRow('whole process', ours((r) => r.wall), peer((r) => r.wall), 's');
      printRow('peak RSS (after training)', ours((r) => r.peakRssMb), peer((r) => r.peakRssMb), 'MiB', 0);
      const rate = ours((r) => -r.predictRowsPerSecond);
      const peerRate = iterations === 100 ? 216_500 : 53_000;
      printText('predict 1M rows (rows/s)', `${Math.round(-rate.min)} / ${Math.round(-rate.median)}`, `${peerRate} (anchor CLI, incl. CSV)`, `ratio ${(-rate.median / peerRate).toFixed(2)}×`);
      const latency = ours((r) => r.singleRowMicros);
      printText('single-row predict (µs/row)', `${latency.min.toFixed(2)} / ${latency.median.toFixed(2)}`);
      printText('test AUC / accuracy', `${runs[0].auc.toFixed(5)} / ${runs[0].accuracy.toFixed(5)}`, `${peerRuns[0].auc.toFixed(5)} / ${peerRuns[0].accuracy.toFixed(5)}`, `ΔAUC ${(runs[0].auc - peerRuns[0].auc).toFixed(5)}`);
    }
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
}

if (role === 'loom') await runLoom(numberFlag('iterations', 100));
else await main();
