import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { LoomError } from '../../core/errors/index.js';
import type { OnlineRecord, OnlineStore, OnlineWrite } from './online-store.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS online_features (
    tbl TEXT NOT NULL,
    entity TEXT NOT NULL,
    event_ts INTEGER NOT NULL,
    created_ts INTEGER,
    values_json TEXT NOT NULL,
    PRIMARY KEY (tbl, entity)
  ) WITHOUT ROWID;
`;

// The compare-and-set: the stored row is replaced only when the new one is not older on (event_ts, created_ts),
// with a null created time as the oldest. One statement, so it is atomic against any other writer of the file.
const CAS_UPSERT = `
  INSERT INTO online_features (tbl, entity, event_ts, created_ts, values_json) VALUES (@tbl, @entity, @eventTs, @createdTs, @values)
  ON CONFLICT (tbl, entity) DO UPDATE SET event_ts = excluded.event_ts, created_ts = excluded.created_ts, values_json = excluded.values_json
  WHERE excluded.event_ts > online_features.event_ts
     OR (excluded.event_ts = online_features.event_ts AND coalesce(excluded.created_ts, -9007199254740991) >= coalesce(online_features.created_ts, -9007199254740991))`;

/**
 * The embedded online store: table `online_features` in a SQLite file (the key-value store's file by default), in WAL
 * mode with a 5 s busy timeout. Reads of one view are one indexed query; writes are batched in one `BEGIN IMMEDIATE`
 * transaction of conditional upserts. Values are one JSON object per row, so a read decodes only what it asks for.
 * Limits: one machine; calls run synchronously on the caller's thread.
 */
export class SqliteOnlineStore implements OnlineStore {
  readonly backend = 'sqlite';
  readonly name: string;
  readonly #db: BetterSqlite3.Database;
  readonly #read: BetterSqlite3.Statement<[{ tbl: string; keys: string }], { entity: string; event_ts: number; created_ts: number | null; values_json: string }>;
  readonly #clear: BetterSqlite3.Statement<[string]>;
  readonly #writeTx: (tbl: string, rows: readonly OnlineWrite[]) => number;
  #closed = false;

  private constructor(db: BetterSqlite3.Database, name: string) {
    this.#db = db;
    this.name = name;
    db.exec(SCHEMA);
    this.#read = db.prepare(`SELECT entity, event_ts, created_ts, values_json FROM online_features WHERE tbl = @tbl AND entity IN (SELECT value FROM json_each(@keys))`);
    this.#clear = db.prepare('DELETE FROM online_features WHERE tbl = ?');
    const upsert = db.prepare<[{ tbl: string; entity: string; eventTs: number; createdTs: number | null; values: string }]>(CAS_UPSERT);
    const tx = db.transaction((tbl: string, rows: readonly OnlineWrite[]) => {
      let changed = 0;
      for (const r of rows) changed += upsert.run({ tbl, entity: r.entityKey, eventTs: r.eventTs, createdTs: r.createdTs, values: JSON.stringify(r.values) }).changes;
      return changed;
    });
    this.#writeTx = (tbl, rows) => tx.immediate(tbl, rows);
  }

  /**
   * Opens (creating the file, its folder and the table) the store at `path`, or `:memory:`.
   * @throws LOOM_ERR_STORAGE_UNREACHABLE, LOOM_ERR_STORAGE_DRIVER_MISSING
   */
  static async open(path: string): Promise<SqliteOnlineStore> {
    let Database: typeof BetterSqlite3;
    try {
      Database = (await import('better-sqlite3')).default;
    } catch (err) {
      throw new LoomError('STORAGE_DRIVER_MISSING', { kind: 'online store', pkg: 'better-sqlite3' }, { cause: err });
    }
    let db: BetterSqlite3.Database | undefined;
    try {
      const file = path === ':memory:' ? path : resolve(path);
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      db = new Database(file, { timeout: 5000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      return new SqliteOnlineStore(db, `sqlite://${file}`);
    } catch (err) {
      db?.close();
      throw new LoomError('STORAGE_UNREACHABLE', { kind: 'SQLite online store', uri: `sqlite://${path}`, problem: (err as Error).message, env: 'LOOM_KV_URI' }, { cause: err, details: { field: 'kvUri' } });
    }
  }

  async write(table: string, rows: readonly OnlineWrite[]): Promise<number> {
    this.#checkOpen();
    return rows.length === 0 ? 0 : this.#writeTx(table, rows);
  }

  async read(table: string, entityKeys: readonly string[], fields: readonly string[]): Promise<(OnlineRecord | null)[]> {
    this.#checkOpen();
    if (entityKeys.length === 0) return [];
    const found = new Map<string, OnlineRecord>();
    for (const row of this.#read.all({ tbl: table, keys: JSON.stringify(entityKeys) })) {
      const all = JSON.parse(row.values_json) as Record<string, string>;
      const values: Record<string, string> = {};
      for (const f of fields) if (all[f] !== undefined) values[f] = all[f];
      found.set(row.entity, { eventTs: row.event_ts, createdTs: row.created_ts, values });
    }
    return entityKeys.map((k) => found.get(k) ?? null);
  }

  async clear(table: string): Promise<number> {
    this.#checkOpen();
    return this.#clear.run(table).changes;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new LoomError('STORAGE_CLOSED', { kind: 'online store' });
  }
}
