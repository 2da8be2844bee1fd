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
  assert.equal(lines.at(-1), 'Done in 4.2 s (generate 1.5 s)');
});

test('with the key from the environment and no validation yet, those parts are left out', () => {
  const text = formatDemoReport({ ...REPORT, piiKey: 'environment', validation: null, next: [] });
  assert.doesNotMatch(text, /LOOM_PII_KEY/);
  assert.doesNotMatch(text, /Validation|Look further/);
});
