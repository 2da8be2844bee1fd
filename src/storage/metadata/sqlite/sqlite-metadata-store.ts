import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely } from 'kysely';
import { LoomError } from '../../../core/errors/index.js';
import type { LoomDatabase } from '../database.js';
import type { MetadataStore } from '../metadata-store.js';
import { TransactionalSqliteDialect } from './transactional-sqlite-dialect.js';
import { MIGRATIONS, runMigrations } from '../migrations/index.js';

/** Attempts at opening when SQLite reports the file busy during first-time setup. */
const OPEN_ATTEMPTS = 5;

/** How long a writer waits for another process's lock before failing, in ms. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the embedded metadata store: one SQLite file (created with its folder) in WAL mode with
 * `synchronous=FULL`, so a committed transaction survives a process kill or power loss, and a 5 s busy timeout, so
 * several Loom processes can share the file. `sqlite://:memory:` gives a private in-memory store (for tests).
 *
 * Limits: one writer at a time across processes; meant for one machine, not a network filesystem.
 *
 * @example
 * const store = await openSqliteMetadataStore('sqlite:///tmp/loom/loom.db');
 */
export async function openSqliteMetadataStore(uri: string): Promise<MetadataStore> {
  const path = uri.slice('sqlite://'.length);
  if (path === '') throw new LoomError('CONFIG_INVALID', { field: 'metadataUri', problem: 'the sqlite:// URI has no path' }, { details: { field: 'metadataUri' } });
  const { default: Database } = await import('better-sqlite3');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const sqlite = new Database(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    const db = new Kysely<LoomDatabase>({ dialect: new TransactionalSqliteDialect({ database: sqlite }) });
    try {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = FULL');
      sqlite.pragma('foreign_keys = ON');
      const migrations = await runMigrations(db as Kysely<unknown>, 'sqlite', MIGRATIONS);
      return { db, backend: 'sqlite', migrations, close: () => db.destroy() };
    } catch (err) {
      await db.destroy();
      // Two processes creating one file at once can collide on the WAL switch or the migration bookkeeping, which
      // SQLite reports as busy without waiting; the second attempt finds the file migrated.
      if (attempt < OPEN_ATTEMPTS && isBusy(err)) {
        await new Promise((done) => setTimeout(done, 50 * attempt));
        continue;
      }
      throw err;
    }
  }
}

function isBusy(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY') || /database is locked/.test(e.message)) return true;
  }
  return false;
}
