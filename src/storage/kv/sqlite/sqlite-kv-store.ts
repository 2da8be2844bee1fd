import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { LoomError } from '../../../core/errors/index.js';
import { KvStoreBase, notInteger, type KvWrite } from '../kv-store-base.js';

/** How long a writer waits for another connection's write lock before failing, in ms. */
export const SQLITE_KV_BUSY_TIMEOUT_MS = 5000;

/** Expired rows are purged after this many writes through one connection (and at open). */
const PURGE_EVERY_WRITES = 1000;

/** Options for {@link SqliteKvStore.open}. */
export interface SqliteKvStoreOptions {
  /** The clock, epoch ms. Tests pass a fake one to expire keys without sleeping. Default `Date.now`. */
  readonly now?: () => number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS kv_entries (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires_at INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS kv_entries_expires_at ON kv_entries (expires_at) WHERE expires_at IS NOT NULL;
`;

/** Rows whose expiry is still ahead of `now` (the second parameter of each query that uses it). */
const LIVE = '(expires_at IS NULL OR expires_at > @now)';

/** Canonical decimal integers, as incrBy writes them. */
const INTEGER = /^-?(0|[1-9][0-9]*)$/;

/**
 * The embedded default key-value store: one SQLite file (`sqlite://<path>`, parent folders created) or a private
 * in-memory database (`sqlite://:memory:`).
 *
 * A key with a TTL stores `expires_at` (epoch ms from the `now` clock) and reads as missing once `now` reaches it;
 * expired rows are deleted at open and every 1000 writes, so they cost disk until then, never correctness. Writes use
 * WAL with `synchronous=FULL` (a resolved write survives `kill -9`); `setMany` and `incrBy` are single
 * `BEGIN IMMEDIATE` transactions, so they are atomic across processes sharing the file.
 *
 * Limits: one writer at a time across processes, one machine, calls run synchronously on the caller's thread; TTLs
 * follow the clock of whichever process reads, so keep clocks in sync when several machines share a file (they
 * should not: use Redis).
 *
 * @example
 * let now = 0;
 * const kv = await SqliteKvStore.open(':memory:', { now: () => now });
 * await kv.set('k', 'v', { ttlMs: 1000 });
 * now = 1000; // await kv.get('k') → null
 */
export class SqliteKvStore extends KvStoreBase {
  readonly backend = 'sqlite';
  readonly #db: BetterSqlite3.Database;
  readonly #now: () => number;
  readonly #sql;
  readonly #writeTx: (writes: readonly KvWrite[], now: number) => void;
  readonly #incrementTx: (key: string, delta: number, now: number) => number;
  #writesSincePurge = 0;

  private constructor(db: BetterSqlite3.Database, now: () => number) {
    super();
    this.#db = db;
    this.#now = now;
    db.exec(SCHEMA);
    const sql = {
      getMany: db.prepare<[{ keys: string; now: number }], { key: string; value: string }>(
        `SELECT key, value FROM kv_entries WHERE key IN (SELECT value FROM json_each(@keys)) AND ${LIVE}`,
      ),
      getRow: db.prepare<[string], { value: string; expires_at: number | null }>('SELECT value, expires_at FROM kv_entries WHERE key = ?'),
      upsert: db.prepare<[string, string, number | null]>(
        'INSERT INTO kv_entries (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
      ),
      deleteLive: db.prepare<[{ keys: string; now: number }]>(`DELETE FROM kv_entries WHERE key IN (SELECT value FROM json_each(@keys)) AND ${LIVE}`),
      scanFrom: db.prepare<[{ low: string; now: number; limit: number }], { key: string }>(
        `SELECT key FROM kv_entries WHERE key >= @low AND ${LIVE} ORDER BY key LIMIT @limit`,
      ),
      scanRange: db.prepare<[{ low: string; high: string; now: number; limit: number }], { key: string }>(
        `SELECT key FROM kv_entries WHERE key >= @low AND key < @high AND ${LIVE} ORDER BY key LIMIT @limit`,
      ),
      ttl: db.prepare<[{ key: string; now: number }], { expires_at: number | null }>(`SELECT expires_at FROM kv_entries WHERE key = @key AND ${LIVE}`),
      purge: db.prepare<[number]>('DELETE FROM kv_entries WHERE expires_at <= ?'),
    };
    this.#sql = sql;
    const write = db.transaction((writes: readonly KvWrite[], now: number) => {
      for (const w of writes) sql.upsert.run(w.key, w.value, w.ttlMs === undefined ? null : now + w.ttlMs);
    });
    this.#writeTx = (writes, now) => write.immediate(writes, now);
    const increment = db.transaction((key: string, delta: number, now: number): number => {
      const row = sql.getRow.get(key);
      const live = row !== undefined && (row.expires_at === null || row.expires_at > now);
      const current = live ? parseInteger(key, row.value) : 0;
      const next = current + delta;
      if (!Number.isSafeInteger(next)) throw notInteger(key);
      sql.upsert.run(key, String(next), live ? row.expires_at : null);
      return next;
    });
    this.#incrementTx = (key, delta, now) => increment.immediate(key, delta, now);
    sql.purge.run(now());
  }

  /**
   * Opens (and creates, with its folder) the store at `path`, or an in-memory store for `:memory:`.
   * @throws LOOM_ERR_STORAGE_UNREACHABLE when the file cannot be opened, LOOM_ERR_STORAGE_DRIVER_MISSING
   */
  static async open(path: string, options: SqliteKvStoreOptions = {}): Promise<SqliteKvStore> {
    if (path === '') throw new LoomError('CONFIG_INVALID', { field: 'kvUri', problem: 'the sqlite:// URI has no path' }, { details: { field: 'kvUri' } });
    let Database: typeof BetterSqlite3;
    try {
      Database = (await import('better-sqlite3')).default;
    } catch (err) {
      throw new LoomError('STORAGE_DRIVER_MISSING', { kind: 'kv', pkg: 'better-sqlite3' }, { cause: err });
    }
    let db: BetterSqlite3.Database | undefined;
    try {
      const file = path === ':memory:' ? path : resolve(path);
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      db = new Database(file, { timeout: SQLITE_KV_BUSY_TIMEOUT_MS });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      return new SqliteKvStore(db, options.now ?? Date.now);
    } catch (err) {
      db?.close();
      throw new LoomError('STORAGE_UNREACHABLE', { kind: 'SQLite kv', uri: `sqlite://${path}`, problem: (err as Error).message, env: 'LOOM_KV_URI' }, {
        cause: err,
        details: { field: 'kvUri' },
      });
    }
  }

  protected async readMany(keys: readonly string[]): Promise<(string | null)[]> {
    const found = new Map<string, string>();
    for (const row of this.#sql.getMany.all({ keys: JSON.stringify(keys), now: this.#now() })) found.set(row.key, row.value);
    return keys.map((key) => found.get(key) ?? null);
  }

  protected async writeMany(writes: readonly KvWrite[]): Promise<void> {
    const now = this.#now();
    this.#writeTx(writes, now);
    this.#writesSincePurge += writes.length;
    if (this.#writesSincePurge >= PURGE_EVERY_WRITES) {
      this.#writesSincePurge = 0;
      this.#sql.purge.run(now);
    }
  }

  protected async deleteKeys(keys: readonly string[]): Promise<number> {
    return this.#sql.deleteLive.run({ keys: JSON.stringify(keys), now: this.#now() }).changes;
  }

  protected async increment(key: string, delta: number): Promise<number> {
    return this.#incrementTx(key, delta, this.#now());
  }

  protected async scanPrefix(prefix: string, limit: number): Promise<string[]> {
    const now = this.#now();
    const high = prefixUpperBound(prefix);
    const rows = high === null ? this.#sql.scanFrom.all({ low: prefix, now, limit }) : this.#sql.scanRange.all({ low: prefix, high, now, limit });
    return rows.map((row) => row.key);
  }

  protected async remainingTtl(key: string): Promise<number | null> {
    const now = this.#now();
    const row = this.#sql.ttl.get({ key, now });
    if (row === undefined) return null;
    return row.expires_at === null ? Number.POSITIVE_INFINITY : row.expires_at - now;
  }

  protected async release(): Promise<void> {
    this.#db.close();
  }
}

function parseInteger(key: string, value: string): number {
  const n = INTEGER.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw notInteger(key);
  return n;
}

/**
 * The smallest string above every string that starts with `prefix`, in code-point (= UTF-8 byte) order, or null
 * when there is none (empty prefix, or only U+10FFFF). Lets a prefix scan be an index range instead of a pattern.
 */
function prefixUpperBound(prefix: string): string | null {
  const points = Array.from(prefix, (ch) => ch.codePointAt(0) as number);
  while (points.length > 0) {
    const last = (points.pop() as number) + 1;
    if (last <= 0x10ffff) {
      points.push(last === 0xd800 ? 0xe000 : last);
      return String.fromCodePoint(...points);
    }
  }
  return null;
}
