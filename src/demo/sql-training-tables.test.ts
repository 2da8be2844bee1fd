import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDuckDb } from '../data/duckdb/duckdb-session.js';
import { queryRows } from '../data/duckdb/query-rows.js';
import { sqlString } from '../data/duckdb/sql-text.js';
import { DAY_MS } from '../synthetic/customer-distributions.js';
import { EVENT_CODE } from '../synthetic/event-table.js';
import { generateChurnWorld } from '../synthetic/generate-churn-world.js';
import { buildTrainingTablesStep } from './build-training-step.js';
import { generateWorldStep } from './generate-world-step.js';
import { ingestWorldStep } from './ingest-world-step.js';
import { runDemo } from './run-demo.js';
import { splitCustomersStep } from './split-customers-step.js';

// The SQL training tables checked row by row against an independent count over the world's in-memory event log.

const scratch = mkdtempSync(join(tmpdir(), 'loom-demo-training-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const SEED = 11;
const CUSTOMERS = 300;

test('each training row holds the customer, the label known by the window end, and usage from events before observed_at only', async () => {
  const report = await runDemo({ seed: SEED, customers: CUSTOMERS, home: join(scratch, 'h'), env: { LOOM_PII_KEY: 'k' }, steps: [generateWorldStep, ingestWorldStep, splitCustomersStep, buildTrainingTablesStep] });
  const world = generateChurnWorld({ seed: SEED, customers: CUSTOMERS });
  const { customers: c, labels: l, events: e, config } = world;
  const end = Date.parse(config.end);
  const drift = Date.parse(config.drift.at);

  // The expected rows, computed in JS from the arrays the files were written from.
  const expected = new Map<string, { sessions7: number; sessions90: number; minutes90: number; tickets30: number; last: number; churned: boolean; period: string }>();
  let pending = 0;
  let ageUnknown = 0;
  for (let i = 0; i < c.length; i++) {
    if (!(l.labelAvailableAt[i] < end)) {
      pending++;
      continue;
    }
    if (world.dirty.ageNull[i] === 1) {
      ageUnknown++;
      continue;
    }
    expected.set(c.id[i], { sessions7: 0, sessions90: 0, minutes90: 0, tickets30: 0, last: Number.NaN, churned: l.churned[i] === 1, period: c.observedAt[i] < drift ? 'reference' : 'current' });
  }
  for (let k = 0; k < e.length; k++) {
    const i = e.customer[k];
    const row = expected.get(c.id[i]);
    const age = c.observedAt[i] - e.at[k];
    if (row === undefined || !(age > 0) || age > 90 * DAY_MS) continue;
    if (e.type[k] === EVENT_CODE.session) {
      row.sessions90++;
      row.minutes90 += e.minutes[k];
      if (age <= 7 * DAY_MS) row.sessions7++;
      if (!(row.last <= age)) row.last = age;
    } else if (e.type[k] === EVENT_CODE.support_ticket && age <= 30 * DAY_MS) {
      row.tickets30++;
    }
  }

  const tables = report.training!.tables;
  assert.deepEqual(tables.map((t) => t.period), ['reference', 'current']);
  assert.equal(tables[0].rows + tables[1].rows, expected.size);
  assert.equal(tables[0].labelsPending + tables[1].labelsPending, pending);
  assert.equal(pending, report.world!.labelsPendingAtEnd);
  assert.equal(tables[0].ageUnknown + tables[1].ageUnknown, ageUnknown);
  assert.ok(pending > 0 && ageUnknown > 0, 'the check covers pending labels and missing ages');
  const session = await openDuckDb({ tempDirectory: join(scratch, 'duck') });
  try {
    let seen = 0;
    for (const t of tables) {
      const rows = await queryRows(session.connection, `SELECT * FROM read_parquet(${sqlString(t.file)})`);
      assert.equal(rows.length, t.rows);
      const churned = rows.filter((r) => r.churned === true).length;
      assert.ok(Math.abs(t.churnRate - churned / rows.length) < 1e-12);
      for (const r of rows) {
        const x = expected.get(String(r.customer_id));
        assert.ok(x !== undefined, `${r.customer_id} has a known label`);
        assert.equal(x.period, t.period, String(r.customer_id));
        assert.equal(r.churned, x.churned);
        assert.equal(r.sessions_7d, x.sessions7);
        assert.equal(r.sessions_90d, x.sessions90);
        assert.ok(Math.abs(Number(r.session_hours_90d) - Math.round((x.minutes90 / 60) * 100) / 100) < 0.0051, `${r.customer_id} hours`);
        assert.equal(r.tickets_30d, x.tickets30);
        if (Number.isNaN(x.last)) assert.equal(r.days_since_last_session, null);
        else assert.ok(Math.abs(Number(r.days_since_last_session) - x.last / DAY_MS) < 0.0051, `${r.customer_id} recency`);
        assert.notEqual(r.age, null);
        const band = Number(r.age) < 35 ? 'under 35' : Number(r.age) < 50 ? '35-49' : Number(r.age) < 65 ? '50-64' : '65+';
        assert.equal(r.age_band, band);
        seen++;
      }
    }
    assert.equal(seen, expected.size);
  } finally {
    session.close();
  }
  const columns = report.datasets.filter((d) => d.role.startsWith('training-')).map((d) => d.name);
  assert.deepEqual(columns, ['churn-training-reference', 'churn-training-current']);
});
