// Benchmark: Loom's GBDT against LightGBM on California housing, prepared as ../shared/notes/lightgbm-anchor.md says:
// the 8 raw features unchanged, label medianHouseValue / 100000, data row i (0-based) test iff i % 5 == 0 (16,512
// train / 4,128 test); regression (L2), 500 iterations, lr 0.05, num_leaves 31, max_bin 255, min_data_in_leaf 20,
// seed 42. Quality bar: Loom's test RMSE ≤ 0.46 and ≤ LightGBM's + 0.005 (LightGBM 4.6.0: 0.44651 in the anchor).
//
// Each Loom run is a fresh child process (cold JIT, own peak RSS) reading the same prepared CSV as LightGBM;
// min / median over --runs.
//
// Run: LIGHTGBM_BIN=/path/to/lightgbm node --import tsx/esm bench/gbdt/california-bench.ts [--runs=3] [--threads=1,2]
// To profile one Loom run: --role=prepare --dir=<folder> writes the CSVs, then
// node --cpu-prof --import tsx/esm bench/gbdt/california-bench.ts --role=loom --dir=<folder> [--threads=1]
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeLightGbmCsv } from '../../src/models/gbdt/io/lightgbm-cli.js';
import { DATASETS_DIR } from '../../test/support/gbdt-datasets.js';
import { benchTempDir, flag, loadAverage, numberFlag, printRunIdentity, printText, printTimings, readPreparedLabels, requireLightGbm, runLightGbmSide, runLoomRole, spawnLoomRuns, threadCounts } from './bench-support.js';

const RUNS = numberFlag('runs', 3);
const PARAMS = { objective: 'regression', num_iterations: 500, learning_rate: 0.05, num_leaves: 31, max_bin: 255, min_data_in_leaf: 20, seed: 42 };
const LIGHTGBM_CONF = ['task = train', 'boosting = gbdt', 'objective = regression', 'data = cal_train.csv', 'header = true', 'label_column = 0', 'num_iterations = 500', 'learning_rate = 0.05', 'num_leaves = 31', 'max_bin = 255', 'min_data_in_leaf = 20', 'seed = 42'];
/** The bar: RMSE at most this, and at most LightGBM's (same run) plus RMSE_SLACK. */
const RMSE_LIMIT = 0.46;
const RMSE_SLACK = 0.005;

function quality(p: Float64Array, y: Float64Array): Record<string, number> {
  let squares = 0;
  let absolute = 0;
  for (let i = 0; i < y.length; i++) {
    squares += (p[i] - y[i]) ** 2;
    absolute += Math.abs(p[i] - y[i]);
  }
  return { rmse: Math.sqrt(squares / y.length), mae: absolute / y.length };
}

/** Writes cal_train.csv and cal_test.csv (label first, then the 8 raw features) into `dir`. */
function prepareCsv(dir: string): { train: number; test: number } {
  const lines = gunzipSync(readFileSync(join(DATASETS_DIR, 'california-housing.csv.gz'))).toString('latin1').split('\n').filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const target = header.indexOf('medianHouseValue');
  const features = header.map((_, j) => j).filter((j) => j !== target);
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  const sizes = { train: 0, test: 0 };
  for (const part of ['train', 'test'] as const) {
    const picked = rows.filter((_, i) => (i % 5 === 0) === (part === 'test'));
    sizes[part] = picked.length;
    writeLightGbmCsv(join(dir, `cal_${part}.csv`), features.map((j) => header[j]), picked.map((r) => r[target] / 100000), features.map((j) => picked.map((r) => r[j])));
  }
  return sizes;
}

async function main(): Promise<void> {
  const bin = requireLightGbm();
  const dir = benchTempDir('california');
  try {
    const sizes = prepareCsv(dir);
    console.log(`California housing: ${sizes.train} train / ${sizes.test} test rows`);
    const y = readPreparedLabels(join(dir, 'cal_test.csv'));
    for (const threads of threadCounts()) {
      console.log(`\nload average before: ${loadAverage()}`);
      const loom = spawnLoomRuns(import.meta.filename, dir, threads, RUNS);
      const peer = runLightGbmSide(bin, dir, LIGHTGBM_CONF, { num_threads: threads }, RUNS, join(dir, 'cal_test.csv'));
      const peerQuality = quality(peer.predictions, y);
      console.log(`load average after: ${loadAverage()}`);
      console.log(`California housing, regression, 500 iterations, lr 0.05, ${threads} thread(s) (${RUNS} runs; min / median)`);
      printTimings(loom, peer.runs, 'LightGBM (this run)');
      const q = loom[0].quality;
      const pass = q.rmse <= RMSE_LIMIT && q.rmse <= peerQuality.rmse + RMSE_SLACK;
      printText('test RMSE / MAE ($100k)', `${q.rmse.toFixed(6)} / ${q.mae.toFixed(6)}`, `${peerQuality.rmse.toFixed(6)} / ${peerQuality.mae.toFixed(6)}`, `ΔRMSE ${(q.rmse - peerQuality.rmse).toFixed(6)}; bar (≤ ${RMSE_LIMIT} and ≤ LightGBM + ${RMSE_SLACK}) ${pass ? 'met' : 'MISSED'}`);
      printRunIdentity(loom);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (flag('role') === 'prepare') console.log(prepareCsv(flag('dir')!));
else if (flag('role') === 'loom') await runLoomRole('cal_train.csv', 'cal_test.csv', PARAMS, quality);
else await main();
