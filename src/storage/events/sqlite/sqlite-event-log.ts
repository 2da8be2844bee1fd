import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import { LoomError } from '../../../core/errors/index.js';
import { EventLogBase } from '../event-log-base.js';
import type { AppendResult, EventHandler, EventLogCapabilities, EventRecord } from '../event-log.js';

/** How long a writer waits for another connection's write lock before failing, in ms. */
export const SQLITE_EVENTS_BUSY_TIMEOUT_MS = 5000;

/** Options for {@link SqliteEventLog.open}. */
export interface SqliteEventLogOptions {
  /** How often `subscribe` looks for new events once it has caught up, in ms. Default 100. */
  readonly pollMs?: number;
}

/** Rows fetched per query while `subscribe` catches up. */
const FOLLOW_BATCH = 1000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS event_streams (
    name TEXT PRIMARY KEY,
    length INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS event_records (
    stream TEXT NOT NULL,
    event_offset INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (stream, event_offset)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS event_consumer_offsets (
    consumer TEXT NOT NULL,
    stream TEXT NOT NULL,
    committed INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (consumer, stream)
  ) WITHOUT ROWID;
`;

interface RecordRow {
  event_offset: number;
  ts: number;
  data: string;
}

/**
 * The embedded default event log: one SQLite file (`sqlite://<path>`, parent folders created) or a private
 * in-memory database (`sqlite://:memory:`).
 *
 * Durability: WAL mode with `synchronous=FULL`, so a resolved `append` is on disk and survives `kill -9` and power
 * loss. Each append is one `BEGIN IMMEDIATE` transaction that reads the stream length and inserts after it, so
 * appenders in several processes get dense, distinct offsets; a writer waits up to 5 s for the lock.
 *
 * Limits: one writer at a time across processes, one machine (not a network filesystem). `subscribe` polls every
 * `pollMs` (default 100 ms) once caught up, so new events arrive with up to that delay, and each idle subscription
 * costs one indexed query per poll. Calls run synchronously on the caller's thread (better-sqlite3).
 *
 * @example
 * const log = await SqliteEventLog.open('/srv/loom/events.db');
 * await log.append('feature-updates', [{ user: 7, clicks: 3 }]);
 */
export class SqliteEventLog extends EventLogBase {
  readonly backend = 'sqlite';
  readonly capabilities: EventLogCapabilities = Object.freeze({ live: true, atomicAppend: true });
  readonly #db: BetterSqlite3.Database;
  readonly #pollMs: number;
  readonly #appendTx: (stream: string, payloads: readonly string[], ts: number) => AppendResult;
  readonly #statements;

  private constructor(db: BetterSqlite3.Database, pollMs: number) {
    super();
    this.#db = db;
    this.#pollMs = pollMs;
    db.exec(SCHEMA);
    this.#statements = {
      length: db.prepare<[string], { length: number }>('SELECT length FROM event_streams WHERE name = ?'),
      setLength: db.prepare<[string, number]>(
        'INSERT INTO event_streams (name, length) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET length = excluded.length',
      ),
      insert: db.prepare<[string, number, number, string]>('INSERT INTO event_records (stream, event_offset, ts, data) VALUES (?, ?, ?, ?)'),
      read: db.prepare<[string, number, number], RecordRow>(
        'SELECT event_offset, ts, data FROM event_records WHERE stream = ? AND event_offset >= ? ORDER BY event_offset LIMIT ?',
      ),
      streams: db.prepare<[], { name: string }>('SELECT name FROM event_streams WHERE length > 0'),
      commit: db.prepare<[string, string, number, number]>(
        `INSERT INTO event_consumer_offsets (consumer, stream, committed, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (consumer, stream) DO UPDATE SET committed = excluded.committed, updated_at = excluded.updated_at`,
      ),
      committed: db.prepare<[string, string], { committed: number }>(
        'SELECT committed FROM event_consumer_offsets WHERE consumer = ? AND stream = ?',
      ),
    };
    const s = this.#statements;
    const tx = db.transaction((stream: string, payloads: readonly string[], ts: number): AppendResult => {
      const first = s.length.get(stream)?.length ?? 0;
      for (let i = 0; i < payloads.length; i++) s.insert.run(stream, first + i, ts, payloads[i]);
      s.setLength.run(stream, first + payloads.length);
      return { firstOffset: first, lastOffset: first + payloads.length - 1 };
    });
    // IMMEDIATE takes the write lock before reading the length, so two connections cannot both read the same length.
    this.#appendTx = (stream, payloads, ts) => tx.immediate(stream, payloads, ts);
  }

  /**
   * Opens (and creates, with its folder) the log at `path`, or an in-memory log for `:memory:`.
   * @throws LOOM_ERR_STORAGE_UNREACHABLE when the file cannot be opened or is not a Loom event database.
   * @throws LOOM_ERR_STORAGE_DRIVER_MISSING when better-sqlite3 is not installed.
   */
  static async open(path: string, options: SqliteEventLogOptions = {}): Promise<SqliteEventLog> {
    const uri = `sqlite://${path}`;
    if (path === '') throw new LoomError('CONFIG_INVALID', { field: 'eventsUri', problem: 'the sqlite:// URI has no path' }, { details: { field: 'eventsUri' } });
    const pollMs = options.pollMs ?? 100;
    if (!Number.isFinite(pollMs) || pollMs < 1) throw new LoomError('CONFIG_INVALID', { field: 'pollMs', problem: 'use a number of milliseconds ≥ 1' }, { details: { field: 'pollMs' } });
    let Database: typeof BetterSqlite3;
    try {
      Database = (await import('better-sqlite3')).default;
    } catch (err) {
      throw new LoomError('STORAGE_DRIVER_MISSING', { kind: 'events', pkg: 'better-sqlite3' }, { cause: err });
    }
    let db: BetterSqlite3.Database | undefined;
    try {
      const file = path === ':memory:' ? path : resolve(path);
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      db = new Database(file, { timeout: SQLITE_EVENTS_BUSY_TIMEOUT_MS });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      return new SqliteEventLog(db, pollMs);
    } catch (err) {
      db?.close();
      throw new LoomError('STORAGE_UNREACHABLE', { kind: 'SQLite events', uri, problem: (err as Error).message, env: 'LOOM_EVENTS_URI' }, {
        cause: err,
        details: { field: 'eventsUri' },
      });
    }
  }

  protected async appendSerialized(stream: string, payloads: readonly string[]): Promise<AppendResult> {
    return this.#appendTx(stream, payloads, Date.now());
  }

  protected async readFrom(stream: string, fromOffset: number, limit: number): Promise<EventRecord[]> {
    return this.#readNow(stream, fromOffset, limit);
  }

  protected async lengthOf(stream: string): Promise<number> {
    return this.#statements.length.get(stream)?.length ?? 0;
  }

  protected async listStreams(): Promise<string[]> {
    return this.#statements.streams.all().map((row) => row.name);
  }

  protected async writeCommit(consumer: string, stream: string, offset: number): Promise<void> {
    this.#statements.commit.run(consumer, stream, offset, Date.now());
  }

  protected async readCommit(consumer: string, stream: string): Promise<number> {
    return this.#statements.committed.get(consumer, stream)?.committed ?? 0;
  }

  protected override async follow(stream: string, fromOffset: number, onEvent: EventHandler, stop: AbortSignal): Promise<void> {
    let next = fromOffset;
    while (!stop.aborted) {
      const batch = this.#readNow(stream, next, FOLLOW_BATCH);
      for (const record of batch) {
        await onEvent(record);
        if (stop.aborted) return;
        next = record.offset + 1;
      }
      if (batch.length < FOLLOW_BATCH) await sleep(this.#pollMs, undefined, { signal: stop }).catch(() => undefined);
    }
  }

  protected async release(): Promise<void> {
    this.#db.close();
  }

  #readNow(stream: string, fromOffset: number, limit: number): EventRecord[] {
    return this.#statements.read.all(stream, fromOffset, limit).map((row) => ({ offset: row.event_offset, timestamp: row.ts, data: JSON.parse(row.data) as unknown }));
  }
}
