import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readTableFile } from '../data/ingest/read-table-file.js';
import { generateChurnWorld } from './generate-churn-world.js';
import { writeChurnWorld } from './write-world.js';

const root = mkdtempSync(join(tmpdir(), 'loom-synthetic-'));
after(() => rmSync(root, { recursive: true, force: true }));

const SMALL = { seed: 11, customers: 500 };

function hashes(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
}

test('the same seed writes byte-identical files (Parquet included); another seed writes other bytes', async () => {
  const a = await writeChurnWorld(generateChurnWorld(SMALL), join(root, 'a'));
  const b = await writeChurnWorld(generateChurnWorld(SMALL), join(root, 'b'));
  const c = await writeChurnWorld(generateChurnWorld({ ...SMALL, seed: 12 }), join(root, 'c'));
  const ha = hashes(a.dir);
  assert.deepEqual(Object.keys(ha), ['customers.csv', 'events.parquet', 'ground-truth.csv', 'labels.jsonl', 'world.json'], 'no temporary files left');
  assert.deepEqual(hashes(b.dir), ha);
  const hc = hashes(c.dir);
  for (const file of Object.keys(ha)) assert.notEqual(hc[file], ha[file], file);
  assert.equal(a.manifest.files.customers.sha256, ha['customers.csv']);
  assert.equal(a.manifest.files.events.sha256, ha['events.parquet']);
  // Writing again into the same directory replaces the files with the same bytes.
  await writeChurnWorld(generateChurnWorld(SMALL), a.dir);
  assert.deepEqual(hashes(a.dir), ha);
});

test('customers.csv holds features but no label and no true probability; its dirty cells are as the manifest says', async () => {
  const w = await writeChurnWorld(generateChurnWorld(SMALL), join(root, 'd'));
  const lines = readFileSync(w.paths.customers, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  assert.equal(lines.length - 1, 500);
  assert.equal(w.manifest.files.customers.rows, 500);
  for (const leak of ['churned', 'churn_probability', 'churn_logit', 'churn_at', 'period']) assert.ok(!header.includes(leak), leak);
  const cells = lines.slice(1).map((l) => l.split(','));
  const blank = (column: string) => cells.filter((r) => r[header.indexOf(column)] === '').length;
  assert.equal(blank('region'), w.manifest.dirty.regionNulls);
  assert.equal(blank('age'), w.manifest.dirty.ageNulls);
  assert.equal(blank('monthly_charges'), w.manifest.dirty.monthlyChargesNulls);
  assert.deepEqual([w.manifest.dirty.regionNulls, w.manifest.dirty.monthlyChargesNulls, w.manifest.dirty.paddedPlans], [5, 3, 1]);
  assert.equal(cells.filter((r) => /^ .* $/.test(r[header.indexOf('plan')])).length, 1);
  assert.equal(readFileSync(w.paths.labels, 'utf8').trimEnd().split('\n').length, 500);
  const truth = readFileSync(w.paths.groundTruth, 'utf8').trimEnd().split('\n');
  assert.deepEqual(truth[0].split(','), ['customer_id', 'observed_at', 'period', 'feature_regime', 'concept_regime', 'churn_logit', 'churn_probability']);
});

test('the files read back through ingest normalization with the manifest tags: types, pii, timestamps', async () => {
  const w = await writeChurnWorld(generateChurnWorld(SMALL), join(root, 'e'));
  const env = { LOOM_PII_KEY: 'test-key' };
  const files = w.manifest.files;
  const customers = await readTableFile(w.paths.customers, { tags: files.customers.tags, timestamp: files.customers.timestamp, env });
  assert.equal(customers.length, 500);
  const types = Object.fromEntries(customers.columns.map((c) => [c.name, c.type]));
  assert.equal(types.observed_at, 'timestamp');
  assert.equal(types.signup_at, 'timestamp');
  assert.equal(types.monthly_charges, 'float');
  assert.equal(types.tenure_months, 'int');
  assert.equal(types.autopay, 'bool');
  const email = customers.column('email');
  assert.deepEqual(email.tags, ['pii']);
  assert.equal(email.type, 'string');
  if (email.type === 'string') assert.ok(email.values.every((v) => /^[0-9a-f]{64}$/.test(v)), 'emails are pseudonymized to HMAC hex');
  const labels = await readTableFile(w.paths.labels, { tags: files.labels.tags, timestamp: files.labels.timestamp, env });
  assert.equal(labels.column('churned').type, 'bool');
  assert.equal(labels.column('churn_at').type, 'timestamp');
  const events = await readTableFile(w.paths.events, { tags: files.events.tags, timestamp: files.events.timestamp, env });
  assert.equal(events.length, w.manifest.files.events.rows);
  assert.equal(events.column('event_at').type, 'timestamp');
  assert.equal(events.column('amount').type, 'float');
});

test('events as CSV and JSON Lines hold the same rows as Parquet', async () => {
  const parquet = await writeChurnWorld(generateChurnWorld(SMALL), join(root, 'f'));
  for (const eventsFormat of ['csv', 'jsonl'] as const) {
    const w = await writeChurnWorld(generateChurnWorld({ ...SMALL, eventsFormat }), join(root, eventsFormat));
    assert.equal(w.manifest.files.events.file, `events.${eventsFormat}`);
    assert.equal(w.manifest.files.events.rows, parquet.manifest.files.events.rows);
    const frame = await readTableFile(w.paths.events, { timestamp: 'event_at' });
    assert.equal(frame.length, parquet.manifest.files.events.rows);
    assert.equal(frame.column('duration_minutes').type, 'float');
  }
});
