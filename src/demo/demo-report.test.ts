import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDemoReport, type DemoReport } from './demo-report.js';

const V = 'ab'.repeat(32);

const REPORT: DemoReport = {
  seed: 7,
  customers: 100,
  home: '/tmp/h',
  piiKey: 'demo',
  world: {
    dir: '/tmp/h/demo/world',
    files: [{ file: 'customers.csv', rows: 100, bytes: 1234, sha256: V }],
    driftAt: '2024-07-01T00:00:00.000Z',
    truth: { reference: { customers: 50, churnRate: 0.1, expectedAuc: 0.78 }, drifted: { customers: 50, churnRate: 0.25, expectedAuc: 0.84 } },
    labelsPendingAtEnd: 9,
  },
  datasets: [{ role: 'customers', name: 'churn-customers', version: V, rows: 100, columns: 16, created: false }],
  highlights: [{ dataset: 'churn-customers', column: 'region', text: '1 nulls (1.0%)' }],
  validation: {
    suite: 'churn-customers',
    hash: V,
    expectations: 3,
    generatedFrom: `churn-customers-reference@${V}`,
    droppedTimestampRanges: 2,
    runs: [
      { role: 'reference', target: `r@${V}`, success: true, evaluated: 3, passed: 3, failed: 0, warnings: 0, failures: [] },
      { role: 'current', target: `c@${V}`, success: false, evaluated: 3, passed: 2, failed: 1, warnings: 0, failures: [{ kind: 'in_set', column: 'region', expected: '4 values', observed: 'unexpected: "central"' }] },
    ],
    driftDetected: true,
  },
  training: {
    builder: 'sql',
    description: 'customers ⋈ labels',
    target: 'churned',
    features: ['region', 'age_band'],
    tables: [
      { period: 'reference', dataset: 'churn-training-reference', version: V, rows: 50, columns: 4, churnRate: 0.1, labelsPending: 0, ageUnknown: 1, created: true, file: '/tmp/h/demo/training/r.parquet' },
      { period: 'current', dataset: 'churn-training-current', version: V, rows: 41, columns: 4, churnRate: 0.25, labelsPending: 9, ageUnknown: 2, created: true, file: '/tmp/h/demo/training/c.parquet' },
    ],
  },
  models: [
    { role: 'baseline', flavor: 'baseline', params: {}, runId: 'r1'.repeat(16), modelDir: '/tmp/h/models/b', trainAuc: 0.5, registry: { name: 'churn', version: 1, created: true, alias: 'champion' }, evaluation: null },
    {
      role: 'gbdt',
      flavor: 'gbdt',
      params: { num_iterations: 200, learning_rate: 0.05 },
      runId: 'r2'.repeat(16),
      modelDir: '/tmp/h/models/g',
      trainAuc: 0.91234,
      registry: { name: 'churn', version: 2, created: true, alias: 'challenger' },
      evaluation: {
        data: `churn-training-current@${V}`,
        rows: 41,
        auc: { value: 0.7654, ci: [0.7, 0.8] },
        prAuc: { value: 0.6, ci: null },
        brier: null,
        cost: { atThreshold: 2.5, optimalThreshold: 0.14, atOptimal: 2.4, flagged: 20 },
        fairness: {
          sensitive: 'age_band',
          groups: [{ group: '65+', rows: 10, truePositiveRate: 0.5, selectionRate: 0.4 }],
          equalOpportunityDifference: { value: 0.2, ci: [0.1, 0.5] },
          demographicParityDifference: { value: 0.1, ci: null },
        },
        worstSlices: [{ name: 'region = central', rows: 12, auc: 0.7 }],
        outDir: '/tmp/h/evaluation/churn/v2/x',
        card: '/tmp/h/evaluation/churn/v2/x/model-card.md',
      },
    },
  ],
  evaluationSetup: { data: `churn-training-current@${V}`, slices: ['region'], sensitive: 'age_band', costMatrix: { tn: 0, fp: 1, fn: 10, tp: 6 }, threshold: 0.2, why: 'because', resamples: 100 },
  promotion: {
    model: 'churn',
    gateFile: '/tmp/h/demo/churn-gate.txt',
    passed: true,
    rules: [
      { rule: 'auc >= 0.65', status: 'passed', reason: 'auc 0.7654 >= 0.65' },
      { rule: 'cost not higher', status: 'skipped', reason: 'no champion' },
    ],
    fromVersion: 1,
    championVersion: 2,
    championRole: 'gbdt',
  },
  files: [{ what: 'model card, gbdt (churn@2)', path: '/tmp/h/evaluation/churn/v2/x/model-card.md' }],
  next: ['LOOM_HOME=/tmp/h loom data list'],
  steps: [{ name: 'generate', title: 'g', ms: 1500 }],
  elapsedMs: 4200,
};

test('the human report names the demo key, shortens ids, lists failures, drift and the next commands', () => {
  const text = formatDemoReport(REPORT);
  const lines = text.split('\n');
  assert.equal(lines[0], 'Loom demo: a seeded synthetic churn business (seed 7, 100 customers) in /tmp/h');
  assert.match(lines[1], /^LOOM_PII_KEY is not set/);
  assert.ok(lines.includes('  customers  churn-customers  abababababab  100   16       no (same content)'), text);
  assert.ok(lines.includes('  churn-customers.region: 1 nulls (1.0%)'));
  assert.ok(lines.includes('  truth: churn rate 10.0% before the switch, 25.0% after; best possible AUC 0.780 → 0.840 (ground-truth.csv, never ingested)'));
  assert.ok(lines.includes('  ✔ reference (r@abababababab): 3/3 passed, 0 failed'));
  assert.ok(lines.includes('      ✘ in_set region: expected 4 values; observed unexpected: "central"'));
  assert.ok(lines.includes('  → drift detected: the current period breaks expectations the reference period meets'));
  assert.ok(lines.includes('  LOOM_HOME=/tmp/h loom data list'));
  assert.ok(lines.some((l) => /^ {2}reference +churn-training-reference +abababababab +50 +10\.0% +0 +1$/.test(l)), text);
  assert.ok(lines.some((l) => /^ {2}gbdt {6}num_iterations=200 learning_rate=0\.05 +r2r2r2r2r2r2 +0\.912 +churn@2 +challenger$/.test(l)), text);
  assert.ok(lines.includes('  cost matrix tn 0, fp 1, fn 10, tp 6: because'), text);
  assert.ok(lines.some((l) => /^ {2}gbdt +41 +0\.765 \[0\.700, 0\.800\] +0\.600 +2\.500 +20 +2\.400 \(0\.140\) +0\.200 \[0\.100, 0\.500\]$/.test(l)), text);
  assert.ok(lines.some((l) => /^ {2}baseline +—/.test(l)) === false, 'an unevaluated model has no evaluation row');
  assert.ok(lines.includes('  gbdt: recall (TPR) by age_band 65+ 0.500 (10)'), text);
  assert.ok(lines.includes('  ✔ auc >= 0.65: auc 0.7654 >= 0.65'));
  assert.ok(lines.includes('  – cost not higher: no champion'));
  assert.ok(lines.includes('  → gate passed: champion is now churn@2 (the gbdt), was churn@1'), text);
  assert.ok(lines.includes('  model card, gbdt (churn@2): /tmp/h/evaluation/churn/v2/x/model-card.md'));
  assert.equal(lines.at(-1), 'Done in 4.2 s (generate 1.5 s)');
});

test('the feature store part lists the views, the refs and the materialization, once it ran', () => {
  const featureStore = {
    views: [
      { view: 'usage', version: 'c'.repeat(64), source: `churn-sessions@${V}`, features: ['sessions_7d', 'sessions_30d'] },
      { view: 'tickets', version: 'd'.repeat(64), source: `churn-tickets@${V}`, features: ['tickets_30d'] },
    ],
    refs: ['usage:sessions_7d', 'usage:sessions_30d', 'tickets:tickets_30d'],
    applied: false,
    materialization: null,
  };
  const before = formatDemoReport({ ...REPORT, featureStore }).split('\n');
  assert.ok(before.includes('Feature store  2 views already registered (no change); the training sets record 3 refs, which the registered models carry'), before.join('\n'));
  assert.ok(before.some((l) => /^ {2}usage +cccccccccccc +churn-sessions@abababababab +sessions_7d, sessions_30d$/.test(l)), before.join('\n'));
  assert.ok(before.includes('  refs: usage:sessions_7d, usage:sessions_30d, tickets:tickets_30d'));
  assert.ok(!before.some((l) => l.includes('materialized')), 'no materialization line before the step ran');
  const materialization = { store: 'sqlite:/tmp/h/online.db', end: '2025-01-01T00:00:00.000Z', views: [{ view: 'tickets', version: 'd'.repeat(64), entities: 80, written: 0 }, { view: 'usage', version: 'c'.repeat(64), entities: 95, written: 95 }] };
  const after = formatDemoReport({ ...REPORT, featureStore: { ...featureStore, applied: true, materialization } }).split('\n');
  assert.ok(after.includes('Feature store  2 views applied; the training sets record 3 refs, which the registered models carry'));
  assert.ok(after.includes('  materialized into sqlite:/tmp/h/online.db up to 2025-01-01T00:00:00.000Z: tickets 80 customers (0 written), usage 95 customers (95 written)'), after.join('\n'));
  assert.doesNotMatch(formatDemoReport(REPORT), /Feature store/);
});

test('a failed gate says the champion stays', () => {
  const text = formatDemoReport({ ...REPORT, promotion: { ...REPORT.promotion!, passed: false, rules: [{ rule: 'auc >= 0.9', status: 'failed', reason: 'auc 0.7654 >= 0.9 is false' }], championVersion: 1, championRole: 'baseline' } });
  assert.ok(text.includes('  ✘ auc >= 0.9: auc 0.7654 >= 0.9 is false\n'));
  assert.ok(text.includes('  → gate failed: champion stays churn@1 (the baseline)'));
});

test('with the key from the environment and no validation yet, those parts are left out', () => {
  const text = formatDemoReport({ ...REPORT, piiKey: 'environment', validation: null, training: null, models: [], evaluationSetup: null, promotion: null, files: [], next: [] });
  assert.doesNotMatch(text, /LOOM_PII_KEY/);
  assert.doesNotMatch(text, /Validation|Look further|Training tables|Models|Evaluation|Promotion|Files/);
});

test('the tuning part: the study, its trials by state, the best params and score, and the model row says tuned', () => {
  const tuning = {
    study: 'churn-gbdt-abababababab',
    data: `churn-training-reference@${V}`,
    experiment: 'churn',
    sampler: 'tpe',
    pruner: 'median',
    validation: '75/25 stratified train/validation split of the reference period',
    metric: 'auc',
    trials: 10,
    ranThisSession: 0,
    resumed: true,
    states: { complete: 6, pruned: 4 },
    bestTrial: 3,
    bestValue: 0.78149,
    bestParams: { num_iterations: 150, learning_rate: 0.030219, num_leaves: 3 },
    parentRunId: 'p1'.repeat(16),
  };
  const lines = formatDemoReport({ ...REPORT, tuning }).split('\n');
  assert.ok(lines.includes('Tuning  study churn-gbdt-abababababab (TPE, median pruning): 10 trials (6 complete, 4 pruned), resumed: 0 run now'), lines.join('\n'));
  assert.ok(lines.includes('  each trial: 75/25 stratified train/validation split of the reference period, scored by validation auc after every iteration'));
  assert.ok(lines.includes('  best: trial 3, validation auc 0.781 with num_iterations=150 learning_rate=0.0302 num_leaves=3'), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('  tracked in experiment churn: a parent run per session (this one p1p1p1p1p1p1) and a child run per trial')), lines.join('\n'));
  assert.ok(lines.some((l) => /^ {2}gbdt +tuned \(trial 3\) +r2r2r2r2r2r2 +0\.912 +churn@2 +challenger$/.test(l)), lines.join('\n'));
  assert.equal(formatDemoReport(REPORT).includes('Tuning'), false, 'no tuning part when the step did not tune');
});
