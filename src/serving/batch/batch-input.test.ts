import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { openDuckDb } from '../../data/duckdb/duckdb-session.js';
import { stageTableFile } from '../../data/ingest/read-table-file.js';
import { Workspace } from '../../storage/workspace.js';
import { openBatchInput, ROW_COLUMN } from './batch-input.js';

// openBatchInput reads files in place or from a one-pass raw Parquet copy, applying ingest's normalization per chunk.
// The reference is stageTableFile, the whole-file staging the batch path used before: schema and every value must match.

const home = mkdtempSync(join(tmpdir(), 'loom-batch-input-'));
const ws = Workspace.open({ overrides: { home } });
after(async () => {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
});
const ADULT_TEST = join(import.meta.dirname, '../../../../shared/datasets/adult-test.csv.gz');

/** 2,000 Adult test rows with padding, `?`, empty fields, a numeric column written with padding and an unseen category. */
function adultCsv(): string {
  const [header, ...lines] = gunzipSync(readFileSync(ADULT_TEST)).toString('utf8').trimEnd().split('\n');
  const rows = lines.slice(0, 2000);
  rows[5] = rows[5].replace(/^([0-9]+),/, ' $1 ,');
  rows[17] = rows[17].replace(/,[^,]*,([^,]*)$/, ',Atlantis,$1');
  rows[1999] = rows[1999].replace(/^([0-9]+),([^,]*),/, '$1,,');
  const path = join(home, 'adult.csv');
  writeFileSync(path, `${[header, ...rows].join('\n')}\n`);
  return path;
}

/** Every value of rows [start, end) of both readings, in input order, after asserting both have the same schema and row count. */
async function bothReadings(path: string, start: number, end: number): Promise<{ expected: unknown[]; actual: unknown[] }> {
  const reference = await openDuckDb({ tempDirectory: join(home, 'tmp') });
  const streamed = await openDuckDb({ tempDirectory: join(home, 'tmp') });
  try {
    const staged = await stageTableFile(reference.connection, path);
    const expected = (await reference.connection.runAndReadAll(`SELECT * FROM loom_norm WHERE rowid >= ${start} AND rowid < ${end} ORDER BY rowid`)).getRowObjectsJson();
    const input = await openBatchInput(ws, streamed.connection, path, join(home, 'staging.parquet'));
    const actual = (await streamed.connection.runAndReadAll(`SELECT * EXCLUDE (${ROW_COLUMN}) FROM ${input.relation(start, end)} ORDER BY ${ROW_COLUMN}`)).getRowObjectsJson();
    assert.deepEqual(input.schema, staged.schema);
    assert.equal(input.rows, staged.rows);
    return { expected, actual };
  } finally {
    reference.close();
    streamed.close();
    rmSync(join(home, 'staging.parquet'), { force: true });
  }
}

test('a CSV reads as ingest normalizes it: same schema (categories included), every value identical, any row range', async () => {
  const path = adultCsv();
  for (const [start, end] of [[0, 2000], [1500, 1700], [1990, 2000]]) {
    const { expected, actual } = await bothReadings(path, start, end);
    assert.equal(actual.length, end - start);
    assert.deepEqual(actual, expected);
  }
  const { actual } = await bothReadings(path, 0, 2000);
  assert.match(String((actual[5] as Record<string, unknown>).age), /^[0-9]+$/, 'the padded number is trimmed and the column stays numeric');
  assert.equal((actual[17] as Record<string, unknown>)['native-country'], 'Atlantis');
  assert.equal((actual[1999] as Record<string, unknown>).workclass, null, 'an empty field is null');
});

test('a Parquet file is read in place with the same normalization (FLOAT becomes DOUBLE, nulls kept)', async () => {
  const csv = adultCsv();
  const parquet = join(home, 'adult.parquet');
  const session = await openDuckDb({ tempDirectory: join(home, 'tmp') });
  try {
    await session.connection.run(
      `COPY (SELECT * REPLACE (CAST("hours-per-week" AS FLOAT) AS "hours-per-week", NULLIF(workclass, ' ?') AS workclass) FROM read_csv('${csv}', nullstr = ['?', ''])) TO '${parquet}' (FORMAT parquet, ROW_GROUP_SIZE 512)`,
    );
  } finally {
    session.close();
  }
  for (const [start, end] of [[0, 2000], [700, 1300]]) {
    const { expected, actual } = await bothReadings(parquet, start, end);
    assert.equal(actual.length, end - start);
    assert.deepEqual(actual, expected);
  }
});

test('a malformed CSV is the same coded error as ingest gives, naming the line', async () => {
  const path = join(home, 'ragged.csv');
  writeFileSync(path, 'a,b\n1,2\n3,4,5\n6,7\n');
  const session = await openDuckDb({ tempDirectory: join(home, 'tmp') });
  const reference = await stageTableFile(session.connection, path).then(
    () => assert.fail('stageTableFile accepted a ragged file'),
    (err: { code: string; details: unknown }) => err,
  );
  session.close();
  const streamed = await openDuckDb({ tempDirectory: join(home, 'tmp') });
  try {
    await assert.rejects(openBatchInput(ws, streamed.connection, path, join(home, 'ragged.parquet')), (err: { code: string; details: unknown }) => {
      assert.equal(err.code, 'LOOM_ERR_DATA_PARSE_FAILED');
      assert.deepEqual(err.details, reference.details);
      return true;
    });
  } finally {
    streamed.close();
  }
});
