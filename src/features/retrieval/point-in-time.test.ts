import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Workspace } from '../../storage/workspace.js';
import { defineConfig } from '../definitions/define-config.js';
import { entity } from '../definitions/entity.js';
import { fileSource } from '../definitions/feature-source.js';
import { featureView } from '../definitions/feature-view.js';
import { applyFeatures } from '../registry/apply-features.js';
import { getHistoricalFeatures } from './get-historical-features.js';

// Hand-made tables with every expected value written out. Times are UTC.
const home = mkdtempSync(join(tmpdir(), 'loom-pit-'));
const ws = Workspace.open({ overrides: { home } });
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(home, name);
  writeFileSync(path, text);
  return path;
}

const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const merchant = entity({ name: 'merchant', joinKeys: { merchant: 'string' } });

// spend: TTL 1 day, created timestamps break ties (the later-created row comes first, so file order cannot decide).
const spendCsv = `customer_id,event_ts,created_ts,spend,plan
1,2024-01-01T00:00:00Z,2024-01-01T00:00:00Z,10,a
1,2024-01-02T00:00:00Z,2024-01-02T05:00:00Z,25,b2
1,2024-01-02T00:00:00Z,2024-01-02T00:00:00Z,20,b
1,2024-01-03T00:00:00Z,2024-01-05T00:00:00Z,30,late
2,2024-01-01T00:00:00Z,2024-01-01T00:00:00Z,100,x
4,2024-01-10T00:00:00Z,2024-01-10T20:00:00Z,1,A
4,2024-01-10T10:00:00Z,2024-01-10T11:00:00Z,2,B
`;
// orders: composite key (customer, merchant), window aggregates.
const ordersCsv = `customer_id,merchant,ts,amount,item
1,m1,2024-01-01T23:00:00Z,5,x
1,m1,2024-01-02T00:00:00Z,7,y
1,m1,2024-01-01T00:00:00Z,100,x
1,m2,2024-01-01T23:30:00Z,50,z
1,m1,2024-01-01T00:00:00.001Z,1,w
`;
// Entity rows in a deliberately unsorted order; `label` passes through.
const entityCsv = `customer_id,merchant,event_timestamp,label
1,m1,2024-01-02T00:00:00Z,r0
1,m1,2024-01-01T12:00:00Z,r1
2,m1,2024-01-02T00:00:00Z,r2
2,m1,2024-01-02T00:00:00.001Z,r3
3,m1,2024-01-02T00:00:00Z,r4
1,m1,2023-12-31T23:59:59Z,r5
1,m2,2024-01-03T12:00:00Z,r6
1,m1,2024-01-01T23:59:59.999Z,r7
4,m1,2024-01-10T21:00:00Z,r8
4,m1,2024-01-10T12:00:00Z,r9
4,m1,2024-01-10T10:30:00Z,r10
`;

before(async () => {
  const spend = featureView({
    name: 'spend',
    entities: [customer],
    source: fileSource(file('spend.csv', spendCsv)),
    timestamp: 'event_ts',
    createdTimestamp: 'created_ts',
    features: { spend: 'float', plan: 'string' },
    ttl: '1d',
  });
  const orders = featureView({
    name: 'orders',
    entities: [customer, merchant],
    source: fileSource(file('orders.csv', ordersCsv)),
    timestamp: 'ts',
    aggregations: [
      { fn: 'count', window: '1h' },
      { fn: 'sum', column: 'amount', window: '1d' },
      { fn: 'distinct', column: 'item', window: '1d' },
      { fn: 'mean', column: 'amount', window: '1d' },
      { fn: 'min', column: 'amount', window: '1d' },
      { fn: 'max', column: 'amount', window: '1d' },
    ],
  });
  await applyFeatures(ws, defineConfig({ entities: [customer, merchant], views: [spend, orders] }));
  file('entities.csv', entityCsv);
});

describe('point-in-time retrieval', () => {
  test('latest row within TTL: exact ties, created-time tie-break, TTL edge, late rows, no history; input order kept', async () => {
    const result = await getHistoricalFeatures(ws, { entities: { path: join(home, 'entities.csv') }, features: ['spend:spend', 'spend:plan'] });
    const rows = result.frame!.toRecords().map((r) => [r.label, r.spend, r.plan]);
    assert.deepEqual(rows, [
      ['r0', 25, 'b2'], // event_ts == entity_ts is included; of the two rows at that instant the later created wins
      ['r1', 10, 'a'],
      ['r2', 100, 'x'], // exactly entity_ts − ttl: inside (inclusive)
      ['r3', null, null], // 1 ms older than the TTL: outside
      ['r4', null, null], // no history at all
      ['r5', null, null], // before the first row
      ['r6', 30, 'late'], // late-arriving row (created two days after its event time) is served by event time
      ['r7', 10, 'a'], // 1 ms before the next row
      ['r8', 2, 'B'],
      ['r9', 2, 'B'],
      ['r10', 2, 'B'],
    ]);
    assert.deepEqual(result.columns.map((c) => c.name), ['customer_id', 'merchant', 'event_timestamp', 'label', 'spend', 'plan']);
  });

  test('filterCreated serves only rows already written at the entity time (no late or corrected rows)', async () => {
    const result = await getHistoricalFeatures(ws, { entities: { path: join(home, 'entities.csv') }, features: ['spend:spend', 'spend:plan'], filterCreated: true });
    assert.deepEqual(result.frame!.toRecords().map((r) => [r.label, r.spend, r.plan]), [
      ['r0', 20, 'b'], // the 05:00 correction of the same event time is not written yet at 00:00
      ['r1', 10, 'a'],
      ['r2', 100, 'x'],
      ['r3', null, null],
      ['r4', null, null],
      ['r5', null, null],
      ['r6', null, null], // the late row is written on Jan 5; the Jan 2 rows are older than the 1-day TTL
      ['r7', 10, 'a'],
      ['r8', 2, 'B'], // both written; B has the later event time although A was written later
      ['r9', 2, 'B'], // A is not written until 20:00
      ['r10', null, null], // neither is written at 10:30
    ]);
  });

  test('window aggregates at exact window boundaries (start excluded, end included), composite keys, two views at once', async () => {
    const result = await getHistoricalFeatures(ws, {
      entities: { path: join(home, 'entities.csv') },
      features: ['orders:count_1h', 'orders:amount_sum_1d', 'orders:item_distinct_1d', 'orders:amount_mean_1d', 'orders:amount_min_1d', 'orders:amount_max_1d', 'spend:spend'],
    });
    const rows = result.frame!.toRecords().map((r) => [r.label, r.count_1h, r.amount_sum_1d, r.item_distinct_1d, r.amount_mean_1d, r.amount_min_1d, r.amount_max_1d, r.spend]);
    assert.deepEqual(rows, [
      // (23:00, 00:00] holds only the row at 00:00; the 1d window excludes the row exactly 1 day back (100)
      ['r0', 1, 13, 3, 13 / 3, 1, 7, 25],
      ['r1', 0, 101, 2, 50.5, 1, 100, 10],
      ['r2', 0, 0, 0, null, null, null, 100],
      ['r3', 0, 0, 0, null, null, null, null],
      ['r4', 0, 0, 0, null, null, null, null],
      ['r5', 0, 0, 0, null, null, null, null],
      ['r6', 0, 0, 0, null, null, null, 30], // merchant m2's only order is 36.5 h old
      ['r7', 1, 106, 2, 106 / 3, 1, 100, 10],
      ['r8', 0, 0, 0, null, null, null, 2],
      ['r9', 0, 0, 0, null, null, null, 2],
      ['r10', 0, 0, 0, null, null, null, 2],
    ]);
  });

  test('writes Parquet directly with the same rows', async () => {
    const out = join(home, 'out', 'train.parquet');
    const result = await getHistoricalFeatures(ws, { entities: { path: join(home, 'entities.csv') }, features: ['spend:spend', 'orders:amount_sum_1d'], out });
    assert.equal(result.out, out);
    assert.equal(result.frame, null);
    assert.equal(result.rows, 11);
    const back = await getHistoricalFeatures(ws, { entities: { path: out }, features: ['spend:plan'] });
    assert.deepEqual(back.frame!.toRecords().map((r) => [r.label, r.spend, r.amount_sum_1d, r.plan]), [
      ['r0', 25, 13, 'b2'],
      ['r1', 10, 101, 'a'],
      ['r2', 100, 0, 'x'],
      ['r3', null, 0, null],
      ['r4', null, 0, null],
      ['r5', null, 0, null],
      ['r6', 30, 0, 'late'],
      ['r7', 10, 106, 'a'],
      ['r8', 2, 0, 'B'],
      ['r9', 2, 0, 'B'],
      ['r10', 2, 0, 'B'],
    ]);
  });
});
