import type { Kysely } from 'kysely';
import type { LoomDatabase } from './database.js';

/** The metadata backends Loom ships. */
export type MetadataBackend = 'sqlite' | 'postgres';

/**
 * The metadata store: one Kysely handle over the Loom schema, whatever the backend. Every capability (datasets,
 * validation, tracking, registry…) writes its records through `db`, inside `db.transaction()` when a change spans rows.
 *
 * Backends: SQLite (`sqlite://<path>`, the embedded default: one file, WAL, `synchronous=FULL`, 5 s busy timeout,
 * one connection per process) and PostgreSQL (`postgres://…`, the scale-out backend, pooled). Both run the same
 * versioned migrations on open, so a store is always at the newest schema version.
 */
export interface MetadataStore {
  readonly db: Kysely<LoomDatabase>;
  readonly backend: MetadataBackend;
  /** Names of the applied migrations, oldest first. */
  readonly migrations: readonly string[];
  close(): Promise<void>;
}
