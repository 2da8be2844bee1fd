// Benchmark: Loom's GBDT against LightGBM on UCI Adult (train 32,561 → test 16,281 rows), binary, LightGBM's default
// params (num_leaves 31, learning_rate 0.1, max_bin 255, min_data_in_leaf 20, categorical columns native), 100 and 500
// iterations, one thread (or --threads=N, LightGBM too). Data prepared exactly as ../shared/notes/lightgbm-anchor.md says.
//
// Each run is a fresh child process (cold JIT, like a LightGBM CLI run), so its peak RSS (VmHWM, read right after
// training) is its own. The child then times prediction of the anchor's 1M-row file in memory. Three runs
// per configuration; min / median are printed. When a LightGBM CLI is on PATH or in LIGHTGBM_BIN it runs in the same
// run on the same prepared data; otherwise the anchor's figures (measured on this machine) are the reference.
//
// Run: node --import tsx bench/gbdt/adult-bench.ts [--runs=3] [--threads=1]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 3);
const THREADS = Number(process.argv.find((a) => a.startsWith('--threads='))?.slice('--threads='.length) ?? 1);
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
  /** Loading the prepared data and binning it, seconds. */
  readonly load: number;
  readonly peakRssMb: number;
  readonly auc: number;
  readonly accuracy: number;
}

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

/** Child: one cold Loom run. Prints one JSON line of Figures (wall is measured by the parent). */
async function runLoom(iterations: number): Promise<void> {
  const { loadAdult } = await import('../../test/support/gbdt-datasets.js');
  const { trainGbdt, predictBatch } = await import('../../src/models/gbdt/index.js');
  const { readTrainingData } = await import('../../src/models/gbdt/data/training-data.js');
  const { binFeatures } = await import('../../src/models/gbdt/binning/bin-features.js');
  const { AucMetric } = await import('../../src/models/gbdt/metric/auc-metric.js');
  const t0 = performance.now();
  const { train, test } = await loadAdult();
  const t1 = performance.now();
  // Binning on its own, to split trainGbdt's time into dataset construction and the boosting loop.
  const read = readTrainingData(train, { label: 'income' }, [], 'training', null);
  binFeatures(read.matrix, { maxBin: 255, minDataInBin: 3, binConstructSampleCnt: 200000, dataRandomSeed: 1, useMissing: true, featurePreFilter: true, minDataInLeaf: 20 });
  const t2 = performance.now();
  const model = trainGbdt(train, { ...PARAMS, num_iterations: iterations }, { label: 'income' });
  const t3 = performance.now();
  const rssAfterTraining = peakRssMb();
  const p = predictBatch(model, test);
  const income = test.column('income');
  if (income.type !== 'float') throw new Error('income must be a float column');
  let correct = 0;
  for (let i = 0; i < p.length; i++) if ((p[i] > 0.5 ? 1 : 0) === income.values[i]) correct++;
  // Prediction throughput on the anchor's 1M-row file (row k = test row k % 16281), in memory (no CSV parsing), and
  // the single-row serving path's latency.
  const { predictRow } = await import('../../src/models/gbdt/index.js');
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
  const singles = 100_000;
  for (let k = 0; k < singles; k++) {
    for (let f = 0; f < columns.length; f++) row[f] = columns[f][k];
    predictRow(model, row, one);
  }
  const t6 = performance.now();
  const binning = (t2 - t1) / 1000;
  const figures = {
    side: 'Loom',
    wall: 0,
    trainLoop: (t3 - t2) / 1000 - binning,
    load: (t1 - t0) / 1000 + binning,
    peakRssMb: rssAfterTraining,
    auc: new AucMetric().evaluate(p, income.values, null),
    accuracy: correct / p.length,
  } satisfies Figures;
  console.log(JSON.stringify({ ...figures, trainGbdt: (t3 - t2) / 1000, binning, readFrames: (t1 - t0) / 1000, predictRowsPerSecond: million / ((t5 - t4) / 1000), singleRowMicros: ((t6 - t5) * 1000) / singles, afterModel: (performance.now() - t3) / 1000 }));
}

interface LoomExtras {
  readonly trainGbdt: number;
  readonly predictRowsPerSecond: number;
  readonly singleRowMicros: number;
  readonly binning: number;
  readonly readFrames: number;
}

function spawnLoom(iterations: number): Figures & LoomExtras {
  const start = performance.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, `--role=loom`, `--iterations=${iterations}`, `--threads=${THREADS}`], { encoding: 'utf8' });
  const wall = (performance.now() - start) / 1000;
  const figures = JSON.parse(out.trim().split('\n').pop()!) as Figures & LoomExtras & { afterModel: number };
  // Whole process up to the trained model, like a LightGBM CLI train run; the prediction measurements after it are left out.
  return { ...figures, wall: wall - figures.afterModel };
}

function findLightGbm(): string | null {
  if (process.env.LIGHTGBM_BIN && existsSync(process.env.LIGHTGBM_BIN)) return process.env.LIGHTGBM_BIN;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && existsSync(join(dir, 'lightgbm'))) return join(dir, 'lightgbm');
  return null;
}

/** Writes the anchor's prepared CSVs (label first, then the 14 features with categorical codes) for the LightGBM CLI. */
async function prepareCsv(dir: string): Promise<void> {
  const { loadAdult } = await import('../../test/support/gbdt-datasets.js');
  const { train, test } = await loadAdult();
  for (const [name, frame] of [['train', train], ['test', test]] as const) {
    const features = frame.columns.filter((c) => c.name !== 'income');
    const income = frame.column('income');
    const lines = ['income,' + features.map((c) => c.name).join(',')];
    for (let i = 0; i < frame.length; i++) {
      const cells = [income.type === 'float' ? String(income.values[i]) : ''];
      for (const c of features) cells.push(c.type === 'category' ? String(c.codes[i]) : c.type === 'float' || c.type === 'int' ? String(c.values[i]) : '');
      lines.push(cells.join(','));
    }
    writeFileSync(join(dir, `adult_${name}.csv`), lines.join('\n') + '\n');
  }
}

function runLightGbm(bin: string, dir: string, iterations: number): Figures {
  const model = join(dir, `model_${iterations}.txt`);
  const conf = join(dir, 'train.conf');
  writeFileSync(conf, [
    'task = train', 'boosting = gbdt', 'objective = binary', `data = ${join(dir, 'adult_train.csv')}`, 'header = true', 'label_column = 0',
    'categorical_feature = name:workclass,education,marital-status,occupation,relationship,race,sex,native-country',
    'learning_rate = 0.1', 'num_leaves = 31', 'max_bin = 255', 'min_data_in_leaf = 20', 'seed = 42',
  ].join('\n'));
  const start = performance.now();
  const run = spawnSync('/usr/bin/time', ['-v', bin, `config=${conf}`, `num_iterations=${iterations}`, `num_threads=${THREADS}`, `output_model=${model}`], { encoding: 'utf8', cwd: dir });
  const wall = (performance.now() - start) / 1000;
  const log = run.stdout + run.stderr;
  // LightGBM logs "N seconds elapsed, finished iteration i" after every iteration; the last one is the whole loop.
  const trainLoop = Number([...log.matchAll(/([\d.]+) seconds elapsed, finished iteration \d+/g)].at(-1)?.[1] ?? NaN);
  const load = Number(/Finished loading data in ([\d.]+) seconds/.exec(log)?.[1] ?? NaN);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(log)?.[1] ?? NaN) / 1024;
  const result = join(dir, `pred_${iterations}.txt`);
  spawnSync(bin, ['task=predict', `data=${join(dir, 'adult_test.csv')}`, 'header=true', 'label_column=0', `input_model=${model}`, `output_result=${result}`, 'num_threads=1'], { cwd: dir });
  const p = Float64Array.from(readFileSync(result, 'utf8').trim().split('\n').map(Number));
  const y = Float64Array.from(readFileSync(join(dir, 'adult_test.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.slice(0, l.indexOf(',')))));
  let correct = 0;
  for (let i = 0; i < p.length; i++) if ((p[i] > 0.5 ? 1 : 0) === y[i]) correct++;
  return { side: 'LightGBM (this run)', wall, trainLoop, load, peakRssMb: rss, auc: aucOf(p, y), accuracy: correct / p.length };
}

function aucOf(p: Float64Array, y: Float64Array): number {
  const order = Int32Array.from(p.keys()).sort((a, b) => p[b] - p[a]);
  let accum = 0, sumPos = 0, curPos = 0, curNeg = 0, threshold = p[order[0]];
  for (const i of order) {
    if (p[i] !== threshold) {
      threshold = p[i];
      accum += curNeg * (curPos * 0.5 + sumPos);
      sumPos += curPos;
      curPos = curNeg = 0;
    }
    if (y[i] > 0) curPos++;
    else curNeg++;
  }
  accum += curNeg * (curPos * 0.5 + sumPos);
  sumPos += curPos;
  return accum / (sumPos * (p.length - sumPos));
}

function summarize(runs: readonly Figures[]): { min: Figures; median: Figures } {
  const pick = (q: 'min' | 'median'): Figures => {
    const stat = (key: 'wall' | 'trainLoop' | 'load' | 'peakRssMb'): number => {
      const sorted = runs.map((r) => r[key]).sort((a, b) => a - b);
      return q === 'min' ? sorted[0] : sorted[Math.floor(sorted.length / 2)];
    };
    return { ...runs[0], wall: stat('wall'), trainLoop: stat('trainLoop'), load: stat('load'), peakRssMb: stat('peakRssMb') };
  };
  return { min: pick('min'), median: pick('median') };
}

async function main(): Promise<void> {
  const bin = findLightGbm();
  const dir = bin === null ? null : mkdtempSync(join(tmpdir(), 'loom-bench-lgbm-'));
  if (bin === null) console.log('LightGBM: skipped: LightGBM not found (set LIGHTGBM_BIN); using the anchor figures measured on this machine.');
  else await prepareCsv(dir!);
  try {
    for (const iterations of ITERATIONS) {
      const runs = Array.from({ length: RUNS }, () => spawnLoom(iterations));
      const ours = summarize(runs);
      const peer = bin === null ? { min: ANCHOR[iterations], median: ANCHOR[iterations] } : summarize(Array.from({ length: RUNS }, () => runLightGbm(bin, dir!, iterations)));
      console.log(`\nAdult binary, ${iterations} iterations, ${THREADS} thread(s) (${RUNS} runs; min / median)`);
      const row = (label: string, a: number, b: number, c: number, d: number, unit: string, digits = 3): void => {
        console.log(`  ${label.padEnd(30)} ${`${a.toFixed(digits)} / ${b.toFixed(digits)} ${unit}`.padEnd(22)} ${`${c.toFixed(digits)} / ${d.toFixed(digits)} ${unit}`.padEnd(22)} ratio ${(b / d).toFixed(2)}×`);
      };
      console.log(`  ${''.padEnd(30)} ${'Loom'.padEnd(22)} ${peer.min.side.padEnd(22)}`);
      row('boosting loop', ours.min.trainLoop, ours.median.trainLoop, peer.min.trainLoop, peer.median.trainLoop, 's');
      row('load + binning', ours.min.load, ours.median.load, peer.min.load, peer.median.load, 's');
      const part = (key: 'binning' | 'readFrames'): [number, number] => {
        const sorted = runs.map((r) => r[key]).sort((a, b) => a - b);
        return [sorted[0], sorted[Math.floor(sorted.length / 2)]];
      };
      const [readMin, readMedian] = part('readFrames');
      const [binMin, binMedian] = part('binning');
      console.log(`  ${'  of which DuckDB read'.padEnd(30)} ${`${readMin.toFixed(3)} / ${readMedian.toFixed(3)} s`.padEnd(22)}`);
      console.log(`  ${'  of which binning'.padEnd(30)} ${`${binMin.toFixed(3)} / ${binMedian.toFixed(3)} s`.padEnd(22)}`);
      row('whole process', ours.min.wall, ours.median.wall, peer.min.wall, peer.median.wall, 's');
      row('peak RSS (after training)', ours.min.peakRssMb, ours.median.peakRssMb, peer.min.peakRssMb, peer.median.peakRssMb, 'MiB', 0);
      const rate = runs.map((r) => r.predictRowsPerSecond).sort((a, b) => b - a);
      const latency = runs.map((r) => r.singleRowMicros).sort((a, b) => a - b);
      const peerRate = iterations === 100 ? 216_500 : 53_000;
      console.log(`  ${'predict 1M rows (rows/s)'.padEnd(30)} ${`${Math.round(rate[0])} / ${Math.round(rate[Math.floor(rate.length / 2)])}`.padEnd(22)} ${`${peerRate} (anchor CLI, incl. CSV)`.padEnd(22)} ratio ${(rate[Math.floor(rate.length / 2)] / peerRate).toFixed(2)}×`);
      console.log(`  ${'single-row predict (µs/row)'.padEnd(30)} ${`${latency[0].toFixed(2)} / ${latency[Math.floor(latency.length / 2)].toFixed(2)}`.padEnd(22)}`);
      console.log(`  ${'test AUC / accuracy'.padEnd(30)} ${`${ours.min.auc.toFixed(5)} / ${ours.min.accuracy.toFixed(5)}`.padEnd(22)} ${`${peer.min.auc.toFixed(5)} / ${peer.min.accuracy.toFixed(5)}`.padEnd(22)} ΔAUC ${(ours.min.auc - peer.min.auc).toFixed(5)}`);
    }
  } finally {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  }
}

if (role === 'loom') await runLoom(Number(process.argv.find((a) => a.startsWith('--iterations='))!.slice('--iterations='.length)));
else await main();
