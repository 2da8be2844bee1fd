import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { countNulls, isValid } from '../../core/frame/index.js';
import { openDuckDb, type DuckDbSession } from './duckdb-session.js';
import { readFrame } from './read-frame.js';

let session: DuckDbSession;
before(async () => {
  session = await openDuckDb({ tempDirectory: join(tmpdir(), 'loom-test-duckdb') });
});
after(() => session.close());

test('maps DuckDB types to logical types with exact values and nulls', async () => {
  const f = await readFrame(
    session.connection,
    `SELECT * FROM (VALUES
      (1.5::DOUBLE, 1::TINYINT, 5000000000::BIGINT, 3::BIGINT, true, 'hello', 'a string longer than twelve', TIMESTAMP '2024-03-01 12:00:00.123456', DATE '2024-03-02', [1.0, 2.0]::DOUBLE[], 1.25::DECIMAL(10,2), TIMESTAMPTZ '2024-01-01 10:00:00+02'),
      (NULL, NULL, NULL, NULL, NULL, NULL, 'ü', NULL, NULL, NULL, NULL, NULL),
      (-2.0, -3, -1, -2, false, '', 'z', TIMESTAMP '1969-12-31 23:59:59.9995', DATE '1969-12-31', [3.0, 4.0], -2.5, NULL)
    ) t(f, ti, big, small, b, s, long, ts, d, e, dec, tz)`,
  );
  assert.deepEqual(f.columns.map((c) => c.type), ['float', 'int', 'int', 'int', 'bool', 'string', 'string', 'timestamp', 'timestamp', 'embedding', 'float', 'timestamp']);
  assert.ok((f.column('big') as { values: unknown }).values instanceof Float64Array, 'a value beyond int32 keeps Float64Array');
  assert.ok((f.column('small') as { values: unknown }).values instanceof Int32Array);
  assert.deepEqual(f.toRecords(), [
    { f: 1.5, ti: 1, big: 5000000000, small: 3, b: true, s: 'hello', long: 'a string longer than twelve', ts: '2024-03-01T12:00:00.123Z', d: '2024-03-02T00:00:00.000Z', e: [1, 2], dec: 1.25, tz: '2024-01-01T08:00:00.000Z' },
    { f: null, ti: null, big: null, small: null, b: null, s: null, long: 'ü', ts: null, d: null, e: null, dec: null, tz: null },
    { f: -2, ti: -3, big: -1, small: -2, b: false, s: '', long: 'z', ts: '1969-12-31T23:59:59.999Z', d: '1969-12-31T00:00:00.000Z', e: [3, 4], dec: -2.5, tz: null },
  ]);
});

test('enums become categories, and validity survives many chunks', async () => {
  const f = await readFrame(
    session.connection,
    `SELECT CASE WHEN range % 7 = 0 THEN NULL ELSE CAST(CASE WHEN range % 2 = 0 THEN 'a' ELSE 'b' END AS ENUM('a', 'b')) END AS c,
            CASE WHEN range % 5 = 0 THEN NULL ELSE range END AS n FROM range(10000)`,
  );
  const c = f.column('c');
  assert.ok(c.type === 'category');
  assert.deepEqual(c.dictionary, ['a', 'b']);
  assert.deepEqual([...c.codes.subarray(0, 8)], [-1, 1, 0, 1, 0, 1, 0, -1]);
  assert.equal(countNulls(c.validity, 10000), Math.ceil(10000 / 7));
  const n = f.column('n');
  assert.equal(countNulls(n.validity, 10000), 2000);
  assert.equal(isValid(n.validity, 9995), false);
  assert.equal(isValid(n.validity, 9999), true);
  assert.equal((n as { values: Int32Array }).values[9999], 9999);
});

test('ragged lists and unsupported types are coded errors', async () => {
  await assert.rejects(readFrame(session.connection, 'SELECT [1.0, 2.0]::DOUBLE[] AS e UNION ALL SELECT [1.0]::DOUBLE[]'), { code: 'LOOM_ERR_FRAME_TYPE_MISMATCH' });
  await assert.rejects(readFrame(session.connection, "SELECT INTERVAL '1 day' AS i"), { code: 'LOOM_ERR_DATA_UNSUPPORTED_TYPE' });
});
