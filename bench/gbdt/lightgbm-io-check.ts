// Checks Loom's LightGBM model IO and TreeSHAP against LightGBM's CLI at full size, printing the largest |Δ| of each
// check; with --fixtures it instead regenerates the small LightGBM-written fixtures the unit tests read
// (src/models/gbdt/io/fixtures/<name>.txt + .json), so CI covers model reading without LightGBM.
//
// Run: LIGHTGBM_BIN=/path/to/lightgbm node --import tsx/esm bench/gbdt/lightgbm-io-check.ts [--fixtures]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../../src/core/random.js';
import { readLightGbmModel } from '../../src/models/gbdt/io/read-lightgbm-model.js';
import { lightGbmBinary, readLightGbmPredictions, runLightGbm, writeLightGbmCsv } from '../../src/models/gbdt/io/lightgbm-cli.js';
import { writeLightGbmModel } from '../../src/models/gbdt/io/write-lightgbm-model.js';
import { predictBatch } from '../../src/models/gbdt/predict/predict-batch.js';
import { treeShap } from '../../src/models/gbdt/shap/tree-shap.js';
import { trainGbdt } from '../../src/models/gbdt/train-gbdt.js';
import type { GbdtModel } from '../../src/models/gbdt/gbdt-model.js';
import { ADULT_CATEGORICAL, loadAdult, loadCalifornia } from '../../test/support/gbdt-datasets.js';
import type { Frame } from '../../src/core/frame/frame.js';

const FIXTURES = join(import.meta.dirname, '../../src/models/gbdt/io/fixtures');

interface Table {
  readonly names: string[];
  readonly columns: Float64Array[];
  readonly label: Float64Array;
}

/** Synthetic rows: x0 numeric with NaN (and zeros), x1 categorical 0..7 with NaN, x2 numeric; labels for each task. */
function synthetic(seed: number, n: number, task: 'binary' | 'multiclass' | 'regression' | 'count'): Table {
  const rng = new Random(seed);
  const x0 = new Float64Array(n), x1 = new Float64Array(n), x2 = new Float64Array(n), label = new Float64Array(n);
  const effect = [1.5, -1, 0.2, -0.8, 1.2, -1.5, 0.7, 0];
  for (let i = 0; i < n; i++) {
    const u = rng.nextFloat();
    x0[i] = u < 0.15 ? Number.NaN : u < 0.3 ? 0 : Math.round((rng.nextFloat() * 6 - 3) * 1000) / 1000;
    x1[i] = rng.nextFloat() < 0.1 ? Number.NaN : rng.nextInt(8);
    x2[i] = Math.round((rng.nextFloat() + rng.nextFloat() - 1) * 1000) / 1000;
    const a = Number.isNaN(x0[i]) ? 1 : x0[i];
    const c = Number.isNaN(x1[i]) ? 0.3 : effect[x1[i]];
    const s = a + c + 0.5 * x2[i] + (rng.nextFloat() - 0.5);
    if (task === 'binary') label[i] = s > 0.3 ? 1 : 0;
    else if (task === 'multiclass') label[i] = s < -0.5 ? 0 : s < 1 ? 1 : 2;
    else if (task === 'regression') label[i] = Math.round(s * 1000) / 1000;
    else label[i] = Math.floor(Math.exp(0.4 * s) * 2 * rng.nextFloat());
  }
  return { names: ['x0', 'x1', 'x2'], columns: [x0, x1, x2], label };
}

/** Rows to predict: the first training rows plus edge cases (NaN, zero, unseen and negative categories). */
function probeRows(table: Table): Float64Array[] {
  const edge = [
    [Number.NaN, 0, 0], [0, Number.NaN, 0.1], [0, 9, -0.2], [1, -1, 0.3], [-0.0, 3, Number.NaN], [1e-40, 5, 0], [2.5, 2.5, 1], [-3, 7, -1],
  ];
  return table.columns.map((column, f) => Float64Array.from([...column.subarray(0, 32), ...edge.map((row) => row[f])]));
}

interface FixtureSpec {
  readonly name: string;
  readonly task: 'binary' | 'multiclass' | 'regression' | 'count';
  readonly params: Readonly<Record<string, string | number>>;
}

const FIXTURE_SPECS: readonly FixtureSpec[] = [
  // A categorical split over several categories, NaN missing type on x0 and x1, and sigmoid 0.8 in the output.
  { name: 'binary-categorical-nan', task: 'binary', params: { objective: 'binary', sigmoid: 0.8, num_iterations: 4, num_leaves: 5, learning_rate: 0.3, min_data_in_leaf: 10, min_data_per_group: 10, cat_smooth: 1, max_cat_to_onehot: 2, categorical_feature: 1 } },
  { name: 'multiclass', task: 'multiclass', params: { objective: 'multiclass', num_class: 3, num_iterations: 3, num_leaves: 4, learning_rate: 0.3, min_data_in_leaf: 10, min_data_per_group: 10, cat_smooth: 1, categorical_feature: 1 } },
  // zero_as_missing: missing type Zero (zeros and NaN take the default direction).
  { name: 'regression-zero-missing', task: 'regression', params: { objective: 'regression', zero_as_missing: 'true', num_iterations: 3, num_leaves: 4, min_data_in_leaf: 10 } },
  { name: 'poisson', task: 'count', params: { objective: 'poisson', num_iterations: 3, num_leaves: 4, min_data_in_leaf: 10 } },
  { name: 'huber', task: 'regression', params: { objective: 'huber', alpha: 0.7, num_iterations: 2, num_leaves: 3, min_data_in_leaf: 10 } },
  { name: 'quantile', task: 'regression', params: { objective: 'quantile', alpha: 0.3, num_iterations: 2, num_leaves: 3, min_data_in_leaf: 10 } },
  { name: 'regression-l1', task: 'regression', params: { objective: 'regression_l1', num_iterations: 2, num_leaves: 3, min_data_in_leaf: 10 } },
];

function writeFixtures(bin: string, dir: string): void {
  for (const [i, spec] of FIXTURE_SPECS.entries()) {
    const table = synthetic(100 + i, 400, spec.task);
    const train = join(dir, `${spec.name}-train.csv`);
    writeLightGbmCsv(train, table.names, table.label, table.columns);
    const model = join(FIXTURES, `${spec.name}.txt`);
    runLightGbm(bin, { task: 'train', data: train, header: 'true', label_column: 0, seed: 7, output_model: model, ...spec.params });
    const probe = probeRows(table);
    const data = join(dir, `${spec.name}-probe.csv`);
    writeLightGbmCsv(data, table.names, new Float64Array(probe[0].length), probe);
    const predict = (extra: Record<string, string>): number[] => {
      const out = join(dir, `${spec.name}-out.txt`);
      runLightGbm(bin, { task: 'predict', data, header: 'true', label_column: 0, input_model: model, output_result: out, ...extra });
      return Array.from(readLightGbmPredictions(out));
    };
    const rows = Array.from({ length: probe[0].length }, (_, r) => probe.map((column) => json(column[r])));
    const fixture = { rows, raw: predict({ predict_raw_score: 'true' }), output: predict({}), contrib: predict({ predict_contrib: 'true' }) };
    writeFileSync(join(FIXTURES, `${spec.name}.json`), JSON.stringify(fixture) + '\n');
    console.log(`wrote fixtures/${spec.name}.txt and .json (${rows.length} rows)`);
  }
}

/** JSON has no NaN: missing values are null. */
function json(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Largest |Σ contributions − raw score| over rows and outputs. */
function localAccuracy(model: GbdtModel, phi: Float64Array, raw: Float64Array): number {
  const width = model.features.length + 1;
  let max = 0;
  for (let r = 0; r < raw.length; r++) {
    let sum = 0;
    for (let f = 0; f < width; f++) sum += phi[r * width + f];
    max = Math.max(max, Math.abs(sum - raw[r]));
  }
  return max;
}

function frameTable(frame: Frame, label: string): Table {
  const names = frame.names.filter((n) => n !== label);
  const columns = names.map((name) => {
    const c = frame.column(name);
    if (c.type === 'category') return Float64Array.from(c.codes);
    if (c.type === 'float') return Float64Array.from(c.values);
    throw new Error(`unexpected column type ${c.type}`);
  });
  const y = frame.column(label);
  if (y.type !== 'float') throw new Error('label must be float');
  return { names, columns, label: y.values };
}

/** Missing values injected into a copy: 10% of each of the first numeric columns NaN, 5% of categorical codes NaN. */
function withMissing(table: Table, seed: number): Table {
  const rng = new Random(seed);
  const columns = table.columns.map((column, f) => {
    const copy = Float64Array.from(column);
    const rate = (ADULT_CATEGORICAL as readonly string[]).includes(table.names[f]) ? 0.05 : f % 3 === 0 ? 0.1 : 0;
    for (let i = 0; i < copy.length; i++) if (rng.nextFloat() < rate) copy[i] = Number.NaN;
    return copy;
  });
  return { ...table, columns };
}

async function checks(bin: string, dir: string): Promise<void> {
  const report = (name: string, value: number, extra = ''): void => console.log(`${name.padEnd(64)} max |Δ| = ${value}${extra}`);
  const { train, test } = await loadAdult();
  const adultTrain = frameTable(train, 'income');
  const adultTest = frameTable(test, 'income');
  const adultTrainCsv = join(dir, 'adult-train.csv');
  const adultTestCsv = join(dir, 'adult-test.csv');
  writeLightGbmCsv(adultTrainCsv, adultTrain.names, adultTrain.label, adultTrain.columns);
  writeLightGbmCsv(adultTestCsv, adultTest.names, adultTest.label, adultTest.columns);
  const categorical = `name:${ADULT_CATEGORICAL.join(',')}`;

  // 1. LightGBM → Loom.
  const lgbAdult = join(dir, 'lgb-adult.txt');
  runLightGbm(bin, { task: 'train', objective: 'binary', data: adultTrainCsv, header: 'true', label_column: 0, categorical_feature: categorical, num_iterations: 100, seed: 42, output_model: lgbAdult });
  const adultModel = readLightGbmModel(readFileSync(lgbAdult, 'utf8'));
  const predict = (model: string, data: string, extra: Record<string, string>): Float64Array => {
    const out = join(dir, 'out.txt');
    runLightGbm(bin, { task: 'predict', data, header: 'true', label_column: 0, input_model: model, output_result: out, ...extra });
    return readLightGbmPredictions(out);
  };
  const adultRaw = predictBatch(adultModel, { columns: adultTest.columns }, undefined, { rawScore: true });
  report('LightGBM Adult 100 it → Loom, raw score, 16,281 test rows', maxAbsDiff(adultRaw, predict(lgbAdult, adultTestCsv, { predict_raw_score: 'true' })));
  let t0 = performance.now();
  const lgbContrib = predict(lgbAdult, adultTestCsv, { predict_contrib: 'true' });
  const lgbShapSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const adultPhi = treeShap(adultModel, { columns: adultTest.columns });
  const loomShapSeconds = (performance.now() - t0) / 1000;
  report('TreeSHAP vs LightGBM predict_contrib, Adult test', maxAbsDiff(adultPhi, lgbContrib), ` (Loom ${loomShapSeconds.toFixed(1)} s, LightGBM CLI ${lgbShapSeconds.toFixed(1)} s, 1 thread)`);
  report('TreeSHAP local accuracy, LightGBM Adult model', localAccuracy(adultModel, adultPhi, adultRaw));
  const lgbText = readFileSync(lgbAdult, 'utf8');
  const rewritten = writeLightGbmModel(adultModel);
  const cut = (s: string): string => s.slice(0, s.indexOf('\nparameters:\n'));
  console.log(`write(read(LightGBM Adult text)) equals it up to the parameters section: ${cut(rewritten) === cut(lgbText)}`);

  const cal = await loadCalifornia();
  const calTrain = frameTable(cal.train, 'medianHouseValue');
  const calTest = frameTable(cal.test, 'medianHouseValue');
  writeLightGbmCsv(join(dir, 'cal-train.csv'), calTrain.names, calTrain.label, calTrain.columns);
  writeLightGbmCsv(join(dir, 'cal-test.csv'), calTest.names, calTest.label, calTest.columns);
  const lgbCal = join(dir, 'lgb-cal.txt');
  runLightGbm(bin, { task: 'train', objective: 'regression', data: join(dir, 'cal-train.csv'), header: 'true', label_column: 0, num_iterations: 20, learning_rate: 0.05, seed: 42, output_model: lgbCal });
  const calModel = readLightGbmModel(readFileSync(lgbCal, 'utf8'));
  report('LightGBM California 20 it → Loom, raw score, 4,128 test rows', maxAbsDiff(predictBatch(calModel, { columns: calTest.columns }, undefined, { rawScore: true }), predict(lgbCal, join(dir, 'cal-test.csv'), { predict_raw_score: 'true' })));

  const multi = synthetic(5, 3000, 'multiclass');
  const multiTest = synthetic(6, 1000, 'multiclass');
  writeLightGbmCsv(join(dir, 'multi-train.csv'), multi.names, multi.label, multi.columns);
  writeLightGbmCsv(join(dir, 'multi-test.csv'), multiTest.names, multiTest.label, multiTest.columns);
  const lgbMulti = join(dir, 'lgb-multi.txt');
  runLightGbm(bin, { task: 'train', objective: 'multiclass', num_class: 3, data: join(dir, 'multi-train.csv'), header: 'true', label_column: 0, categorical_feature: 1, num_iterations: 20, seed: 42, output_model: lgbMulti });
  const multiModel = readLightGbmModel(readFileSync(lgbMulti, 'utf8'));
  report('LightGBM multiclass (3 classes, 20 it) → Loom, raw scores, 1,000 rows', maxAbsDiff(predictBatch(multiModel, { columns: multiTest.columns }, undefined, { rawScore: true }), predict(lgbMulti, join(dir, 'multi-test.csv'), { predict_raw_score: 'true' })));

  // 2. Loom → LightGBM.
  const missingTrain = withMissing(adultTrain, 1);
  const missingTest = withMissing(adultTest, 2);
  const loomAdult = trainGbdt({ columns: missingTrain.columns, label: missingTrain.label, featureNames: missingTrain.names }, { objective: 'binary', num_iterations: 100, seed: 42, categorical_feature: [...ADULT_CATEGORICAL] });
  const loomAdultPath = join(dir, 'loom-adult.txt');
  writeFileSync(loomAdultPath, writeLightGbmModel(loomAdult));
  writeLightGbmCsv(join(dir, 'adult-missing-test.csv'), missingTest.names, missingTest.label, missingTest.columns);
  const loomAdultRaw = predictBatch(loomAdult, { columns: missingTest.columns }, undefined, { rawScore: true });
  report('Loom Adult (missing values injected) → LightGBM, raw score', maxAbsDiff(loomAdultRaw, predict(loomAdultPath, join(dir, 'adult-missing-test.csv'), { predict_raw_score: 'true' })));
  const loomMulti = trainGbdt({ columns: multi.columns, label: multi.label, featureNames: multi.names }, { objective: 'multiclass', num_class: 3, num_iterations: 20, categorical_feature: ['x1'] });
  const loomMultiPath = join(dir, 'loom-multi.txt');
  writeFileSync(loomMultiPath, writeLightGbmModel(loomMulti));
  report('Loom multiclass (3 classes, 20 it) → LightGBM, raw scores', maxAbsDiff(predictBatch(loomMulti, { columns: multiTest.columns }, undefined, { rawScore: true }), predict(loomMultiPath, join(dir, 'multi-test.csv'), { predict_raw_score: 'true' })));

  // 3. Loom round trip, and TreeSHAP local accuracy on a Loom-trained 100-tree Adult model over every test row.
  const loomAdultFrame = trainGbdt(train, { objective: 'binary', num_iterations: 100, seed: 42 }, { label: 'income' });
  const text = writeLightGbmModel(loomAdultFrame);
  const back = readLightGbmModel(text);
  console.log(`Loom Adult (Frame): write(read(text)) === text: ${writeLightGbmModel(back) === text}`);
  const frameRaw = predictBatch(loomAdultFrame, test, undefined, { rawScore: true });
  report('Loom Adult: read(write(model)) vs model, raw score', maxAbsDiff(predictBatch(back, test, undefined, { rawScore: true }), frameRaw));
  report('TreeSHAP local accuracy, Loom Adult 100 trees, 16,281 rows', localAccuracy(loomAdultFrame, treeShap(loomAdultFrame, test), frameRaw));
}

async function main(): Promise<void> {
  const bin = lightGbmBinary();
  if (bin === null) {
    console.log('skipped: LightGBM not found (set LIGHTGBM_BIN)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'loom-lgb-io-'));
  try {
    if (process.argv.includes('--fixtures')) writeFixtures(bin, dir);
    else await checks(bin, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
