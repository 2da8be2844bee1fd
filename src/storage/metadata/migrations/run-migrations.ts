import { sql, type Kysely } from 'kysely';
import { LoomError } from '../../../core/errors/index.js';
import type { MetadataBackend } from '../metadata-store.js';
import type { LoomMigration } from './migration-context.js';

/** The table that records applied migrations (name, ISO timestamp), as earlier Loom versions created it. */
export const MIGRATION_TABLE = 'loom_migration';

/** PostgreSQL advisory lock key that serializes migrations within one database (any schema). */
const POSTGRES_MIGRATION_LOCK = 7_364_212_019;

/**
 * Brings the database to the newest schema version: in one transaction, under a lock (BEGIN IMMEDIATE on SQLite, a
 * transaction-scoped advisory lock on PostgreSQL), it reads which migrations ran and applies the missing ones in
 * order. Two processes opening the same store at once apply each migration exactly once, and a failed migration
 * rolls everything in that transaction back, so the database stays at the previous version.
 *
 * Loom does this itself rather than with Kysely's Migrator: that one lists the tables of every schema in the
 * database (calling has_schema_privilege on each), so another client dropping any schema meanwhile failed it with
 * "schema … does not exist". Here only Loom's own table is read. The table has the same columns as before, so stores
 * migrated by earlier versions open unchanged.
 *
 * @returns the names of all applied migrations, oldest first.
 * @throws LOOM_ERR_STORAGE_MIGRATION_FAILED
 */
export async function runMigrations(
  db: Kysely<unknown>,
  backend: MetadataBackend,
  migrations: readonly LoomMigration[],
  schema?: string,
): Promise<string[]> {
  const table = schema === undefined ? sql.table(MIGRATION_TABLE) : sql.table(`${schema}.${MIGRATION_TABLE}`);
  let current = '(setup)';
  try {
    return await db.transaction().execute(async (trx) => {
      if (backend === 'postgres') {
        await sql`select pg_advisory_xact_lock(${POSTGRES_MIGRATION_LOCK})`.execute(trx);
        // Under the lock: two sessions running CREATE SCHEMA IF NOT EXISTS at once can both try to insert it.
        if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
      }
      await sql`create table if not exists ${table} (name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(trx);
      const applied = (await sql<{ name: string }>`select name from ${table} order by name`.execute(trx)).rows.map((r) => r.name);
      applied.forEach((name, i) => {
        if (migrations[i]?.name !== name) {
          throw new LoomError('STORAGE_MIGRATION_FAILED', {
            migration: name,
            problem: `the database has migrations this Loom does not know in this order (${applied.join(', ')}); it was migrated by another Loom version. Open it with that version, or use a fresh store`,
          });
        }
      });
      for (const m of migrations.slice(applied.length)) {
        current = m.name;
        await m.up({ db: trx, backend });
        await sql`insert into ${table} (name, timestamp) values (${m.name}, ${new Date().toISOString()})`.execute(trx);
      }
      return migrations.map((m) => m.name);
    });
  } catch (error) {
    if (error instanceof LoomError) throw error;
    throw new LoomError('STORAGE_MIGRATION_FAILED', { migration: current, problem: (error as Error).message ?? String(error) }, { cause: error });
  }
}
