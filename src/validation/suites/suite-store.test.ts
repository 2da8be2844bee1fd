import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { isLoomError } from '../../core/errors/index.js';
import { frameFromRecords } from '../../core/frame/frame-from-records.js';
import type { LoomDatabase } from '../../storage/metadata/database.js';
import { runSuite } from './run-suite.js';
import { Suite } from './suite.js';
import { listSuiteResults, listSuites, loadSuite, saveSuite, saveSuiteResult } from './suite-store.js';

// The store's queries only touch the two validation tables, so an in-memory SQLite database with those tables (shaped
// as database.ts declares them) exercises them here; the CLI end-to-end test runs them on the real migrated store.
const db = new Kysely<LoomDatabase>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
await sql`CREATE TABLE validation_suites (name TEXT PRIMARY KEY, suite_json TEXT NOT NULL, hash TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`.execute(db);
await sql`CREATE TABLE validation_results (id INTEGER PRIMARY KEY AUTOINCREMENT, suite TEXT NOT NULL, suite_hash TEXT NOT NULL, target TEXT NOT NULL, success INTEGER NOT NULL, result_json TEXT NOT NULL, created_at INTEGER NOT NULL)`.execute(db);
after(() => db.destroy());

const first = Suite.create({ name: 'adult', expectations: [{ kind: 'row_count', min: 1 }], meta: { generatedFrom: { dataset: 'adult', version: 'abc' } } });
const second = Suite.create({ name: 'adult', expectations: [{ kind: 'row_count', min: 2 }, { kind: 'not_null', column: 'x' }] });

test('save, load and replace a suite; creation time is kept', async () => {
  const saved = await saveSuite(db, first, 1000);
  assert.deepEqual(saved, { suite: first, hash: Suite.hash(first), createdAt: 1000, updatedAt: 1000 });
  assert.deepEqual(await loadSuite(db, 'adult'), saved);
  assert.deepEqual(await listSuites(db), [{ name: 'adult', hash: Suite.hash(first), expectations: 1, generatedFrom: 'adult@abc', updatedAt: 1000 }]);
  const replaced = await saveSuite(db, second, 2000);
  assert.deepEqual([replaced.createdAt, replaced.updatedAt, replaced.hash], [1000, 2000, Suite.hash(second)]);
  const loaded = await loadSuite(db, 'adult');
  assert.deepEqual(loaded.suite, second);
  assert.deepEqual((await listSuites(db)).map((s) => [s.name, s.expectations, s.generatedFrom]), [['adult', 2, null]]);
});

test('loading an unknown suite is VALIDATION_SUITE_NOT_FOUND', async () => {
  await assert.rejects(loadSuite(db, 'nope'), (err) => isLoomError(err, 'VALIDATION_SUITE_NOT_FOUND') && err.details?.field === 'suite');
});

test('results are appended with the suite hash and listed newest first', async () => {
  const frame = frameFromRecords([{ x: 1 }, { x: null }]);
  const result = runSuite(second, frame);
  const a = await saveSuiteResult(db, { hash: Suite.hash(second), target: 'file.csv', result, now: 3000 });
  const b = await saveSuiteResult(db, { hash: Suite.hash(first), target: 'adult@abc', result: runSuite(first, frame), now: 4000 });
  assert.equal(b, a + 1);
  assert.deepEqual(await listSuiteResults(db, 'adult'), [
    { id: b, target: 'adult@abc', success: true, suiteHash: Suite.hash(first), createdAt: 4000 },
    { id: a, target: 'file.csv', success: false, suiteHash: Suite.hash(second), createdAt: 3000 },
  ]);
  const row = await db.selectFrom('validation_results').select('result_json').where('id', '=', a).executeTakeFirstOrThrow();
  assert.deepEqual(JSON.parse(row.result_json).statistics, { evaluated: 2, successful: 1, failed: 1, warnings: 0 });
});
