import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { assertCodedFailure, DATASETS, loomCli } from '../support/loom-cli.js';
import { loomInProcess } from '../support/loom-in-process.js';

// `loom eval` end to end on UCI Adult: a GBDT trained on adult-train, evaluated on adult-test with sex and race as
// sensitive columns. The fairness figures are recomputed here from `loom predict`'s scores and the raw file.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-eval-'));
after(() => rmSync(home, { recursive: true, force: true }));
const loom = loomCli(home);
/**
 * The same CLI in-process (each spawn costs ~1 s of tsx start-up), for the fixture, repeats and coded errors; `loom eval`
 * keeps real spawns for the full report and the first coded error.
 */
const loomHere = loomInProcess(home);
const rawTest = gunzipSync(readFileSync(join(DATASETS, 'adult-test.csv.gz'))).toString('utf8').trim().split('\n');
let trained: any;

before(async () => {
  for (const [file, name] of [['adult-train.csv.gz', 'adult-train'], ['adult-test.csv.gz', 'adult-test']]) {
    const run = await loomHere(['data', 'ingest', join(DATASETS, file), '--name', name, '--tag', 'income=target', '--json']);
    assert.equal(run.code, 0, run.stderr);
  }
  const run = await loomHere(['train', '--data', 'adult-train', '--target', 'income', '--valid', 'adult-test', '--param', 'num_iterations=100', '--out', 'models/gbdt', '--json']);
  assert.equal(run.code, 0, run.stderr);
  trained = run.json();
});

test('gbdt on Adult: metrics with CIs, fairness by sex and race matching a recomputation, costs, calibration, card', async () => {
  writeFileSync(
    join(home, 'behaviour.json'),
    JSON.stringify([
      { kind: 'invariance', name: 'fnlwgt noise', column: 'fnlwgt', perturb: { scale: 1.01 }, epsilon: 0.25, rows: 300 },
      { kind: 'invariance', name: 'race does not move the score', column: 'race', perturb: { set: 'White' }, epsilon: 0.01, rows: 300 },
      { kind: 'directional', name: 'more schooling raises the score', column: 'education-num', perturb: { add: 2 }, direction: 'increase', tolerance: 0.1, rows: 300 },
      {
        kind: 'minimum_functionality',
        name: 'clear cases',
        cases: [
          { name: 'teenager, part time', input: { age: 17, workclass: 'Private', fnlwgt: 200000, education: '11th', 'education-num': 7, 'marital-status': 'Never-married', occupation: 'Handlers-cleaners', relationship: 'Own-child', race: 'White', sex: 'Male', 'capital-gain': 0, 'capital-loss': 0, 'hours-per-week': 15, 'native-country': 'United-States' }, expected: '<=50K' },
          { name: 'married executive, big gains', input: { age: 45, workclass: 'Private', fnlwgt: 200000, education: 'Masters', 'education-num': 14, 'marital-status': 'Married-civ-spouse', occupation: 'Exec-managerial', relationship: 'Husband', race: 'White', sex: 'Male', 'capital-gain': 15024, 'capital-loss': 0, 'hours-per-week': 50, 'native-country': 'United-States' }, expected: '>50K' },
        ],
      },
    ]),
  );
  const run = await loom(['eval', 'models/gbdt', '--data', 'adult-test', '--sensitive', 'sex', '--sensitive', 'race', '--slice', 'education', '--slice', 'age:q4', '--cost-matrix', '0,1,5,0', '--bootstrap', '200', '--behaviour', 'behaviour.json', '--out', 'evals/gbdt', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const r = run.json();
  assert.equal(r.format, 'loom.evaluation/1');
  assert.equal(r.task, 'binary');
  assert.equal(r.model.hash, trained.model_id);
  assert.equal(r.data.rows, 16281);
  assert.match(r.data.ref, /^adult-test@[0-9a-f]{64}$/);
  assert.deepEqual(r.bootstrap, { method: 'percentile', resamples: 200, seed: 42, level: 0.95, resampling: 'stratified' });
  // The same model on the same rows: the point values equal what `loom train --valid` measured.
  assert.equal(r.metrics.auc.value, trained.metrics.auc);
  assert.equal(r.metrics.accuracy.value, trained.metrics.accuracy);
  assert.ok(r.metrics.auc.value >= 0.927, `AUC ${r.metrics.auc.value}`);
  for (const [name, e] of Object.entries<any>(r.metrics)) assert.ok(e.ci[0] <= e.value && e.value <= e.ci[1] && e.ci[1] - e.ci[0] < 0.05, `${name} ${JSON.stringify(e)}`);
  assert.deepEqual(Object.keys(r.metrics), ['auc', 'pr_auc', 'log_loss', 'brier', 'accuracy', 'precision', 'recall', 'f1']);
  const cm = r.confusion_matrix;
  assert.equal(cm.counts.flat().reduce((a: number, b: number) => a + b, 0), 16281);
  assert.equal((cm.counts[0][0] + cm.counts[1][1]) / 16281, r.metrics.accuracy.value);

  // Recompute selection rate, TPR and FPR by sex from the written scores and the raw test file.
  const scored = await loomHere(['predict', 'models/gbdt', '--input', 'adult-test', '--output', 'scores.csv', '--json']);
  assert.equal(scored.code, 0, scored.stderr);
  const scores = readFileSync(join(home, 'scores.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
  const header = rawTest[0].split(',');
  const rows = rawTest.slice(1).map((l) => l.split(',').map((v) => v.trim()));
  const rates = (column: string): Map<string, { sel: number; tpr: number; fpr: number; n: number }> => {
    const c = header.indexOf(column);
    const acc = new Map<string, { n: number; s: number; pos: number; tp: number; fp: number }>();
    rows.forEach((row, i) => {
      const a = acc.get(row[c]) ?? { n: 0, s: 0, pos: 0, tp: 0, fp: 0 };
      const yhat = scores[i] >= 0.5;
      const y = row[header.length - 1] === '>50K.';
      a.n++;
      if (yhat) a.s++;
      if (y) (a.pos++, yhat && a.tp++);
      else if (yhat) a.fp++;
      acc.set(row[c], a);
    });
    return new Map([...acc].map(([g, a]) => [g, { sel: a.s / a.n, tpr: a.tp / a.pos, fpr: a.fp / (a.n - a.pos), n: a.n }]));
  };
  for (const column of ['sex', 'race']) {
    const f = r.fairness.find((x: any) => x.sensitive === column);
    const expected = rates(column);
    assert.deepEqual(f.groups.map((g: any) => [g.group, g.size]), [...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([g, v]) => [g, v.n]));
    const sel = [...expected.values()].map((v) => v.sel);
    const tpr = [...expected.values()].map((v) => v.tpr);
    const fpr = [...expected.values()].map((v) => v.fpr);
    const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${column}: ${a} vs ${b}`);
    close(f.demographic_parity_difference, Math.max(...sel) - Math.min(...sel));
    close(f.demographic_parity_ratio, Math.min(...sel) / Math.max(...sel));
    close(f.equal_opportunity_difference, Math.max(...tpr) - Math.min(...tpr));
    close(f.equalized_odds_difference, Math.max(Math.max(...tpr) - Math.min(...tpr), Math.max(...fpr) - Math.min(...fpr)));
    const ci = f.intervals.demographic_parity_difference;
    assert.ok(ci[0] <= f.demographic_parity_difference && f.demographic_parity_difference <= ci[1]);
  }
  const sex = r.fairness[0];
  assert.ok(sex.demographic_parity_difference > 0.1, 'Adult has a large selection-rate gap by sex');

  // Slices worst first by AUC; costs: a missed high earner costs 5×, so the chosen threshold is lower and cheaper.
  const aucs = r.slices.filter((s: any) => s.metrics.auc).map((s: any) => s.metrics.auc.value);
  assert.deepEqual(aucs, [...aucs].sort((a, b) => a - b));
  assert.equal(r.slices.filter((s: any) => s.column === 'education').reduce((a: number, s: any) => a + s.size, 0), 16281);
  assert.ok(r.costs.chosen_threshold < 0.5 && r.costs.chosen_expected_cost < r.costs.default_expected_cost);
  assert.ok(r.calibration.ece.value < 0.03);
  // Race is an input of this model, so setting it to one value does move some scores by more than 0.01: the
  // invariance test reports them, with examples.
  assert.deepEqual(r.behavioural.map((b: any) => [b.name, b.kind, b.passed, b.cases]), [
    ['fnlwgt noise', 'invariance', true, 300],
    ['race does not move the score', 'invariance', false, 300],
    ['more schooling raises the score', 'directional', true, 300],
    ['clear cases', 'minimum_functionality', true, 2],
  ]);
  const race = r.behavioural[1];
  assert.ok(race.failures > 0 && race.worst_change > 0.01 && race.examples.length === Math.min(5, race.failures));
  assert.ok(race.examples.every((e: any) => e.change > 0.01 && Math.abs(e.score_after - e.score_before) === e.change));

  const dir = join(home, 'evals/gbdt');
  assert.deepEqual(readdirSync(dir).sort(), ['evaluation.json', 'model-card.json', 'model-card.md', 'reliability.svg']);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'evaluation.json'), 'utf8')), r);
  const card = readFileSync(join(dir, 'model-card.md'), 'utf8');
  for (const section of ['## Model', '## Intended use', '## Metrics', '## Calibration', '![Reliability diagram](reliability.svg)', '## Slices (worst first)', '## Fairness', '### `sex`', '## Costs', '## Behavioural tests', '## Limitations']) assert.ok(card.includes(section), section);
  assert.match(readFileSync(join(dir, 'reliability.svg'), 'utf8'), /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const cardJson = JSON.parse(readFileSync(join(dir, 'model-card.json'), 'utf8'));
  assert.equal(cardJson.model.id, trained.model_id);
  assert.equal(cardJson.model.inputs.length, 14);
});

test('without --json it prints a readable report and writes beside the model, in evaluation/<model>/<dataset>@<version>', async () => {
  const run = await loomHere(['eval', 'models/gbdt', '--data', 'adult-test', '--sensitive', 'sex', '--bootstrap', '50', '--intended-use', 'Ranking mailing lists', '--limitation', 'US census 1994 only']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^auc\s+0\.9\d+\s+0\.9\d+ – 0\.9\d+$/m);
  assert.match(run.stdout, /fairness by sex/);
  const evalDir = join(home, 'models/evaluation/gbdt');
  const [sub] = readdirSync(evalDir);
  assert.match(sub, /^adult-test@[0-9a-f]{12}$/);
  const card = readFileSync(join(evalDir, sub, 'model-card.md'), 'utf8');
  assert.ok(card.includes('Ranking mailing lists') && card.includes('- US census 1994 only'));
  assert.ok(run.stdout.includes(join(evalDir, sub)));
});

test('a registry reference (name@version) resolves through the registry and is recorded in the report', async () => {
  const registered = await loomHere(['models', 'register', 'models/gbdt', '--name', 'adult-gbdt', '--json']);
  assert.equal(registered.code, 0, registered.stderr);
  const run = await loomHere(['eval', 'adult-gbdt@1', '--data', 'adult-test', '--bootstrap', '20', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const r = run.json();
  assert.deepEqual(r.model, { hash: trained.model_id, name: 'adult-gbdt', version: 1 });
  assert.equal(r.metrics.auc.value, trained.metrics.auc);
  const dir = join(home, 'evaluation/adult-gbdt/v1');
  assert.equal(readdirSync(dir).length, 1);
  assertCodedFailure(await loomHere(['eval', 'adult-gbdt@9', '--data', 'adult-test', '--json']), 'LOOM_ERR_REGISTRY_VERSION_NOT_FOUND');
});

test('bad input gets coded errors', async () => {
  // A regression model on Adult's columns; what is checked is that its task refuses binary-only options, so the first
  // 2,000 training rows are enough.
  const rawTrain = gunzipSync(readFileSync(join(DATASETS, 'adult-train.csv.gz'))).toString('utf8').trim().split('\n');
  writeFileSync(join(home, 'adult-plain.csv'), `${rawTrain.slice(0, 2001).join('\n')}\n`);
  assert.equal((await loomHere(['data', 'ingest', 'adult-plain.csv', '--name', 'adult-plain', '--json'])).code, 0);
  const reg = await loomHere(['train', '--data', 'adult-plain', '--target', 'age', '--param', 'num_iterations=5', '--out', 'models/age', '--json']);
  assert.equal(reg.code, 0, reg.stderr);
  assertCodedFailure(await loom(['eval', 'models/age', '--data', 'adult-test', '--target', 'age', '--metric', 'auc', '--json']), 'LOOM_ERR_EVAL_METRIC_NOT_APPLICABLE');
  assertCodedFailure(await loomHere(['eval', 'models/age', '--data', 'adult-test', '--target', 'age', '--cost-matrix', '0,1,5,0', '--json']), 'LOOM_ERR_EVAL_METRIC_NOT_APPLICABLE');

  writeFileSync(join(home, 'men.csv'), [rawTest[0], ...rawTest.slice(1, 400).filter((l) => l.includes(',Male,'))].join('\n'));
  const oneGroup = await loomHere(['eval', 'models/gbdt', '--data', 'men.csv', '--target', 'income', '--sensitive', 'sex', '--bootstrap', '20', '--json']);
  assertCodedFailure(oneGroup, 'LOOM_ERR_EVAL_SENSITIVE_ONE_GROUP');
  assert.equal(oneGroup.json().error.details.field, 'sex');

  const slice = await loomHere(['eval', 'models/gbdt', '--data', 'adult-test', '--slice', 'educaton', '--json']);
  assertCodedFailure(slice, 'LOOM_ERR_EVAL_COLUMN_UNKNOWN');
  assert.equal(slice.json().error.details.field, 'slice');
  assertCodedFailure(await loomHere(['eval', 'models/gbdt', '--data', 'adult-test', '--cost-matrix', '0,1,5', '--json']), 'LOOM_ERR_EVAL_COST_MATRIX_INVALID');

  writeFileSync(join(home, 'unlabelled.csv'), [rawTest[0], ...rawTest.slice(1, 5).map((l) => l.replace(/,[^,]*$/, ',?'))].join('\n'));
  assertCodedFailure(await loomHere(['eval', 'models/gbdt', '--data', 'unlabelled.csv', '--target', 'income', '--json']), 'LOOM_ERR_EVAL_EMPTY_DATA');
  writeFileSync(join(home, 'empty.csv'), `${rawTest[0]}\n`);
  assertCodedFailure(await loomHere(['eval', 'models/gbdt', '--data', 'empty.csv', '--target', 'income', '--json']), 'LOOM_ERR_EVAL_EMPTY_DATA');
  assertCodedFailure(await loomHere(['eval', 'models/nope', '--data', 'adult-test', '--json']), 'LOOM_ERR_EVAL_MODEL_NOT_FOUND');
  assert.equal(existsSync(join(home, 'models/evaluation/nope')), false);
});
