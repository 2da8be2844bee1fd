import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { serviceSkip, SERVICES } from '../../../test/support/services.js';
import { Workspace } from '../../storage/workspace.js';
import { defineConfig } from '../definitions/define-config.js';
import { entity } from '../definitions/entity.js';
import { fileSource, streamSource } from '../definitions/feature-source.js';
import { featureView } from '../definitions/feature-view.js';
import type { WindowAggregationInput } from '../definitions/window-aggregation.js';
import { applyFeatures } from '../registry/apply-features.js';
import { getHistoricalFeatures } from '../retrieval/get-historical-features.js';
import { materializeFeatures } from './materialize-features.js';
import { OnlineFeatureStore } from './online-feature-store.js';
import { runStreamUpdates, type StreamUpdateStats } from './stream-updater.js';
import { openOnlineStore } from './open-online-store.js';
import { aggregateTable, onlineTable } from './online-table.js';
import { listFeatureViews } from '../registry/feature-registry.js';

// Window aggregates online against offline (skew), from batch materialization and from the stream updater, and a
// race of the two. Reads are compared at bucket boundaries (multiples of 24 min, the 1d window's bucket and a
// multiple of the 1h window's 1 min bucket), where the online value is exactly the offline window (t − w, t].
// Amounts are integers, so every sum is exact in doubles and equality is exact.

const home = mkdtempSync(join(tmpdir(), 'loom-online-aggs-'));
after(() => rmSync(home, { recursive: true, force: true }));

const MIN = 60_000;
const BASE = Date.parse('2024-03-01T00:00:00Z');
const STEP = 72 * MIN; // materialization / comparison times: BASE + i·72 min, all bucket boundaries
const ENDS = [1, 2, 3, 4, 5].map((i) => BASE + i * STEP);
const AGGS: WindowAggregationInput[] = [
  { fn: 'count', window: '1h' },
  { fn: 'sum', column: 'amount', window: '1h' },
  { fn: 'mean', column: 'amount', window: '1h' },
  { fn: 'min', column: 'amount', window: '1d' },
  { fn: 'max', column: 'amount', window: '1d' },
  { fn: 'distinct', column: 'item', window: '1d' },
];
const NAMES = ['count_1h', 'amount_sum_1h', 'amount_mean_1h', 'amount_min_1d', 'amount_max_1d', 'item_distinct_1d'];
const EMPTY: Record<string, number | null> = { count_1h: 0, amount_sum_1h: 0, amount_mean_1h: null, amount_min_1d: null, amount_max_1d: null, item_distinct_1d: 0 };
const IDS = [1, 2, 3, 4, 5]; // 5 never has an event; 4 only from the third period

interface Ev {
  customer_id: number;
  ts: number;
  amount: number | null;
  item: string;
}

/** Seeded events per period (ts in (end − STEP, end]), plus edge cases: a row exactly at an end (included) and one exactly 1h before an end (excluded). */
function events(): Ev[][] {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return ENDS.map((end, p) => {
    const out: Ev[] = [];
    for (let i = 0; i < 40; i++) {
      const id = [1, 2, 3, 4][Math.floor(rand() * 4)];
      if (id === 4 && p < 2) continue;
      const ts = end - STEP + 1 + Math.floor(rand() * (STEP - 1));
      out.push({ customer_id: id, ts, amount: rand() < 0.1 ? null : 1 + Math.floor(rand() * 50), item: 'abcdef'[Math.floor(rand() * 6)] });
    }
    out.push({ customer_id: 1, ts: end, amount: 7, item: 'z' });
    out.push({ customer_id: 2, ts: end - 60 * MIN, amount: 1000, item: 'y' });
    return out.sort(() => rand() - 0.5); // out of time order within a period
  });
}
const PERIODS = events();

const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
const iso = (ms: number) => new Date(ms).toISOString();
const csv = PERIODS.flat().map((e) => `${e.customer_id},${iso(e.ts)},${e.amount ?? ''},${e.item}`);
writeFileSync(join(home, 'usage.csv'), `customer_id,ts,amount,item\n${csv.join('\n')}\n`);
const usage = featureView({ name: 'usage', entities: [customer], source: fileSource(join(home, 'usage.csv')), timestamp: 'ts', aggregations: AGGS });
const BACKENDS = [
  { name: 'sqlite', skip: async (): Promise<string | false> => false, kvUri: () => `sqlite://${join(home, 'sqlite', 'kv.db')}` },
  { name: 'redis', skip: () => serviceSkip('redis'), kvUri: () => `${SERVICES.redis.uri}?prefix=test-aggs-${process.pid}-${Date.now()}:` },
];
const clicks = featureView({ name: 'clicks', entities: [customer], source: streamSource('clicks'), timestamp: 'ts', features: { amount: 'int' }, aggregations: AGGS });
const race = featureView({ name: 'race', entities: [customer], source: streamSource('race'), timestamp: 'ts', features: { amount: 'int' }, aggregations: AGGS });
const late = featureView({ name: 'late', entities: [customer], source: streamSource('late'), timestamp: 'ts', aggregations: AGGS });
const toEvent = (e: Ev) => ({ customer_id: e.customer_id, ts: iso(e.ts), item: e.item, ...(e.amount === null ? {} : { amount: e.amount }) });

/** Online aggregates of `view` at `t` must equal getHistoricalFeatures at `t`, entity by entity. */
async function compare(ws: Workspace, online: OnlineFeatureStore, view: string, t: number): Promise<number> {
  const path = join(ws.config.home, `at-${view}-${t}.csv`);
  writeFileSync(path, `customer_id,event_timestamp\n${IDS.map((id) => `${id},${iso(t)}`).join('\n')}\n`);
  const refs = NAMES.map((n) => `${view}:${n}`);
  const offline = (await getHistoricalFeatures(ws, { entities: { path }, features: refs })).frame!.toRecords();
  const res = await online.get({ entities: IDS.map((customer_id) => ({ customer_id })), features: refs, now: t });
  let present = 0;
  res.rows.forEach((row, i) => {
    for (const name of NAMES) {
      const raw = offline[i][name];
      const want = raw === null || raw === undefined ? null : Number(raw);
      const label = `${view}:${name} of customer ${IDS[i]} at ${iso(t)} (${row.statuses[name]})`;
      assert.equal(row.values[name], want, label);
      if (row.statuses[name] === 'NOT_FOUND') assert.equal(want, EMPTY[name], `${label}: no state means no event yet`);
      else present++;
    }
  });
  return present;
}

for (const backend of BACKENDS) {
  describe(`window aggregates online: ${backend.name}`, async () => {
    const skip = await backend.skip();
    const ws = Workspace.open({ overrides: { home: join(home, backend.name), kvUri: backend.kvUri() } });
    after(async () => {
      if (!skip) {
        const store = await openOnlineStore(ws.config.kvUri);
        for (const v of await listFeatureViews(ws)) for (const table of [onlineTable(v.name, v.latestVersion), aggregateTable(v.name, v.latestVersion)]) await store.clear(table);
        await store.close();
      }
      await ws.close();
    });
    const ready = skip ? Promise.resolve(null) : applyFeatures(ws, defineConfig({ entities: [customer], views: [usage, clicks, race, late] }));

    test('batch materialization: online aggregates equal offline at every materialization time', { skip }, async () => {
      await ready;
      const online = await OnlineFeatureStore.open(ws, { registryCacheMs: 0 });
      try {
        let present = 0;
        for (const end of ENDS) {
          const run = await materializeFeatures(ws, { views: ['usage'], end });
          assert.ok(run.views[0].aggregates!.rows >= 3, 'states for the entities seen so far');
          present += await compare(ws, online, 'usage', end);
        }
        // After the data: the 1h windows empty out, the 1d windows keep everything until a day has passed.
        present += await compare(ws, online, 'usage', ENDS[4] + 24 * MIN);
        present += await compare(ws, online, 'usage', ENDS[4] + 20 * 24 * MIN);
        assert.ok(present > 100, `compared ${present} present values`);
        // The edge rows: customer 2's row at exactly end − 1h is outside the 1h window (max 1000 is only in the 1d window).
        const row = (await online.get({ entities: [{ customer_id: 2 }], features: ['usage:amount_sum_1h', 'usage:amount_max_1d'], now: ENDS[4] })).rows[0];
        assert.equal(row.values.amount_max_1d, 1000);
        assert.ok((row.values.amount_sum_1h as number) < 1000);
      } finally {
        await online.close();
      }
    });

    test('stream updater: incremental aggregates equal offline; a batch run over the same stream agrees', { skip }, async () => {
      await ready;
      const log = await ws.events();
      const online = await OnlineFeatureStore.open(ws, { registryCacheMs: 0 });
      try {
        for (const [p, end] of ENDS.entries()) {
          await log.append('clicks', PERIODS[p].map(toEvent));
          // A bad event (no join key) is skipped, counted, dead-lettered; the updater goes on.
          if (p === 1) await log.append('clicks', [{ ts: iso(end), amount: 1, item: 'q' }]);
          const stats = await runStreamUpdates(ws, { signal: new AbortController().signal, views: ['clicks'], once: true, batchSize: 17, deadLetterStream: 'clicks.dead' });
          assert.equal(stats.skipped, p === 1 ? 1 : 0);
          await compare(ws, online, 'clicks', end);
        }
        const dead = await log.read('clicks.dead', 0, 10);
        assert.deepEqual(dead.map((d) => [(d.data as { code: string }).code, (d.data as { field: string }).field]), [['LOOM_ERR_FEATURES_STREAM_EVENT_INVALID', 'customer_id']]);
        // Batch materialization of the same events writes the same states (the comparison still holds), and a stream
        // replay from the beginning counts nothing twice.
        await materializeFeatures(ws, { views: ['clicks'], end: ENDS[4] });
        await compare(ws, online, 'clicks', ENDS[4]);
        const replay = await runStreamUpdates(ws, { signal: new AbortController().signal, views: ['clicks'], once: true, fromBeginning: true });
        assert.equal(replay.aggregates, 0, 'every state already covers the replayed offsets');
        await compare(ws, online, 'clicks', ENDS[4]);
        await compare(ws, online, 'clicks', ENDS[4] + 48 * MIN);
      } finally {
        await online.close();
      }
    });

    test('a batch run up to an earlier time covers only the offsets before the first later event; the updater adds the rest', { skip }, async () => {
      await ready;
      const log = await ws.events();
      const online = await OnlineFeatureStore.open(ws, { registryCacheMs: 0 });
      try {
        // Periods 0-2 in time order, then one period-0 straggler after period 2 (a late event of an old time).
        const straggler = { customer_id: 1, ts: iso(ENDS[0] - 5 * MIN), item: 'late', amount: 3 };
        await log.append('late', [...PERIODS[0], ...PERIODS[1], ...PERIODS[2]].map(toEvent));
        const run = await materializeFeatures(ws, { views: ['late'], end: ENDS[0] });
        assert.ok(run.views[0].aggregates!.written > 0);
        await compare(ws, online, 'late', ENDS[0]);
        await log.append('late', [straggler]);
        const stats = await runStreamUpdates(ws, { signal: new AbortController().signal, views: ['late'], once: true });
        assert.ok(stats.aggregates > 0);
        await compare(ws, online, 'late', ENDS[2]);
        const row = (await online.get({ entities: [{ customer_id: 1 }], features: ['late:item_distinct_1d'], now: ENDS[2] })).rows[0];
        const items = new Set([...PERIODS[0], ...PERIODS[1], ...PERIODS[2]].filter((e) => e.customer_id === 1).map((e) => e.item));
        assert.equal(row.values.item_distinct_1d, items.size + 1, 'the straggler\'s item counts once');
      } finally {
        await online.close();
      }
    });

    test('race: the stream updater and batch materialization run at once; nothing regresses or counts twice', { skip }, async () => {
      await ready;
      const log = await ws.events();
      const online = await OnlineFeatureStore.open(ws, { registryCacheMs: 0 });
      const stop = new AbortController();
      let stats: StreamUpdateStats = { events: 0, written: 0, skipped: 0, aggregates: 0 };
      const running = runStreamUpdates(ws, { signal: stop.signal, views: ['race'], pollMs: 5, batchSize: 9, onBatch: (s) => (stats = s) });
      const seen = new Map<number, number>();
      const watch = async () => {
        const res = await online.get({ entities: IDS.map((customer_id) => ({ customer_id })), features: ['race:amount', 'race:count_1h'], now: ENDS[4] + STEP });
        res.rows.forEach((r, i) => {
          const ts = r.eventTimestamps.count_1h?.getTime() ?? -1;
          assert.ok(ts >= (seen.get(IDS[i]) ?? -1), `customer ${IDS[i]}: the aggregate state went back in time`);
          seen.set(IDS[i], ts);
        });
      };
      try {
        let total = 0;
        for (const [p, end] of ENDS.entries()) {
          const batch = PERIODS[p].map(toEvent);
          total += batch.length;
          // A batch run up to the previous period stages a stream that already holds later events (its states must then
          // cover only the offset prefix before the first later event), and one up to this period races the appends.
          await Promise.all([
            log.append('race', batch.slice(0, 20)).then(() => log.append('race', batch.slice(20))),
            materializeFeatures(ws, { views: ['race'], end: end - STEP }).then(() => (p < ENDS.length - 1 ? materializeFeatures(ws, { views: ['race'], end }) : null)),
            watch(),
          ]);
          await watch();
        }
        const deadline = Date.now() + 20_000;
        while (stats.events < total) {
          if (Date.now() > deadline) throw new Error(`the updater read ${stats.events} of ${total} events within 20 s`);
          await new Promise((r) => setTimeout(r, 20));
        }
        // The states the race left are already right; a last batch run changes nothing.
        await compare(ws, online, 'race', ENDS[4]);
        await materializeFeatures(ws, { views: ['race'], end: ENDS[4] });
        await watch();
        await compare(ws, online, 'race', ENDS[4]);
        // Latest values: the newest event time wins whichever writer came last.
        const path = join(ws.config.home, 'race-latest.csv');
        writeFileSync(path, `customer_id,event_timestamp\n${IDS.map((id) => `${id},${iso(ENDS[4])}`).join('\n')}\n`);
        const offline = (await getHistoricalFeatures(ws, { entities: { path }, features: ['race:amount'] })).frame!.toRecords();
        const latest = await online.get({ entities: IDS.map((customer_id) => ({ customer_id })), features: ['race:amount'], now: ENDS[4] });
        assert.deepEqual(latest.rows.map((r) => r.values.amount), offline.map((r) => (r.amount === null || r.amount === undefined ? null : Number(r.amount))));
      } finally {
        stop.abort();
        await running;
        await online.close();
      }
    });
  });
}
