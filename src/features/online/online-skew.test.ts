import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { serviceSkip, SERVICES } from '../../../test/support/services.js';
import { Workspace } from '../../storage/workspace.js';
import { defineConfig } from '../definitions/define-config.js';
import { entity } from '../definitions/entity.js';
import { fileSource } from '../definitions/feature-source.js';
import { featureView } from '../definitions/feature-view.js';
import { applyFeatures } from '../registry/apply-features.js';
import { listFeatureViews } from '../registry/feature-registry.js';
import { getHistoricalFeatures } from '../retrieval/get-historical-features.js';
import { materializeFeatures } from './materialize-features.js';
import { OnlineFeatureStore, type OnlineFeatures } from './online-feature-store.js';
import { openOnlineStore } from './open-online-store.js';
import { onlineTable } from './online-table.js';

// Training/serving skew test: materialize, read online, and compare value for value (every feature type, nulls,
// created-time ties, a composite key, the TTL) with getHistoricalFeatures at the same timestamps.

const home = mkdtempSync(join(tmpdir(), 'loom-online-skew-'));
after(() => rmSync(home, { recursive: true, force: true }));

const DAY = 86_400_000;
const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const shop = entity({ name: 'shop', joinKeys: { shop: 'string' } });
// Rows: several per entity, out of order, a tie on event time broken by created time, a row with null values, and
// rows after the first materialization's end (picked up by the incremental run).
const CSV = `customer_id,shop,event_ts,created_ts,f_float,f_int,f_bool,f_string,f_time
1,a,2024-01-01T00:00:00Z,2024-01-01T00:00:00Z,1.5,10,true,one,2023-12-01T00:00:00.123Z
1,a,2024-01-02T00:00:00Z,2024-01-02T09:00:00Z,2.25,20,false,two-late,2023-12-02T00:00:00Z
1,a,2024-01-02T00:00:00Z,2024-01-02T01:00:00Z,2.5,21,true,two-early,2023-12-02T01:00:00Z
2,a,2024-01-01T12:00:00Z,2024-01-01T12:00:00Z,,,,,
2,b,2024-01-02T06:00:00Z,2024-01-02T06:00:00Z,-0.125,-3,false,,2024-01-01T00:00:00Z
3,007,2023-12-20T00:00:00Z,2023-12-20T00:00:00Z,9,9,true,old,2023-12-20T00:00:00Z
1,a,2024-01-05T00:00:00Z,2024-01-05T00:00:00Z,5.75,50,true,five,2024-01-04T00:00:00Z
4,a,2024-01-06T00:00:00Z,2024-01-06T00:00:00Z,1e10,9007199254740991,false,big,2024-01-06T00:00:00Z
`;
const ENTITIES: [number, string][] = [[1, 'a'], [2, 'a'], [2, 'b'], [3, '007'], [4, 'a'], [5, 'a'], [1, 'b']];
const FEATURES = ['skew:f_float', 'skew:f_int', 'skew:f_bool', 'skew:f_string', 'skew:f_time'];

async function compareAt(ws: Workspace, online: OnlineFeatureStore, times: readonly string[], expectPresent: number): Promise<void> {
  const lines = ['customer_id,shop,event_timestamp'];
  for (const t of times) for (const [c, s] of ENTITIES) lines.push(`${c},${s},${t}`);
  const path = join(home, `entities-${times[0].replace(/[:.]/g, '')}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  const offline = (await getHistoricalFeatures(ws, { entities: { path }, features: FEATURES })).frame!.toRecords();
  let present = 0;
  let i = 0;
  for (const t of times) {
    const res: OnlineFeatures = await online.get({ entities: ENTITIES.map(([customer_id, shop]) => ({ customer_id, shop })), features: FEATURES, now: new Date(t) });
    assert.deepEqual(res.features, ['f_float', 'f_int', 'f_bool', 'f_string', 'f_time']);
    for (const row of res.rows) {
      const off = offline[i++];
      for (const name of res.features as readonly string[]) {
        const want: unknown = off[name] ?? null;
        const got: unknown = row.values[name];
        const label: string = `${name} of ${off.customer_id}/${off.shop} at ${t} (${row.statuses[name]})`;
        // Frames carry timestamps as ISO-8601 UTC text; online returns Dates. Every other type compares as is.
        if (name === 'f_time') {
          assert.ok(got === null || got instanceof Date, label);
          assert.equal(got === null ? null : (got as Date).toISOString(), want instanceof Date ? want.toISOString() : want, label);
        } else assert.deepEqual(got, want, label);
        if (row.statuses[name] === 'PRESENT') present++;
      }
    }
  }
  assert.equal(present, expectPresent, 'PRESENT values');
}

const BACKENDS = [
  { name: 'sqlite', skip: async (): Promise<string | false> => false, kvUri: () => `sqlite://${join(home, 'sqlite', 'kv.db')}` },
  { name: 'redis', skip: () => serviceSkip('redis'), kvUri: () => `${SERVICES.redis.uri}?prefix=test-skew-${process.pid}-${Date.now()}:` },
];

for (const backend of BACKENDS) {
  describe(`online/offline skew: ${backend.name}`, async () => {
    const skip = await backend.skip();
    test('materialized online values equal getHistoricalFeatures at the same times, for every feature type', { skip }, async () => {
      const ws = Workspace.open({ overrides: { home: join(home, backend.name), kvUri: backend.kvUri() } });
      const store = await openOnlineStore(ws.config.kvUri);
      const online = await OnlineFeatureStore.open(ws, { store, registryCacheMs: 0 });
      try {
        writeFileSync(join(home, 'skew.csv'), CSV);
        const view = featureView({
          name: 'skew',
          entities: [customer, shop],
          source: fileSource(join(home, 'skew.csv')),
          timestamp: 'event_ts',
          createdTimestamp: 'created_ts',
          features: { f_float: 'float', f_int: 'int', f_bool: 'bool', f_string: 'string', f_time: 'timestamp' },
          ttl: '2d',
        });
        await applyFeatures(ws, defineConfig({ entities: [customer, shop], views: [view] }));

        const first = await materializeFeatures(ws, { store, end: new Date('2024-01-03T00:00:00Z') });
        assert.deepEqual(first.views.map((v) => [v.view, v.rows, v.written, v.start, v.highWaterMark]), [['skew', 4, 4, null, Date.parse('2024-01-03T00:00:00Z')]]);
        // At Jan 3: 1/a (tie → two-late), 2/a (nulls, PRESENT), 2/b present; 3/007 is 14 days old (OUTSIDE_TTL).
        await compareAt(ws, online, ['2024-01-03T00:00:00Z'], 3 * 5);
        const statuses = await online.get({ entities: [{ customer_id: 3, shop: '007' }, { customer_id: 5, shop: 'a' }], features: ['skew:f_int'], now: Date.parse('2024-01-03T00:00:00Z') });
        assert.deepEqual(statuses.rows.map((r) => [r.statuses.f_int, r.eventTimestamps.f_int?.toISOString() ?? null]), [['OUTSIDE_TTL', '2023-12-20T00:00:00.000Z'], ['NOT_FOUND', null]]);

        const second = await materializeFeatures(ws, { store, incremental: true, end: new Date('2024-01-07T00:00:00Z') });
        assert.deepEqual(second.views.map((v) => [v.rows, v.written, v.start, v.highWaterMark]), [[2, 2, Date.parse('2024-01-03T00:00:00Z'), Date.parse('2024-01-07T00:00:00Z')]]);
        // Re-running the same window is idempotent: the same rows read, nothing newer written, values unchanged.
        const again = await materializeFeatures(ws, { store, start: new Date('2024-01-03T00:00:00Z'), end: new Date('2024-01-07T00:00:00Z') });
        assert.equal(again.views[0].rows, 2);
        // Jan 7: 1/a (five, 2d old → inside), 4/a present; 2/a, 2/b outside TTL. Jan 7.5: 1/a is 2.5 days old → out.
        await compareAt(ws, online, ['2024-01-07T00:00:00Z', '2024-01-07T12:00:00Z', '2024-01-08T00:00:00Z'], 2 * 5 + 1 * 5 + 1 * 5);
      } finally {
        await online.close();
        for (const v of await listFeatureViews(ws)) await store.clear(onlineTable(v.name, v.latestVersion));
        await store.close();
        await ws.close();
      }
    });
  });
}
