import { Migrator, type Kysely, type Migration } from 'kysely';
import { LoomError } from '../../../core/errors/index.js';
import type { MetadataBackend } from '../metadata-store.js';
import type { LoomMigration } from './migration-context.js';

/** The table that records applied migrations, and its lock table. */
export const MIGRATION_TABLE = 'loom_migration';
export const MIGRATION_LOCK_TABLE = 'loom_migration_lock';

/**
 * Brings the database to the newest schema version. Each migration runs in its own transaction under Kysely's
 * migration lock, so two processes opening the same store at once apply each migration exactly once. A failed
 * migration rolls back and the database stays at the previous version.
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
  const byName: Record<string, Migration> = {};
  for (const m of migrations) byName[m.name] = { up: (trx) => m.up({ db: trx, backend }) };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => byName },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '(setup)';
    throw new LoomError('STORAGE_MIGRATION_FAILED', { migration: failed, problem: (error as Error).message ?? String(error) }, { cause: error });
  }
  const applied = await migrator.getMigrations();
  return applied.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
