import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseSchema } from '../../core/schema/index.js';
import { openDuckDb, type DuckDbSession } from '../duckdb/duckdb-session.js';
import { profileTable } from './profile-table.js';
import { PROFILE_EXACT_QUANTILE_ROWS, PROFILE_SAMPLE_SIZE } from './profile.js';

let session: DuckDbSession;
before(async () => {
  session = await openDuckDb({ tempDirectory: join(tmpdir(), 'loom-test-duckdb') });
  await session.connection.run(`CREATE TEMP TABLE t AS SELECT * FROM (VALUES
    (2.5::DOUBLE, 'a', true, TIMESTAMP '2024-01-01 00:00:00'),
    (NULL, 'bb', false, NULL),
    (-1, 'a', NULL, TIMESTAMP '2024-01-03 00:00:00'),
    (0, 'a', true, TIMESTAMP '2024-01-02 00:00:00'),
    ('NaN'::DOUBLE, NULL, true, NULL),
    ('Infinity'::DOUBLE, '😀x', false, NULL)) v(x, s, b, t)`);
});
after(() => session.close());

const schema = parseSchema({
  columns: [
    { name: 'x', type: 'float', nullable: true, tags: [] },
    { name: 's', type: 'category', nullable: true, tags: ['sensitive'], categories: ['a', 'bb', '😀x'] },
    { name: 'b', type: 'bool', nullable: true, tags: [] },
    { name: 't', type: 'timestamp', nullable: true, tags: [] },
  ],
});

const close = (actual: readonly number[], expected: readonly number[]) => {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) < 1e-9, `[${i}] ${a} vs ${expected[i]}`));
};

test('numeric stats are exact over finite values; NaN and ∞ are counted apart', async () => {
  const p = await profileTable(session.connection, 't', schema);
  assert.equal(p.rows, 6);
  const x = p.columns[0];
  assert.deepEqual([x.count, x.nulls, x.distinct], [5, 1, 5]);
  const n = x.numeric!;
  assert.deepEqual([n.min, n.max, n.mean, n.zeros, n.nans, n.infinities], [-1, 2.5, 0.5, 1, 1, 1]);
  assert.ok(Math.abs(n.std - Math.sqrt(3.25)) < 1e-12); // deviations 2, −1.5, −0.5 → 6.5 / (3 − 1)
  // quantile_cont on (−1, 0, 2.5): linear interpolation at position p·(n − 1)
  close(n.quantiles, [-1, -0.98, -0.9, -0.5, 0, 1.25, 2.25, 2.45, 2.5]);
  assert.equal(n.histogram.edges.length, 21);
  close([n.histogram.edges[0], n.histogram.edges[1], n.histogram.edges[20]], [-1, -0.825, 2.5]);
  const expected = new Array(20).fill(0);
  expected[0] = 1; // −1
  expected[5] = 1; // 0: (0 − (−1)) / 0.175 = 5.7
  expected[19] = 1; // 2.5, the closed right edge
  assert.deepEqual(n.histogram.counts, expected);
  assert.deepEqual(n.sample, [-1, 0, 2.5]);
});

test('categorical stats: top values by count then value, other count, UTF-16 lengths', async () => {
  const p = await profileTable(session.connection, 't', schema);
  const s = p.columns[1];
  assert.deepEqual(s.tags, ['sensitive']);
  assert.deepEqual([s.count, s.nulls, s.distinct], [5, 1, 3]);
  assert.deepEqual(s.categorical, {
    top: [
      { value: 'a', count: 3 },
      { value: 'bb', count: 1 },
      { value: '😀x', count: 1 },
    ],
    otherCount: 0,
    minLength: 1,
    maxLength: 3, // '😀x' is 3 UTF-16 code units
  });
  const b = p.columns[2];
  assert.deepEqual(b.categorical, { top: [{ value: 'true', count: 3 }, { value: 'false', count: 2 }], otherCount: 0 });
});

test('timestamps are profiled in epoch ms', async () => {
  const p = await profileTable(session.connection, 't', schema);
  const t = p.columns[3].numeric!;
  const day = 86_400_000;
  const jan1 = Date.UTC(2024, 0, 1);
  assert.deepEqual([t.min, t.max, t.mean], [jan1, jan1 + 2 * day, jan1 + day]);
  assert.deepEqual(t.sample, [jan1, jan1 + day, jan1 + 2 * day]);
});

test('above PROFILE_EXACT_QUANTILE_ROWS the inner quantiles come from the sample, with exact ends', async () => {
  const rows = PROFILE_EXACT_QUANTILE_ROWS + 1;
  await session.connection.run(`CREATE TEMP TABLE big AS SELECT range::DOUBLE AS v FROM range(${rows})`);
  const p = await profileTable(session.connection, 'big', parseSchema({ columns: [{ name: 'v', type: 'float', nullable: false, tags: [] }] }));
  const n = p.columns[0].numeric!;
  assert.equal(n.quantileSource, 'sample');
  assert.equal(n.sample.length, PROFILE_SAMPLE_SIZE);
  assert.deepEqual([n.quantiles[0], n.quantiles.at(-1)], [0, rows - 1]);
  // Type-7 on the sorted sample, by hand.
  const s = n.sample;
  const h = (s.length - 1) * 0.5;
  assert.equal(n.quantiles[4], s[Math.floor(h)] + (h - Math.floor(h)) * (s[Math.floor(h) + 1] - s[Math.floor(h)]));
  // A uniform sample of 2,000 puts the median within a few percent of the true one.
  assert.ok(Math.abs(n.quantiles[4] - (rows - 1) / 2) < 0.05 * rows);
  assert.equal((await profileTable(session.connection, 't', schema)).columns[0].numeric!.quantileSource, 'all');
});
