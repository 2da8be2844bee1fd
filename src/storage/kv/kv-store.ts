/** Options for one write. */
export interface KvSetOptions {
  /** Time to live in ms (integer ≥ 1). Omitted: the key never expires, and any earlier TTL is removed. */
  readonly ttlMs?: number;
}

/** One entry of `setMany`. */
export interface KvEntry extends KvSetOptions {
  readonly key: string;
  readonly value: string;
}

/** Options for `scan`. */
export interface KvScanOptions {
  /** Most keys to return (integer 1…100000). Default 1000. */
  readonly limit?: number;
}

/**
 * A string key-value store with TTLs and integer counters: the online feature store, caches and rate-limit counters.
 *
 * Keys are non-empty strings of at most 1024 UTF-8 bytes (no lone surrogates); values are strings, so callers
 * serialize. A key whose TTL has passed reads as missing on every backend, whatever the backend's cleanup does.
 * Key order, where it matters (`scan`), is UTF-8 byte order, which equals code-point order.
 *
 * Backends, picked by URI scheme through `openKvStore(uri)`:
 * - `sqlite://<path>` (embedded default, also `sqlite://:memory:`): one file in WAL mode with `synchronous=FULL`;
 *   expired rows are filtered at read and purged lazily. See SqliteKvStore for its limits.
 * - `redis://[user:pass@]host:port/<db>[?prefix=loom:]` (scale-out): Redis; the prefix namespaces every key so
 *   several workspaces share one Redis. See RedisKvStore.
 *
 * @example
 * const kv = await openKvStore('sqlite://:memory:');
 * await kv.set('user:7:clicks_1h', '12', { ttlMs: 3_600_000 });
 * const [clicks, missing] = await kv.getMany(['user:7:clicks_1h', 'user:8:clicks_1h']); // ['12', null]
 * await kv.incrBy('rate:api-key-1', 1);
 * await kv.close();
 */
export interface KvStore {
  /** Backend name for messages, e.g. `sqlite` or `redis`. */
  readonly backend: string;

  /** The value, or null when the key is missing or expired. @throws LOOM_ERR_KV_INVALID_KEY */
  get(key: string): Promise<string | null>;

  /**
   * Values for `keys`, in the same order and of the same length, null for missing or expired keys. One round trip
   * on Redis. @throws LOOM_ERR_KV_INVALID_KEY
   */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;

  /** Writes one value, replacing value and TTL. @throws LOOM_ERR_KV_INVALID_KEY, LOOM_ERR_KV_INVALID_ARGUMENT */
  set(key: string, value: string, options?: KvSetOptions): Promise<void>;

  /**
   * Writes several values atomically: readers see all of them or none (SQLite: one transaction; Redis: MULTI/EXEC).
   * All entries are checked before anything is written. Later entries win over earlier ones with the same key.
   * @throws LOOM_ERR_KV_INVALID_KEY, LOOM_ERR_KV_INVALID_ARGUMENT
   */
  setMany(entries: readonly KvEntry[]): Promise<void>;

  /** Deletes keys and returns how many of them existed (expired keys do not count). @throws LOOM_ERR_KV_INVALID_KEY */
  delete(keys: readonly string[]): Promise<number>;

  /**
   * Adds `delta` (a safe integer, may be negative) to the integer stored at `key`, treating a missing or expired key
   * as 0, and returns the new value. Atomic across connections. Keeps an existing TTL; a new key has none.
   * @throws LOOM_ERR_KV_INVALID_KEY, LOOM_ERR_KV_INVALID_ARGUMENT (delta),
   *   LOOM_ERR_KV_VALUE_NOT_INTEGER (the value is not an integer string, or the result leaves ±(2^53−1))
   */
  incrBy(key: string, delta: number): Promise<number>;

  /**
   * Live keys starting with `prefix` (may be empty: every key), sorted, the first `limit` of them. `prefix` is plain
   * text: `*`, `?` and `[` match only themselves. Cost grows with the whole key space on Redis (SCAN), with the
   * matching range on SQLite.
   * @throws LOOM_ERR_KV_INVALID_ARGUMENT (prefix longer than 1024 bytes, bad limit)
   */
  scan(prefix: string, options?: KvScanOptions): Promise<string[]>;

  /**
   * Remaining time to live in ms; `Infinity` for a key without TTL; null for a missing or expired key.
   * @throws LOOM_ERR_KV_INVALID_KEY
   */
  ttlMs(key: string): Promise<number | null>;

  /** Releases the connection or file. Safe to call twice; later calls throw LOOM_ERR_STORAGE_CLOSED. */
  close(): Promise<void>;
}
