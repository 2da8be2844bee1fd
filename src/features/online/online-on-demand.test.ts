import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isLoomError } from '../../core/errors/index.js';
import { Workspace } from '../../storage/workspace.js';
import { defineConfig } from '../definitions/define-config.js';
import { entity } from '../definitions/entity.js';
import { fileSource } from '../definitions/feature-source.js';
import { featureView } from '../definitions/feature-view.js';
import { onDemandView } from '../definitions/on-demand-view.js';
import { applyFeatures } from '../registry/apply-features.js';
import { getHistoricalFeatures } from '../retrieval/get-historical-features.js';
import { materializeFeatures } from './materialize-features.js';
import { getOnlineFeatures, OnlineFeatureStore } from './online-feature-store.js';

// On-demand features online: the transform runs through computeOnDemand on the request data and the online inputs
// (a latest value under its TTL and a window aggregate), and gives what getHistoricalFeatures gives at the same time.

const home = mkdtempSync(join(tmpdir(), 'loom-online-od-'));
after(() => rmSync(home, { recursive: true, force: true }));
const ws = Workspace.open({ overrides: { home } });
after(() => ws.close());

writeFileSync(
  join(home, 'spend.csv'),
  'customer_id,ts,monthly_spend,orders\n1,2024-01-01T00:00:00Z,200,1\n1,2024-01-03T00:00:00Z,400,1\n2,2024-01-01T00:00:00Z,50,1\n3,2024-01-03T12:00:00Z,,1\n',
);
const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const spend = featureView({
  name: 'spend', entities: [customer], source: fileSource(join(home, 'spend.csv')), timestamp: 'ts', features: { monthly_spend: 'float' }, ttl: '2d',
  aggregations: [{ fn: 'count', window: '7d' }],
});
const share = onDemandView({
  name: 'share',
  request: { amount: 'float', big: 'bool' },
  inputs: ['spend:monthly_spend', 'spend:count_7d'],
  features: { amount_share: 'float', label: 'string', orders_7d: 'int' },
  transform: (row) => ({
    amount_share: row.monthly_spend === null ? null : (row.amount as number) / (row.monthly_spend as number),
    label: `${row.big ? 'big' : 'small'}:${row.count_7d}`,
    orders_7d: row.count_7d as number,
  }),
});
const config = defineConfig({ entities: [customer], views: [spend, share] });
const T = '2024-01-04T00:00:00Z';
const ready = (async () => {
  await applyFeatures(ws, config);
  await materializeFeatures(ws, { end: Date.parse(T) });
})();

const REQUESTS = [
  { customer_id: 1, amount: 50, big: true }, // spend 400 (Jan 3) → 0.125
  { customer_id: 2, amount: 10, big: false }, // Jan 1 is 3 days back: outside the 2d TTL → null, as offline
  { customer_id: 3, amount: 5, big: true }, // a null spend → null share
  { customer_id: 4, amount: 1, big: false }, // never seen
];

test('online on-demand features equal offline ones at the same time, through the same transform', async () => {
  await ready;
  const path = join(home, 'requests.csv');
  writeFileSync(path, `customer_id,event_timestamp,amount,big\n${REQUESTS.map((r) => `${r.customer_id},${T},${r.amount},${r.big}`).join('\n')}\n`);
  const refs = ['share:amount_share', 'share:label', 'share:orders_7d'];
  const offline = (await getHistoricalFeatures(ws, { entities: { path }, features: refs, config })).frame!.toRecords();
  const online = await OnlineFeatureStore.open(ws, { config });
  try {
    // Request data in the entity objects (as offline reads it from the entity rows) …
    const inline = await online.get({ entities: REQUESTS, features: refs, now: Date.parse(T) });
    // … or beside them.
    const beside = await online.get({ entities: REQUESTS.map((r) => ({ customer_id: r.customer_id })), requestData: REQUESTS.map(({ amount, big }) => ({ amount, big })), features: refs, now: Date.parse(T) });
    for (const res of [inline, beside]) {
      assert.deepEqual(res.features, ['amount_share', 'label', 'orders_7d']);
      assert.deepEqual(
        res.rows.map((r) => [r.values.amount_share, r.values.label, r.values.orders_7d]),
        offline.map((o) => [o.amount_share ?? null, o.label, Number(o.orders_7d)]),
      );
    }
    assert.deepEqual(inline.rows.map((r) => r.values.amount_share), [0.125, null, null, null]);
    assert.deepEqual(inline.rows.map((r) => r.values.label), ['big:2', 'small:1', 'big:1', 'small:0']);
    // Statuses: a null output takes its inputs' worst status.
    assert.deepEqual(inline.rows.map((r) => r.statuses.amount_share), ['PRESENT', 'OUTSIDE_TTL', 'PRESENT', 'NOT_FOUND']);
  } finally {
    await online.close();
  }
});

test('on-demand failures online are coded', async () => {
  await ready;
  const code = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (err) {
      if (isLoomError(err)) return err.code;
      throw err;
    }
    return 'no error';
  };
  const now = Date.parse(T);
  const features = ['share:amount_share'];
  assert.equal(await code(() => getOnlineFeatures(ws, { entities: [REQUESTS[0]], features, now })), 'LOOM_ERR_FEATURES_ON_DEMAND_UNAVAILABLE');
  assert.equal(await code(() => getOnlineFeatures(ws, { entities: [{ customer_id: 1, big: true }], features, now, config })), 'LOOM_ERR_FEATURES_REQUEST_COLUMN_MISSING');
  assert.equal(await code(() => getOnlineFeatures(ws, { entities: [{ customer_id: 1, amount: '50', big: true }], features, now, config })), 'LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST');
  assert.equal(await code(() => getOnlineFeatures(ws, { entities: [REQUESTS[0]], requestData: [], features, now, config })), 'LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST');
  const edited = defineConfig({ entities: [customer], views: [spend, onDemandView({ name: 'share', request: { amount: 'float', big: 'bool' }, inputs: [...share.inputs], features: { amount_share: 'float', label: 'string', orders_7d: 'int' }, transform: () => ({ amount_share: 1, label: 'x', orders_7d: 0 }) })] });
  assert.equal(await code(() => getOnlineFeatures(ws, { entities: [REQUESTS[0]], features, now, config: edited })), 'LOOM_ERR_FEATURES_ON_DEMAND_UNAVAILABLE');
});
