import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isLoomError, type ErrorName } from '../../core/errors/index.js';
import { ingestDataset } from '../../data/index.js';
import { Workspace } from '../../storage/workspace.js';
import { defineConfig, type FeatureConfig } from '../definitions/define-config.js';
import { entity } from '../definitions/entity.js';
import { datasetSource, fileSource, sqlSource, streamSource } from '../definitions/feature-source.js';
import { featureView } from '../definitions/feature-view.js';
import { onDemandView } from '../definitions/on-demand-view.js';
import { applyFeatures } from '../registry/apply-features.js';
import { getHistoricalFeatures, type HistoricalFeaturesRequest } from './get-historical-features.js';

// Sources of every kind give the same answers; bad entity rows and refs are coded errors.
const home = mkdtempSync(join(tmpdir(), 'loom-pit-inputs-'));
const ws = Workspace.open({ overrides: { home } });
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});
const path = (name: string, text: string): string => {
  writeFileSync(join(home, name), text);
  return join(home, name);
};

const rowsCsv = 'customer_id,ts,score\n1,2024-03-01T00:00:00Z,0.5\n1,2024-03-02T00:00:00Z,0.75\n2,2024-03-01T12:00:00Z,0.25\n';
const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const store = entity({ name: 'store', joinKeys: { store: 'string' } });
const common = { entities: [customer], timestamp: 'ts', features: { score: 'float' as const } };
const ratio = (factor: number) =>
  onDemandView({
    name: 'boost',
    request: { amount: 'float' },
    inputs: ['from_file:score'],
    features: { boosted: 'float', high: 'bool' },
    transform: (row) => ({ boosted: row.score === null ? null : (row.score as number) * (row.amount as number) * factor, high: (row.amount as number) > 10 }),
  });
let config: FeatureConfig;

before(async () => {
  await ingestDataset(ws, { path: path('rows.csv', rowsCsv), name: 'scores', timestamp: 'ts' });
  const log = await ws.events();
  await log.append('scores', [
    { customer_id: 1, ts: '2024-03-01T00:00:00Z', score: 0.5 },
    { customer_id: 1, ts: '2024-03-02T00:00:00Z', score: 0.75 },
    { customer_id: 2, ts: '2024-03-01T12:00:00Z', score: 0.25 },
  ]);
  config = defineConfig({
    entities: [customer, store],
    views: [
      featureView({ name: 'from_file', source: fileSource(join(home, 'rows.csv')), ...common }),
      featureView({ name: 'from_dataset', source: datasetSource('scores'), ...common }),
      featureView({ name: 'from_sql', source: sqlSource(`SELECT * FROM read_csv('${join(home, 'rows.csv')}')`), ...common }),
      featureView({ name: 'from_stream', source: streamSource('scores'), ...common, createdTimestamp: '_logged_at' }),
      ratio(1),
      featureView({ name: 'store_sales', entities: [store], source: fileSource(path('stores.csv', 'store,ts,sales\n007,2024-03-01T00:00:00Z,1\n7,2024-03-01T00:00:00Z,2\n')), timestamp: 'ts', features: { sales: 'int' } }),
    ],
  });
  await applyFeatures(ws, config, { baseDir: home });
});

const entities = 'customer_id,event_timestamp,amount\n1,2024-03-02T01:00:00+01:00,20\n2,2024-03-01T12:00:00Z,4\n1,2024-03-01T23:59:59Z,2\n3,2024-03-05T00:00:00Z,1\n';
const run = (request: Partial<HistoricalFeaturesRequest>) =>
  getHistoricalFeatures(ws, { entities: { path: path('entities.csv', entities) }, features: ['from_file:score'], config, ...request });

async function rejects(request: Partial<HistoricalFeaturesRequest>, name: ErrorName, field?: string): Promise<void> {
  await assert.rejects(run(request), (err) => {
    assert.ok(isLoomError(err, name), `${name}: got ${String(err)}`);
    if (field !== undefined) assert.equal(err.details?.field, field);
    return true;
  });
}

describe('sources and inputs', () => {
  test('file, dataset, SQL and stream sources give the same values; offsets convert to UTC', async () => {
    const result = await run({ features: ['from_file:score', 'from_dataset:score', 'from_sql:score', 'from_stream:score'], fullNames: true });
    const rows = result.frame!.toRecords().map((r) => [r.from_file__score, r.from_dataset__score, r.from_sql__score, r.from_stream__score]);
    // 01:00+01:00 is 00:00Z on March 2: the March 2 row counts (inclusive); 23:59:59Z the day before does not.
    assert.deepEqual(rows, [
      [0.75, 0.75, 0.75, 0.75],
      [0.25, 0.25, 0.25, 0.25],
      [0.5, 0.5, 0.5, 0.5],
      [null, null, null, null],
    ]);
    assert.match(result.views.find((v) => v.view === 'from_dataset')!.source, /^scores@[0-9a-f]{64}$/);
    assert.equal(result.views.find((v) => v.view === 'from_stream')!.source, 'stream scores@3');
  });

  test('two retrievals that stage the same stream in the same millisecond each read the whole stream', async (t) => {
    // Both stage stream view 0 in one process; with the clock held still, a name made of pid, index and time collides.
    const now = Date.now();
    t.mock.method(Date, 'now', () => now);
    const results = await Promise.all([1, 2, 3].map(() => run({ features: ['from_stream:score'], fullNames: true })));
    for (const result of results) assert.deepEqual(result.frame!.toRecords().map((r) => r.from_stream__score), [0.75, 0.25, 0.5, null]);
  });

  test('on-demand features run the config transform per row, offline, on request columns and joined features', async () => {
    const result = await run({ features: ['boost:boosted', 'boost:high'] });
    assert.deepEqual(result.frame!.toRecords().map((r) => [r.amount, r.boosted, r.high]), [
      [20, 15, true],
      [4, 1, false],
      [2, 1, false],
      [1, null, false],
    ]);
  });

  test('a dataset as the entity rows (stored UTC times are accepted)', async () => {
    const result = await run({ entities: { dataset: 'scores' }, timestampColumn: 'ts', features: ['from_stream:score'], fullNames: true });
    assert.deepEqual(result.frame!.toRecords().map((r) => r.from_stream__score), [0.5, 0.75, 0.25]);
  });

  test('string keys that look like numbers keep their leading zeros in CSV files', async () => {
    const result = await run({ entities: { path: path('store-rows.csv', 'store,event_timestamp\n007,2024-03-02T00:00:00Z\n7,2024-03-02T00:00:00Z\n07,2024-03-02T00:00:00Z\n') }, features: ['store_sales:sales'] });
    assert.deepEqual(result.frame!.toRecords().map((r) => [r.store, r.sales]), [['007', 1], ['7', 2], ['07', null]]);
  });

  test('bad input is a coded error', async () => {
    await rejects({ features: ['from_file:scor'] }, 'FEATURES_UNKNOWN_FEATURE', 'features');
    await assert.rejects(run({ features: ['from_fil:score'] }), (err) => isLoomError(err, 'FEATURES_UNKNOWN_FEATURE') && (err.details?.suggestions as string[]).includes('from_file:score'));
    await rejects({ features: ['score'] }, 'FEATURES_INVALID_REF', 'features');
    await rejects({ entities: { path: path('no-ts.csv', 'customer_id,amount\n1,2\n') } }, 'FEATURES_ENTITY_TIMESTAMP_MISSING', 'timestampColumn');
    await rejects({ entities: { path: path('int-ts.csv', 'customer_id,event_timestamp\n1,1709251200\n') } }, 'FEATURES_TIMESTAMP_TYPE', 'event_timestamp');
    await rejects({ entities: { path: path('naive.csv', 'customer_id,event_timestamp\n1,2024-03-01 10:00:00\n') } }, 'FEATURES_NAIVE_TIMESTAMP', 'event_timestamp');
    await rejects({ entities: { path: path('naive-text.csv', 'customer_id,event_timestamp\n1,2024-03-01T10:00:00Z\n1,2024-03-01T10:00:00\n') } }, 'FEATURES_NAIVE_TIMESTAMP', 'event_timestamp');
    await rejects({ entities: { path: path('no-key.csv', 'cust,event_timestamp\n1,2024-03-01T10:00:00Z\n') } }, 'FEATURES_ENTITY_KEY_MISSING', 'customer_id');
    await rejects({ entities: { path: path('text-key.csv', 'customer_id,event_timestamp\nabc,2024-03-01T10:00:00Z\n') } }, 'FEATURES_SOURCE_TYPE_MISMATCH', 'customer_id');
    await rejects({ entities: { path: path('clash.csv', 'customer_id,event_timestamp,score\n1,2024-03-01T10:00:00Z,1\n') } }, 'FEATURES_OUTPUT_COLUMN_CLASH', 'features');
    await rejects({ features: ['boost:boosted'], config: undefined }, 'FEATURES_ON_DEMAND_UNAVAILABLE', 'boost');
    const changed = onDemandView({ name: 'boost', request: { amount: 'float' }, inputs: ['from_file:score'], features: { boosted: 'float', high: 'bool' }, transform: (row) => ({ boosted: row.score, high: false }) });
    const edited = defineConfig({ entities: [customer, store], views: [...config.featureViews, changed] });
    await rejects({ features: ['boost:boosted'], config: edited }, 'FEATURES_ON_DEMAND_UNAVAILABLE', 'boost');
    await rejects({ features: ['boost:boosted'], entities: { path: path('no-amount.csv', 'customer_id,event_timestamp\n1,2024-03-01T10:00:00Z\n') } }, 'FEATURES_REQUEST_COLUMN_MISSING', 'amount');
  });
});
