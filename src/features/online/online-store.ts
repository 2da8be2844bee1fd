/**
 * One entity's latest row of a view version in the online store: the encoded feature values and the row's event and
 * created times (epoch ms, UTC). `createdTs` is null when the view has no created column.
 */
export interface OnlineRecord {
  readonly eventTs: number;
  readonly createdTs: number | null;
  /** Feature name → JSON text of its value (see encodeFeatureValue). */
  readonly values: Readonly<Record<string, string>>;
}

/** One row to write: the entity key (see entityKeyOf) and its record. */
export interface OnlineWrite extends OnlineRecord {
  readonly entityKey: string;
}

/**
 * The online half of the feature store: per view version (the `table`, `view@version`), the latest row of each entity.
 *
 * Every write is a compare-and-set on `(eventTs, createdTs)`: a row replaces the stored one only when it is not older
 * (a later event time, or the same event time and a created time at least as late; a null created time is the
 * oldest). So batch materialization and stream updates may race, and re-running either is idempotent: the newest
 * event always wins and never regresses.
 *
 * Backends, picked by the workspace's `kvUri` scheme through `openOnlineStore(uri)`:
 * - `sqlite://<path>` (embedded default): a table `online_features` in the key-value store's SQLite file; the
 *   compare-and-set is a conditional upsert (`ON CONFLICT … DO UPDATE … WHERE`). One machine, one writer at a time.
 * - `redis://…` (scale-out): one hash per entity (`<prefix>loom:fs:<table>:<entity key>`, a field per feature plus
 *   `__ts`/`__cr`); writes run a Lua compare-and-set script, reads are one pipeline of HMGETs per view.
 */
export interface OnlineStore {
  /** `sqlite` or `redis`. */
  readonly backend: string;
  /** Where it lives, with any password hidden; the materialization high-water marks are kept per store. */
  readonly name: string;
  /**
   * Writes rows of one table with compare-and-set on event time; returns how many replaced a stored row or were new
   * (an older or equal-and-older row is skipped).
   * @throws LOOM_ERR_STORAGE_UNREACHABLE
   */
  write(table: string, rows: readonly OnlineWrite[]): Promise<number>;
  /**
   * The records of `entityKeys` in one table, same order and length, null where missing; only `fields` are read.
   * One round trip.
   * @throws LOOM_ERR_STORAGE_UNREACHABLE (Redis down or no reply within the command timeout)
   */
  read(table: string, entityKeys: readonly string[], fields: readonly string[]): Promise<(OnlineRecord | null)[]>;
  /** Removes every row of a table; returns how many there were. */
  clear(table: string): Promise<number>;
  /** Releases the connection; safe to call twice. */
  close(): Promise<void>;
}
