import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ingestDataset } from '../../src/data/ingest/ingest-dataset.js';
import { applyFeatures, buildTrainingSet, defineConfig, entity, featureView, fileSource, materializeFeatures } from '../../src/features/index.js';
import { ModelRegistry } from '../../src/registry/index.js';
import { ModelRepository, OnlineFeatureEnrichment, createServingApp, type BatchingOptions, type FeatureEnrichment, type ServingApp } from '../../src/serving/index.js';
import { Workspace } from '../../src/storage/workspace.js';
import { trainModel } from '../../src/training/index.js';

// Serving enrichment end to end, in-process: a model trained on a feature-store training set is served, and
// `POST /v1/models/{name}/predict {entities}` reads its features online, answers with predictions equal to the same
// request sent as full records, and reports per-record statuses; missing features, bad entities, a model without
// refs, no store and an unreachable Redis are coded errors.

const home = mkdtempSync(join(tmpdir(), 'loom-e2e-features-serving-'));
const ws = Workspace.open({ overrides: { home } });
const T = Date.parse('2024-01-03T00:00:00Z');
const apps: ServingApp[] = [];
let repository: ModelRepository;
after(async () => {
  for (const app of apps) await app.close();
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

async function serve(featureStore: FeatureEnrichment | null, batching?: BatchingOptions): Promise<ServingApp> {
  const app = createServingApp({ repository, featureStore, now: () => T, batching });
  apps.push(app);
  return app;
}
const predict = (app: ServingApp, model: string, payload: unknown) => app.inject({ method: 'POST', url: `/v1/models/${model}/predict`, payload });

before(async () => {
  const stats = ['customer_id,ts,spend,visits'];
  const labels = ['customer_id,event_timestamp,churned'];
  for (let c = 1; c <= 60; c++) {
    // Customer 7's only row is 3 days old at serving time (outside the 2d TTL); every 5th customer has a second row.
    stats.push(`${c},${c === 7 ? '2023-12-31' : '2024-01-01'}T00:00:00Z,${(c * 13) % 97},${c % 6}`);
    if (c % 5 === 0) stats.push(`${c},2024-01-01T12:00:00Z,${(c * 7) % 89},${(c + 1) % 6}`);
    labels.push(`${c},${c === 7 ? '2023-12-31T12:00:00Z' : '2024-01-02T00:00:00Z'},${c % 3 === 0 ? 1 : 0}`);
  }
  writeFileSync(join(home, 'stats.csv'), `${stats.join('\n')}\n`);
  writeFileSync(join(home, 'labels.csv'), `${labels.join('\n')}\n`);
  const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
  const view = featureView({
    name: 'stats', entities: [customer], source: fileSource(join(home, 'stats.csv')), timestamp: 'ts', features: { spend: 'float', visits: 'int' }, ttl: '2d',
    aggregations: [{ fn: 'count', window: '7d' }],
  });
  await applyFeatures(ws, defineConfig({ entities: [customer], views: [view] }));
  const set = await buildTrainingSet(ws, {
    entities: { path: join(home, 'labels.csv') }, features: ['stats:spend', 'stats:visits', 'stats:count_7d'], dataset: 'churn-set', tags: 'churned=target', drop: ['event_timestamp', 'customer_id'],
  });
  assert.deepEqual(set.columns.map((c) => c.name), ['churned', 'spend', 'visits', 'count_7d']);
  const registry = await ModelRegistry.open(ws);
  const linear = await trainModel(ws, { data: 'churn-set', target: 'churned', model: 'linear', seed: 1, out: join(home, 'models/linear') });
  await registry.register({ dir: linear.modelDir, name: 'churn' });
  const gbdt = await trainModel(ws, { data: 'churn-set', target: 'churned', model: 'gbdt', params: { num_iterations: 5, min_data_in_leaf: 3 }, seed: 1, out: join(home, 'models/gbdt') });
  await registry.register({ dir: gbdt.modelDir, name: 'churn-gbdt' });
  // A model whose data did not come from the feature store: no refs.
  writeFileSync(join(home, 'plain.csv'), `spend,visits,count_7d,churned\n${Array.from({ length: 30 }, (_, i) => `${i},${i % 4},${i % 2},${i % 2}`).join('\n')}\n`);
  await ingestDataset(ws, { path: join(home, 'plain.csv'), name: 'plain', tags: 'churned=target' });
  const plain = await trainModel(ws, { data: 'plain', target: 'churned', model: 'linear', seed: 1, out: join(home, 'models/plain') });
  await registry.register({ dir: plain.modelDir, name: 'plain' });
  await materializeFeatures(ws, { end: T });
  repository = new ModelRepository({ registry, aliasRefreshMs: 0 });
});

test('entities are enriched from the online store: predictions equal the same records sent in full', async () => {
  const app = await serve(await OnlineFeatureEnrichment.open(ws));
  const ids = [1, 5, 10, 33];
  const res = await predict(app, 'churn', { entities: ids.map((customer_id) => ({ customer_id })) });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.deepEqual(body.feature_statuses, ids.map(() => ({ spend: 'PRESENT', visits: 'PRESENT', count_7d: 'PRESENT' })));
  // The same inputs, written out: customer 10 has two rows (the Jan 1 12:00 one is the latest; both count in 7d).
  const records = ids.map((c) => (c % 5 === 0 ? { spend: (c * 7) % 89, visits: (c + 1) % 6, count_7d: 2 } : { spend: (c * 13) % 97, visits: c % 6, count_7d: 1 }));
  const full = await predict(app, 'churn', { records });
  assert.equal(full.statusCode, 200, full.body);
  assert.deepEqual(body.predictions, full.json().predictions);
  assert.equal(body.errors.length, 0);
});

test('a feature the model cannot take as null is a 422 for its record; partial mode scores the rest', async () => {
  const app = await serve(await OnlineFeatureEnrichment.open(ws));
  const refused = await predict(app, 'churn', { entities: [{ customer_id: 1 }, { customer_id: 999 }] });
  assert.equal(refused.statusCode, 422, refused.body);
  assert.equal(refused.json().code, 'LOOM_ERR_FEATURES_ENRICHMENT_MISSING_FEATURE');
  assert.deepEqual([refused.json().details.index, refused.json().details.status], [1, 'NOT_FOUND']);

  const partial = await predict(app, 'churn', { entities: [{ customer_id: 1 }, { customer_id: 999 }, { customer_id: 7 }, { id: 3 }, 'x'], partial: true });
  assert.equal(partial.statusCode, 200, partial.body);
  const body = partial.json();
  assert.deepEqual(body.predictions.map((p: unknown) => p !== null), [true, false, false, false, false]);
  assert.deepEqual(body.feature_statuses.slice(0, 3), [
    { spend: 'PRESENT', visits: 'PRESENT', count_7d: 'PRESENT' },
    { spend: 'NOT_FOUND', visits: 'NOT_FOUND', count_7d: 'NOT_FOUND' },
    { spend: 'OUTSIDE_TTL', visits: 'OUTSIDE_TTL', count_7d: 'PRESENT' },
  ]);
  assert.deepEqual(body.feature_statuses.slice(3), [null, null]);
  const codes = body.errors.map((e: { index: number; field: string; code: string }) => [e.index, e.field, e.code]);
  assert.deepEqual(codes, [
    [1, 'spend', 'LOOM_ERR_FEATURES_ENRICHMENT_MISSING_FEATURE'],
    [1, 'visits', 'LOOM_ERR_FEATURES_ENRICHMENT_MISSING_FEATURE'],
    [2, 'spend', 'LOOM_ERR_FEATURES_ENRICHMENT_MISSING_FEATURE'],
    [2, 'visits', 'LOOM_ERR_FEATURES_ENRICHMENT_MISSING_FEATURE'],
    [3, 'customer_id', 'LOOM_ERR_FEATURES_ENTITY_KEY_MISSING'],
    [4, '(entity)', 'LOOM_ERR_FEATURES_ENRICHMENT_INVALID_ENTITY'],
  ]);
  // Without partial, a bad key fails the request with its own code.
  const badKey = await predict(app, 'churn', { entities: [{ id: 3 }] });
  assert.deepEqual([badKey.statusCode, badKey.json().code], [400, 'LOOM_ERR_FEATURES_ENTITY_KEY_MISSING']);
});

test('a GBDT model takes missing features as nulls; a value in the entity object and a fallback hook fill a feature', async () => {
  const app = await serve(await OnlineFeatureEnrichment.open(ws));
  const res = await predict(app, 'churn-gbdt', { entities: [{ customer_id: 999 }] });
  assert.equal(res.statusCode, 200, res.body);
  const asNulls = await predict(app, 'churn-gbdt', { records: [{ spend: null, visits: null, count_7d: 0 }] });
  assert.deepEqual(res.json().predictions, asNulls.json().predictions);
  assert.deepEqual(res.json().feature_statuses, [{ spend: 'NOT_FOUND', visits: 'NOT_FOUND', count_7d: 'NOT_FOUND' }]);
  // Enriched records of a GBDT model are scored by its RowScorer; an entity error sends the request down the general
  // path (partial), whose answers for the good entities are the same.
  const entities = [1, 10, 7, 999, 33].map((customer_id) => ({ customer_id }));
  const fast = await predict(app, 'churn-gbdt', { entities, id: 'e' });
  const general = await predict(app, 'churn-gbdt', { entities: [...entities, { id: 1 }], id: 'e', partial: true });
  assert.equal(fast.body, JSON.stringify(fast.json()));
  assert.deepEqual(fast.json().predictions, general.json().predictions.slice(0, entities.length));
  assert.deepEqual(fast.json().feature_statuses, general.json().feature_statuses.slice(0, entities.length));
  assert.equal(general.json().errors.length, 1);

  const explicit = await predict(app, 'churn', { entities: [{ customer_id: 999, spend: 12, visits: 2 }] });
  assert.equal(explicit.statusCode, 200, explicit.body);
  const same = await predict(app, 'churn', { records: [{ spend: 12, visits: 2, count_7d: 0 }] });
  assert.deepEqual(explicit.json().predictions, same.json().predictions);

  const withFallback = await serve(await OnlineFeatureEnrichment.open(ws, { fallback: ({ column, status }) => (status === 'NOT_FOUND' && column !== 'count_7d' ? 0 : undefined) }));
  const filled = await predict(withFallback, 'churn', { entities: [{ customer_id: 999 }] });
  assert.equal(filled.statusCode, 200, filled.body);
  const zeros = await predict(withFallback, 'churn', { records: [{ spend: 0, visits: 0, count_7d: 0 }] });
  assert.deepEqual(filled.json().predictions, zeros.json().predictions);
  assert.deepEqual(filled.json().feature_statuses, [{ spend: 'NOT_FOUND', visits: 'NOT_FOUND', count_7d: 'NOT_FOUND' }]);
});

test('with micro-batching on, concurrent requests are read from the store together and each gets what it gets alone', async () => {
  const indexes: number[] = [];
  const options = { fallback: ({ index, column }: { index: number; column: string }) => (column === 'visits' ? (indexes.push(index), 0) : undefined) };
  const alone = await serve(await OnlineFeatureEnrichment.open(ws, options));
  // The same store, with its group reads counted.
  const inner = await OnlineFeatureEnrichment.open(ws, options);
  const groupReads: number[][] = [];
  const counted: FeatureEnrichment = {
    enrich: (model, entities, o) => inner.enrich(model, entities, o),
    enrichGroups: (model, groups, o) => (groupReads.push(groups.map((g) => g.length)), inner.enrichGroups(model, groups, o)),
    close: () => inner.close(),
  };
  const batched = await serve(counted, { maxBatchSize: 64, maxWaitMs: 50 });
  const requests: [string, unknown][] = [
    ['churn', { entities: [{ customer_id: 1 }, { customer_id: 10 }] }],
    ['churn', { entities: [{ customer_id: 999 }, { customer_id: 2 }], partial: true }],
    ['churn', { entities: [{ customer_id: 3 }, { customer_id: 998 }] }],
    ['churn', { entities: [{ customer_id: 4 }, { id: 4 }] }],
    ['churn', { entities: ['x', { customer_id: 5 }, { id: 5 }], partial: true }],
    ['churn', { entities: [{ customer_id: 33 }] }],
    ['churn-gbdt', { entities: [{ customer_id: 6 }, { customer_id: 997 }] }],
  ];
  const expected = [];
  for (const [model, body] of requests) expected.push(await predict(alone, model, body));
  const expectedIndexes = indexes.splice(0);
  const got = await Promise.all(requests.map(([model, body]) => predict(batched, model, body)));
  const view = (r: Awaited<ReturnType<typeof predict>>) => {
    const { request_id: _, ...rest } = r.json();
    return [r.statusCode, rest];
  };
  assert.deepEqual(got.map(view), expected.map(view));
  assert.deepEqual([got[2].statusCode, got[2].json().code, got[2].json().details.index], [422, 'LOOM_ERR_FEATURES_ENRICHMENT_MISSING_FEATURE', 1]);
  assert.deepEqual([got[3].statusCode, got[3].json().code], [400, 'LOOM_ERR_FEATURES_ENTITY_KEY_MISSING']);
  // The fallback hook saw each entity's index within its own request, as unbatched.
  assert.deepEqual([...indexes].sort(), [...expectedIndexes].sort());
  // One read for five of the churn requests; the one with a non-object entity is read alone, and so is churn-gbdt's
  // (a batch of one is a plain read).
  assert.deepEqual(groupReads, [[2, 2, 2, 2, 1]]);
  await inner.close();
});

test('bad requests: no refs, no store, records with entities, empty entities', async () => {
  const app = await serve(await OnlineFeatureEnrichment.open(ws));
  const noRefs = await predict(app, 'plain', { entities: [{ customer_id: 1 }] });
  assert.deepEqual([noRefs.statusCode, noRefs.json().code], [400, 'LOOM_ERR_FEATURES_ENRICHMENT_NO_FEATURES']);
  const both = await predict(app, 'churn', { entities: [{ customer_id: 1 }], records: [{ spend: 1, visits: 1, count_7d: 1 }] });
  assert.deepEqual([both.statusCode, both.json().code, both.json().details.field], [400, 'LOOM_ERR_SERVING_INVALID_REQUEST', 'entities']);
  const empty = await predict(app, 'churn', { entities: [] });
  assert.deepEqual([empty.statusCode, empty.json().details.field], [400, 'entities']);
  const noStore = await serve(null);
  const unavailable = await predict(noStore, 'churn', { entities: [{ customer_id: 1 }] });
  assert.deepEqual([unavailable.statusCode, unavailable.json().code], [503, 'LOOM_ERR_FEATURES_ENRICHMENT_UNAVAILABLE']);
});

test('an unreachable Redis is a 503 LOOM_ERR_STORAGE_UNREACHABLE, never a hang', { timeout: 60_000 }, async () => {
  // A port that was just free: nothing listens on it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const app = await serve(await OnlineFeatureEnrichment.open(ws, { uri: `redis://127.0.0.1:${port}/0` }));
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await predict(app, 'churn', { entities: [{ customer_id: 1 }] });
    assert.deepEqual([res.statusCode, res.json().code], [503, 'LOOM_ERR_STORAGE_UNREACHABLE']);
  }
});
