export type { KvEntry, KvScanOptions, KvSetOptions, KvStore } from './kv-store.js';
export { DEFAULT_SCAN_LIMIT, MAX_KEY_BYTES, MAX_SCAN_LIMIT } from './kv-store-base.js';
export { KV_BACKENDS, openKvStore } from './open-kv-store.js';
export { SqliteKvStore, SQLITE_KV_BUSY_TIMEOUT_MS } from './sqlite/sqlite-kv-store.js';
export type { SqliteKvStoreOptions } from './sqlite/sqlite-kv-store.js';
export { RedisKvStore } from './redis/redis-kv-store.js';
export { REDIS_CONNECT_TIMEOUT_MS } from './redis/redis-connection.js';
