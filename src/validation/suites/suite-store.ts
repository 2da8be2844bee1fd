import type { Kysely } from 'kysely';
import { LoomError } from '../../core/errors/index.js';
import type { LoomDatabase } from '../../storage/metadata/database.js';
import type { SuiteResult } from './run-suite.js';
import { Suite } from './suite.js';

/** A suite as stored in the metadata store. Times are epoch ms, UTC. */
export interface StoredSuite {
  readonly suite: Suite;
  /** Suite.hash(suite). */
  readonly hash: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One row of listSuites. */
export interface SuiteSummary {
  readonly name: string;
  readonly hash: string;
  readonly expectations: number;
  readonly generatedFrom: string | null;
  readonly updatedAt: number;
}

/**
 * Stores `suite` under its name in `validation_suites`, replacing a suite of the same name (keeping its creation
 * time). Saving an identical suite again changes nothing but `updatedAt`. Runs in one transaction.
 */
export async function saveSuite(db: Kysely<LoomDatabase>, suite: Suite, now = Date.now()): Promise<StoredSuite> {
  const hash = Suite.hash(suite);
  const suiteJson = JSON.stringify(suite);
  return db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('validation_suites').select(['created_at']).where('name', '=', suite.name).executeTakeFirst();
    if (existing === undefined) {
      await tx.insertInto('validation_suites').values({ name: suite.name, suite_json: suiteJson, hash, created_at: now, updated_at: now }).execute();
      return { suite, hash, createdAt: now, updatedAt: now };
    }
    await tx.updateTable('validation_suites').set({ suite_json: suiteJson, hash, updated_at: now }).where('name', '=', suite.name).execute();
    return { suite, hash, createdAt: Number(existing.created_at), updatedAt: now };
  });
}

/**
 * The stored suite named `name`, re-validated on the way out.
 * @throws LOOM_ERR_VALIDATION_SUITE_NOT_FOUND when there is none
 */
export async function loadSuite(db: Kysely<LoomDatabase>, name: string): Promise<StoredSuite> {
  const row = await db.selectFrom('validation_suites').selectAll().where('name', '=', name).executeTakeFirst();
  if (row === undefined) throw new LoomError('VALIDATION_SUITE_NOT_FOUND', { suite: name }, { details: { field: 'suite' } });
  return { suite: Suite.parse(JSON.parse(row.suite_json)), hash: row.hash, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) };
}

/** Every stored suite, by name. */
export async function listSuites(db: Kysely<LoomDatabase>): Promise<SuiteSummary[]> {
  const rows = await db.selectFrom('validation_suites').selectAll().orderBy('name').execute();
  return rows.map((row) => {
    const suite = JSON.parse(row.suite_json) as Suite;
    const origin = suite.meta?.generatedFrom;
    return {
      name: row.name,
      hash: row.hash,
      expectations: suite.expectations.length,
      generatedFrom: origin ? `${origin.dataset}@${origin.version}` : null,
      updatedAt: Number(row.updated_at),
    };
  });
}

/** What a suite was run on, and when. */
export interface SuiteRunRecord {
  readonly hash: string;
  /** What was validated, e.g. `adult@3f2a…` or a file path. */
  readonly target: string;
  readonly result: SuiteResult;
  readonly now?: number;
}

/** Appends a run's result to `validation_results` and returns its id. */
export async function saveSuiteResult(db: Kysely<LoomDatabase>, record: SuiteRunRecord): Promise<number> {
  const inserted = await db
    .insertInto('validation_results')
    .values({
      suite: record.result.suite,
      suite_hash: record.hash,
      target: record.target,
      success: record.result.success ? 1 : 0,
      result_json: JSON.stringify(record.result),
      created_at: record.now ?? Date.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** The most recent results of a suite, newest first, without their bodies. */
export async function listSuiteResults(
  db: Kysely<LoomDatabase>,
  suite: string,
  limit = 20,
): Promise<{ id: number; target: string; success: boolean; suiteHash: string; createdAt: number }[]> {
  const rows = await db
    .selectFrom('validation_results')
    .select(['id', 'target', 'success', 'suite_hash', 'created_at'])
    .where('suite', '=', suite)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), target: r.target, success: r.success === 1, suiteHash: r.suite_hash, createdAt: Number(r.created_at) }));
}
