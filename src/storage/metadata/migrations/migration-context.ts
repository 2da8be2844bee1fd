import type { Kysely } from 'kysely';
import type { MetadataBackend } from '../metadata-store.js';

/**
 * What a Loom migration sees: the database and the backend it runs on, so the few types that differ between SQLite
 * and PostgreSQL (auto-increment ids, doubles) are chosen in one place.
 */
export interface MigrationContext {
  // Migrations must not depend on the current LoomDatabase interface, which later migrations extend.
  readonly db: Kysely<unknown>;
  readonly backend: MetadataBackend;
}

/** A versioned schema change. Names sort in the order they apply (`0001-…`). Never edit one that has shipped. */
export interface LoomMigration {
  readonly name: string;
  up(context: MigrationContext): Promise<void>;
}

/** The column type of an auto-increment integer primary key. */
export function autoIdType(backend: MetadataBackend): 'integer' | 'serial' {
  return backend === 'postgres' ? 'serial' : 'integer';
}
