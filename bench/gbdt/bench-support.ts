// What the GBDT benchmarks against LightGBM share: command-line flags, child processes for cold Loom runs, timed
// LightGBM CLI runs (wall, train loop, load, peak RSS), reading the prepared CSVs, quality metrics, min / median, and
// the comparison table lines. Each bench (adult, synthetic, kdd, california) keeps only its data and params.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Frame } from '../../src/core/frame/frame.js';
import type { GbdtMatrix } from '../../src/models/gbdt/data/gbdt-matrix.js';
import type { GbdtModel } from '../../src/models/gbdt/gbdt-model.js';
import { readLightGbmPredictions } from '../../src/models/gbdt/io/lightgbm-cli.js';
import { trainGbdt, type TrainGbdtOptions } from '../../src/models/gbdt/train-gbdt.js';

/** The value of `--name=value` on the command line, or undefined. */
export function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

/** A numeric `--name=value` flag, or `fallback` when absent; exits with a message when the value is not a number. */
export function numberFlag(name: string, fallback: number): number {
  const value = flag(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    process.stderr.write(`--${name}=${value} is not a number; give one number, e.g. --${name}=${fallback}\n`);
    process.exit(2);
  }
  return n;
}

/** The LightGBM CLI from LIGHTGBM_BIN, else `lightgbm` on PATH, else null. */
export function findLightGbm(): string | null {
  if (process.env.LIGHTGBM_BIN && existsSync(process.env.LIGHTGBM_BIN)) return process.env.LIGHTGBM_BIN;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && existsSync(join(dir, 'lightgbm'))) return join(dir, 'lightgbm');
  return null;
}

/** A fresh temporary folder for prepared CSVs and models, `<tmpdir>/loom-bench-<tag>-XXXXXX`; never in the repo. */
export function benchTempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `loom-bench-${tag}-`));
}

/** This process's peak resident set (VmHWM) so far, MiB. */
export function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

/** The 1-, 5- and 15-minute load averages, for stating how busy the machine was. */
export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(', ');
}

/** What every Loom child prints as its last stdout line (plus its own extra fields). */
export interface LoomChildReport {
  /** Seconds the child spent after the model was trained (evaluation, extra measurements); left out of `wall`. */
  readonly afterModel: number;
}

/**
 * Runs `script --role=loom ...args` in a fresh Node process (cold JIT, its own peak RSS) and parses the JSON on its
 * last stdout line. `wall` is the whole process up to the trained model: measured wall minus the child's `afterModel`.
 */
export function spawnLoomChild<T extends LoomChildReport>(script: string, args: readonly string[]): T & { wall: number } {
  const start = performance.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx/esm', script, '--role=loom', ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  const wall = (performance.now() - start) / 1000;
  const report = JSON.parse(out.trim().split('\n').pop()!) as T;
  return { ...report, wall: wall - report.afterModel };
}

/** One timed LightGBM CLI training run. */
export interface LightGbmRun {
  /** Whole process, seconds. */
  readonly wall: number;
  /** LightGBM's last "N seconds elapsed, finished iteration i": the boosting loop, after loading. */
  readonly trainLoop: number;
  /** "Finished loading data in N seconds": parsing and binning. */
  readonly load: number;
  /** Maximum resident set size from /usr/bin/time -v, MiB. */
  readonly peakRssMb: number;
  readonly log: string;
}

/**
 * Writes `conf` (config-file lines) to `dir` and runs `time -v lightgbm config=… key=value…` in `dir`.
 * @throws Error when LightGBM exits with an error.
 */
export function timeLightGbmTrain(bin: string, dir: string, conf: readonly string[], args: Readonly<Record<string, string | number>>): LightGbmRun {
  const confPath = join(dir, 'train.conf');
  writeFileSync(confPath, conf.join('\n') + '\n');
  const argv = [`config=${confPath}`, ...Object.entries(args).map(([k, v]) => `${k}=${v}`)];
  const start = performance.now();
  const run = spawnSync('/usr/bin/time', ['-v', bin, ...argv], { encoding: 'utf8', cwd: dir, maxBuffer: 1 << 26 });
  const wall = (performance.now() - start) / 1000;
  const log = run.stdout + run.stderr;
  if (run.status !== 0) throw new Error(`LightGBM failed (exit ${run.status}):\n${log.slice(-2000)}`);
  const trainLoop = Number([...log.matchAll(/([\d.]+) seconds elapsed, finished iteration \d+/g)].at(-1)?.[1] ?? NaN);
  const load = Number(/Finished loading data in ([\d.]+) seconds/.exec(log)?.[1] ?? NaN);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(log)?.[1] ?? NaN) / 1024;
  return { wall, trainLoop, load, peakRssMb: rss, log };
}

/** LightGBM's predictions of the prepared CSV `data` with `model`: row-major, numOutputs per row. */
export function lightGbmPredict(bin: string, dir: string, model: string, data: string, threads: number): Float64Array {
  const result = join(dir, 'prediction.txt');
  const run = spawnSync(bin, ['task=predict', `data=${data}`, 'header=true', 'label_column=0', `input_model=${model}`, `output_result=${result}`, `num_threads=${threads}`], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`LightGBM predict failed:\n${(run.stdout + run.stderr).slice(-2000)}`);
  return readLightGbmPredictions(result);
}

/** A prepared CSV (header, label in column 0, then the features) as typed arrays. Empty cells and `nan` are NaN. */
export interface PreparedCsv {
  readonly names: string[];
  readonly label: Float64Array;
  readonly columns: Float64Array[];
}

/**
 * Reads a prepared CSV in 8 MiB chunks into one Float64Array per column (two passes: count the rows, then parse), so
 * the whole text is never held in memory at once.
 */
export function readPreparedCsv(path: string): PreparedCsv {
  let names: string[] = [];
  let rows = -1;
  forEachLine(path, (line) => {
    if (rows < 0) names = line.split(',');
    rows++;
  });
  const width = names.length;
  const columns = Array.from({ length: width }, () => new Float64Array(rows));
  let row = -1;
  forEachLine(path, (line) => {
    if (row >= 0) {
      let start = 0;
      for (let c = 0; c < width; c++) {
        let end = line.indexOf(',', start);
        if (end < 0) end = line.length;
        columns[c][row] = end === start ? Number.NaN : Number(line.slice(start, end));
        start = end + 1;
      }
    }
    row++;
  });
  return { names: names.slice(1), label: columns[0], columns: columns.slice(1) };
}

/** Just the label column (column 0) of a prepared CSV. */
export function readPreparedLabels(path: string): Float64Array {
  const labels: number[] = [];
  let header = true;
  forEachLine(path, (line) => {
    if (header) header = false;
    else labels.push(Number(line.slice(0, line.indexOf(','))));
  });
  return Float64Array.from(labels);
}

function forEachLine(path: string, onLine: (line: string) => void): void {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1 << 23);
  let carry = '';
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      const text = carry + buffer.toString('latin1', 0, read);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (nl > start) onLine(text.slice(start, nl));
        start = nl + 1;
      }
      carry = text.slice(start);
    }
    if (carry.length > 0) onLine(carry);
  } finally {
    closeSync(fd);
  }
}

/** Rank AUC of scores `p` against 0/1 labels `y`, ties sharing their average rank. */
export function aucOf(p: ArrayLike<number>, y: ArrayLike<number>): number {
  const order = Int32Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b] - p[a]);
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

/** Share of 0/1 labels `y` matched by p > 0.5. */
export function accuracyOf(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < p.length; i++) if ((p[i] > 0.5 ? 1 : 0) === y[i]) correct++;
  return correct / p.length;
}

/** Minimum and median (upper median for an even count) of `values`. */
export function minMedian(values: readonly number[]): { min: number; median: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}

/** Min / median of one numeric field over runs. */
export function statOf<T>(runs: readonly T[], pick: (run: T) => number): { min: number; median: number } {
  return minMedian(runs.map(pick));
}

/** Column widths of the comparison tables. */
const LABEL_WIDTH = 34;
const CELL_WIDTH = 24;

/** The header line of a Loom-vs-peer table. */
export function printHeader(peer: string): void {
  console.log(`  ${''.padEnd(LABEL_WIDTH)} ${'Loom (min / median)'.padEnd(CELL_WIDTH)} ${`${peer} (min / median)`}`);
}

/** One comparison line: Loom's and the peer's min / median and the ratio of medians (Loom / peer). */
export function printRow(label: string, ours: { min: number; median: number }, peer: { min: number; median: number } | null, unit: string, digits = 3): void {
  const cell = (s: { min: number; median: number }): string => `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} ${unit}`.padEnd(CELL_WIDTH);
  const tail = peer === null ? '' : `${cell(peer)} ratio ${(ours.median / peer.median).toFixed(2)}×`;
  console.log(`  ${label.padEnd(LABEL_WIDTH)} ${cell(ours)} ${tail}`);
}

/** A free-text comparison line (quality figures and the like). */
export function printText(label: string, ours: string, peer = '', note = ''): void {
  console.log(`  ${label.padEnd(LABEL_WIDTH)} ${ours.padEnd(CELL_WIDTH)} ${peer.padEnd(CELL_WIDTH)} ${note}`.trimEnd());
}

/** A Loom training timed by phase, in the child process. */
export interface TimedTraining {
  readonly model: GbdtModel;
  /** trainGbdt as a whole (reading the input, binning, setting up, the boosting loop, making the model), seconds. */
  readonly trainGbdt: number;
  /**
   * The boosting loop as Loom reports it (IterationEvent.seconds of the last iteration): the figure LightGBM's CLI logs
   * as "… seconds elapsed, finished iteration N", which leaves out loading, binning and its GBDT::Init.
   */
  readonly trainLoop: number;
  /** trainGbdt − trainLoop: reading the input, binning, the objective's and the tree learner's setup, the model. */
  readonly outsideLoop: number;
  /** Peak RSS right after training, before anything else is allocated, MiB. */
  readonly peakRssMb: number;
}

/** Trains with `trainGbdt` and splits its time into the boosting loop, as the loop reports it, and the rest. */
export function trainTimed(data: Frame | GbdtMatrix, params: Readonly<Record<string, unknown>>, options: TrainGbdtOptions = {}): TimedTraining {
  let trainLoop = 0;
  const t0 = performance.now();
  const model = trainGbdt(data, params, {
    ...options,
    onIteration: (event) => {
      trainLoop = event.seconds;
      return options.onIteration?.(event);
    },
  });
  const trainGbdtSeconds = (performance.now() - t0) / 1000;
  const rss = peakRssMb();
  return { model, trainGbdt: trainGbdtSeconds, trainLoop, outsideLoop: trainGbdtSeconds - trainLoop, peakRssMb: rss };
}

/** The LightGBM CLI, or — when there is none — prints "skipped: LightGBM not found" and exits 0. */
export function requireLightGbm(): string {
  const bin = findLightGbm();
  if (bin === null) {
    console.log('skipped: LightGBM not found (set LIGHTGBM_BIN to a LightGBM CLI)');
    process.exit(0);
  }
  return bin;
}

/** Thread counts from `--threads=1,2` (default `fallback`); exits with a message on anything but positive integers. */
export function threadCounts(fallback = '1,2'): number[] {
  const value = flag('threads') ?? fallback;
  const counts = value.split(',').map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) {
    process.stderr.write(`--threads=${value} is not a list of thread counts; give e.g. --threads=1,2\n`);
    process.exit(2);
  }
  return counts;
}

/** What a Loom child of the CSV-based benches reports. */
export interface LoomCsvReport extends LoomChildReport {
  readonly trainLoop: number;
  readonly trainGbdt: number;
  readonly outsideLoop: number;
  /** Parsing the prepared training CSV into typed arrays, seconds. */
  readonly readCsv: number;
  readonly peakRssMb: number;
  /** SHA-256 of the test predictions' bytes: equal hashes mean equal models on the test rows. */
  readonly predictionHash: string;
  /** Bench-specific quality figures on the test part. */
  readonly quality: Record<string, number>;
}

/**
 * The child side of the CSV-based benches: reads the prepared training CSV (the file LightGBM reads), trains with
 * `params` (categorical features named in them), then reads the test CSV, predicts it and prints one JSON line.
 */
export async function runLoomOnCsv(trainPath: string, testPath: string, params: Readonly<Record<string, unknown>>, evaluate: (p: Float64Array, y: Float64Array) => Record<string, number>): Promise<void> {
  const { predictBatch } = await import('../../src/models/gbdt/predict/predict-batch.js');
  const { createHash } = await import('node:crypto');
  const t0 = performance.now();
  const train = readPreparedCsv(trainPath);
  const readCsv = (performance.now() - t0) / 1000;
  const trained = trainTimed({ columns: train.columns, label: train.label, featureNames: train.names }, params);
  const t1 = performance.now();
  const test = readPreparedCsv(testPath);
  const p = predictBatch(trained.model, { columns: test.columns, featureNames: test.names });
  const report: LoomCsvReport = {
    trainLoop: trained.trainLoop,
    trainGbdt: trained.trainGbdt,
    outsideLoop: trained.outsideLoop,
    readCsv,
    peakRssMb: trained.peakRssMb,
    predictionHash: createHash('sha256').update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength)).digest('hex').slice(0, 16),
    quality: evaluate(p, test.label),
    afterModel: (performance.now() - t1) / 1000,
  };
  console.log(JSON.stringify(report));
}

/** Prints the timing lines of a Loom-vs-LightGBM table from the runs of both sides. */
export function printTimings(loom: readonly (LoomCsvReport & { wall: number })[], peer: readonly LightGbmRun[], peerSide: string): void {
  printHeader(peerSide);
  printRow('boosting loop', statOf(loom, (r) => r.trainLoop), statOf(peer, (r) => r.trainLoop), 's');
  printRow('read CSV, binning, setup', statOf(loom, (r) => r.readCsv + r.outsideLoop), statOf(peer, (r) => r.load), 's');
  printRow('  of which binning, setup', statOf(loom, (r) => r.outsideLoop), null, 's');
  printRow('whole process', statOf(loom, (r) => r.wall), statOf(peer, (r) => r.wall), 's');
  printRow('peak RSS (after training)', statOf(loom, (r) => r.peakRssMb), statOf(peer, (r) => r.peakRssMb), 'MiB', 0);
}

/** `runs` cold Loom runs of `script --role=loom --dir=<dir> --threads=<threads>`. */
export function spawnLoomRuns(script: string, dir: string, threads: number, runs: number): (LoomCsvReport & { wall: number })[] {
  return Array.from({ length: runs }, () => spawnLoomChild<LoomCsvReport>(script, [`--threads=${threads}`, `--dir=${dir}`]));
}

/** `runs` timed LightGBM trainings with the same `args`, then LightGBM's predictions of `testCsv` with that model. */
export function runLightGbmSide(bin: string, dir: string, conf: readonly string[], args: Readonly<Record<string, string | number>>, runs: number, testCsv: string): { runs: LightGbmRun[]; predictions: Float64Array } {
  const threads = Number(args.num_threads ?? 1);
  const model = join(dir, `model_${Object.values(args).join('_')}.txt`);
  const timed = Array.from({ length: runs }, () => timeLightGbmTrain(bin, dir, conf, { ...args, output_model: model }));
  return { runs: timed, predictions: lightGbmPredict(bin, dir, model, testCsv, threads) };
}

/** The child side for a bench whose prepared CSVs are `<--dir>/<trainFile>` and `<--dir>/<testFile>`. */
export async function runLoomRole(trainFile: string, testFile: string, params: Readonly<Record<string, unknown>>, evaluate: (p: Float64Array, y: Float64Array) => Record<string, number>): Promise<void> {
  const dir = flag('dir')!;
  await runLoomOnCsv(join(dir, trainFile), join(dir, testFile), { ...params, num_threads: numberFlag('threads', 1) }, evaluate);
}

/** Whether Loom's runs trained the same model (equal test-prediction hashes); "n/a" with one run. */
export function printRunIdentity(loom: readonly LoomCsvReport[]): void {
  const same = loom.length < 2 ? 'n/a (1 run)' : String(new Set(loom.map((r) => r.predictionHash)).size === 1);
  printText('Loom models identical across runs', same, '', `predictions ${loom[0].predictionHash}`);
}

/**
 * Writes the anchor's prepared Adult CSVs, `adult_train.csv` and `adult_test.csv`, into `dir`: the label first, then
 * the 14 features, categorical ones as their codes (what ADULT_LIGHTGBM_CONF declares categorical).
 */
export async function writePreparedAdult(dir: string): Promise<void> {
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

/** LightGBM CLI settings for Adult as the anchor trains it (num_iterations, num_threads and output_model go on the command line). */
export const ADULT_LIGHTGBM_CONF: readonly string[] = [
  'task = train', 'boosting = gbdt', 'objective = binary', 'data = adult_train.csv', 'header = true', 'label_column = 0',
  'categorical_feature = name:workclass,education,marital-status,occupation,relationship,race,sex,native-country',
  'learning_rate = 0.1', 'num_leaves = 31', 'max_bin = 255', 'min_data_in_leaf = 20', 'seed = 42',
];
