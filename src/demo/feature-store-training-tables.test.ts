import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDuckDb } from '../data/duckdb/duckdb-session.js';
import { queryRows } from '../data/duckdb/query-rows.js';
import { sqlString } from '../data/duckdb/sql-text.js';
import { resolveVersion } from '../data/versions/resolve-version.js';
import { getOnlineFeatures } from '../features/online/index.js';
import { trainingSetRefs } from '../features/registry/training-set-record.js';
import { Workspace } from '../storage/workspace.js';
import { DAY_MS } from '../synthetic/customer-distributions.js';
import { EVENT_CODE } from '../synthetic/event-table.js';
import { generateChurnWorld } from '../synthetic/generate-churn-world.js';
import type { DemoTrainingTable } from './demo-report.js';
import type { DemoStep } from './demo-step.js';
import { FEATURE_STORE_TRAINING_TABLES } from './feature-store-training-tables.js';
import { generateWorldStep } from './generate-world-step.js';
import { ingestWorldStep } from './ingest-world-step.js';
import { materializeFeaturesStep } from './materialize-features-step.js';
import { runDemo } from './run-demo.js';
import { splitCustomersStep } from './split-customers-step.js';
import { SQL_TRAINING_TABLES } from './sql-training-tables.js';

// The feature-store training tables against the SQL builder's (same rows, same shared values) and, for the
// aggregates only the store computes, against an independent count over the world's in-memory event log.

const scratch = mkdtempSync(join(tmpdir(), 'loom-demo-fs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const SEED = 11;
const CUSTOMERS = 300;
const home = join(scratch, 'h');

/** The columns both builders output with the same meaning: every customer feature, the band and the label, the shared aggregates. */
const SHARED = ['region', 'plan', 'contract', 'tenure_months', 'monthly_charges', 'total_charges', 'autopay', 'age', 'late_payments_12m', 'logins_30d', 'usage_hours_30d', 'support_tickets_90d', 'age_band', 'churned', 'sessions_7d', 'sessions_90d', 'tickets_30d'];

test('the feature-store tables hold the SQL tables\' rows and values, and window aggregates counted independently', async () => {
  const built: Record<string, readonly DemoTrainingTable[]> = {};
  const capture = (key: string, builder: typeof SQL_TRAINING_TABLES): DemoStep => ({ name: key, title: key, run: async (ctx) => void (built[key] = (await builder.build(ctx)).tables) });
  const report = await runDemo({
    seed: SEED, customers: CUSTOMERS, home, env: { LOOM_PII_KEY: 'k' },
    steps: [generateWorldStep, ingestWorldStep, splitCustomersStep, capture('sql', SQL_TRAINING_TABLES), capture('store', FEATURE_STORE_TRAINING_TABLES), materializeFeaturesStep],
  });
  const store = report.featureStore!;
  assert.deepEqual(store.views.map((v) => [v.view, v.features.join(',')]), [
    ['usage', 'sessions_7d,sessions_30d,sessions_90d,session_minutes_7d,session_minutes_30d,session_minutes_90d'],
    ['tickets', 'tickets_30d,tickets_90d'],
    ['billing', 'billed_30d,invoice_mean_90d,invoices_90d'],
  ]);
  assert.equal(store.refs.length, 11);
  assert.equal(store.applied, true);
  assert.deepEqual(report.datasets.filter((d) => ['sessions', 'tickets', 'invoices'].includes(d.role)).map((d) => d.name), ['churn-sessions', 'churn-tickets', 'churn-invoices']);

  // Independent expectations from the arrays the world files were written from (events strictly before observed_at).
  const world = generateChurnWorld({ seed: SEED, customers: CUSTOMERS });
  const { customers: c, labels: l, events: e, config } = world;
  const end = Date.parse(config.end);
  type Expect = { sessions: number[]; minutes: number[]; tickets: number[]; billed30: number; invoices90: number; amount90: number };
  const windows = [7, 30, 90].map((d) => d * DAY_MS);
  const expected = new Map<string, Expect>();
  for (let i = 0; i < c.length; i++) {
    if (l.labelAvailableAt[i] < end && world.dirty.ageNull[i] !== 1) expected.set(c.id[i], { sessions: [0, 0, 0], minutes: [0, 0, 0], tickets: [0, 0, 0], billed30: 0, invoices90: 0, amount90: 0 });
  }
  for (let k = 0; k < e.length; k++) {
    const row = expected.get(c.id[e.customer[k]]);
    const age = c.observedAt[e.customer[k]] - e.at[k];
    if (row === undefined || !(age > 0)) continue;
    windows.forEach((w, j) => {
      if (age > w) return;
      if (e.type[k] === EVENT_CODE.session) {
        row.sessions[j]++;
        row.minutes[j] += e.minutes[k];
      } else if (e.type[k] === EVENT_CODE.support_ticket) row.tickets[j]++;
    });
    if (e.type[k] === EVENT_CODE.invoice && age <= 90 * DAY_MS) {
      row.invoices90++;
      row.amount90 += e.amount[k];
      if (age <= 30 * DAY_MS) row.billed30 += e.amount[k];
    }
  }

  const ws = Workspace.open({ overrides: { home } });
  const session = await openDuckDb({ tempDirectory: join(scratch, 'duck') });
  try {
    const artifacts = await ws.artifacts();
    const read = async (t: DemoTrainingTable) => queryRows(session.connection, `SELECT * FROM read_parquet(${sqlString(await artifacts.localPath((await resolveVersion(ws, `${t.dataset}@${t.version}`)).blobHash))})`);
    let seen = 0;
    let withBilling = 0;
    for (const period of [0, 1]) {
      const sqlTable = built.sql[period];
      const storeTable = built.store[period];
      assert.deepEqual(
        [storeTable.period, storeTable.rows, storeTable.churnRate, storeTable.labelsPending, storeTable.ageUnknown],
        [sqlTable.period, sqlTable.rows, sqlTable.churnRate, sqlTable.labelsPending, sqlTable.ageUnknown],
      );
      const sqlRows = await read(sqlTable);
      const storeRows = await read(storeTable);
      assert.deepEqual(storeRows.map((r) => r.customer_id), sqlRows.map((r) => r.customer_id), 'same customers in the same order');
      assert.ok(!('event_timestamp' in storeRows[0]), 'the entity time is dropped');
      const refs = await trainingSetRefs(ws, storeTable.dataset, storeTable.version);
      assert.deepEqual(refs?.map((r) => r.ref), store.refs);
      for (const [n, s] of storeRows.entries()) {
        const q = sqlRows[n];
        for (const column of SHARED) assert.deepEqual(s[column], q[column], `${s.customer_id} ${column}`);
        // The SQL builder's hours are the minutes / 60 rounded to 2 decimals.
        assert.ok(Math.abs(Number(q.session_hours_90d) - Number(s.session_minutes_90d) / 60) <= 0.005 + 1e-9, `${s.customer_id} hours`);
        const x = expected.get(String(s.customer_id))!;
        assert.deepEqual([s.sessions_7d, s.sessions_30d, s.sessions_90d], x.sessions, `${s.customer_id} sessions`);
        assert.deepEqual([s.tickets_30d, s.tickets_90d], [x.tickets[1], x.tickets[2]], `${s.customer_id} tickets`);
        // Minutes are written with 1 decimal and amounts with 2: each summed row is off by at most half a unit of that.
        x.minutes.forEach((m, j) => assert.ok(Math.abs(Number([s.session_minutes_7d, s.session_minutes_30d, s.session_minutes_90d][j]) - m) <= 0.05 * x.sessions[j] + 1e-9, `${s.customer_id} minutes ${j}`));
        assert.equal(s.invoices_90d, x.invoices90);
        assert.ok(Math.abs(Number(s.billed_30d) - x.billed30) <= 0.005 * x.invoices90 + 1e-9, `${s.customer_id} billed`);
        if (x.invoices90 === 0) assert.equal(s.invoice_mean_90d, null);
        else {
          assert.ok(Math.abs(Number(s.invoice_mean_90d) - x.amount90 / x.invoices90) <= 0.005 + 1e-9, `${s.customer_id} mean invoice`);
          withBilling++;
        }
        seen++;
      }
    }
    assert.equal(seen, expected.size);
    assert.ok(withBilling > 0 && withBilling < seen, 'both billed and never-billed customers are checked');

    // Materialized for serving: online values as of the window end equal the aggregates over (end − W, end].
    const m = report.featureStore!.materialization!;
    assert.equal(m.end, new Date(end).toISOString());
    assert.deepEqual(m.views.map((v) => v.view).sort(), ['billing', 'tickets', 'usage']);
    for (const v of m.views) assert.ok(v.entities > 0 && v.written === v.entities, `${v.view}: a first run writes every entity's state`);
    const ids = [...expected.keys()].slice(-20); // observed last, so active near the window end
    const online = await getOnlineFeatures(ws, { entities: ids.map((customer_id) => ({ customer_id })), features: ['usage:sessions_30d', 'tickets:tickets_90d'], now: end });
    let active = 0;
    ids.forEach((id, r) => {
      const i = c.id.indexOf(id);
      let sessions = 0;
      let tickets = 0;
      for (let k = 0; k < e.length; k++) {
        if (e.customer[k] !== i) continue;
        const age = end - e.at[k];
        if (age >= 0 && age < 30 * DAY_MS && e.type[k] === EVENT_CODE.session) sessions++;
        if (age >= 0 && age < 90 * DAY_MS && e.type[k] === EVENT_CODE.support_ticket) tickets++;
      }
      assert.deepEqual([online.rows[r].values.sessions_30d, online.rows[r].values.tickets_90d], [sessions, tickets], id);
      if (sessions > 0) active++;
    });
    assert.ok(active > 0, 'some customers have sessions in the last 30 days');
  } finally {
    session.close();
    await ws.close();
  }
});

test('the materialize step refuses to run before the feature-store features step', async () => {
  await assert.rejects(runDemo({ seed: SEED, customers: CUSTOMERS, home: join(scratch, 'm'), env: { LOOM_PII_KEY: 'k' }, steps: [materializeFeaturesStep] }), /LOOM_ERR_CORE_INTERNAL|materialize step needs/);
});
