import { selectBackend, type BackendOpener } from '../backend-registry.js';
import type { KvStore } from './kv-store.js';

const openRedis: BackendOpener<KvStore> = async (uri) => (await import('./redis/redis-kv-store.js')).RedisKvStore.open(uri);

/**
 * Key-value backends by URI scheme. Each opener imports its backend lazily, so opening the embedded default never
 * loads ioredis.
 */
export const KV_BACKENDS: ReadonlyMap<string, BackendOpener<KvStore>> = new Map<string, BackendOpener<KvStore>>([
  ['sqlite', async (uri) => (await import('./sqlite/sqlite-kv-store.js')).SqliteKvStore.open(uri.slice('sqlite://'.length))],
  ['redis', openRedis],
  ['rediss', openRedis],
]);

/**
 * Opens the key-value store a URI names: `sqlite://<path>` (embedded default; parent folders are created),
 * `sqlite://:memory:`, or `redis://[user:pass@]host:port/<db>[?prefix=ns:]` (`rediss://` for TLS).
 *
 * @throws LOOM_ERR_CONFIG_UNKNOWN_BACKEND for another scheme, LOOM_ERR_CONFIG_INVALID for a malformed URI,
 *   LOOM_ERR_STORAGE_UNREACHABLE when the file cannot be opened or the server does not answer within 3 s.
 * @example
 * const kv = await openKvStore('redis://127.0.0.1:6379/0?prefix=loom:');
 * await kv.set('model:churn:threshold', '0.42');
 * console.log(await kv.get('model:churn:threshold'));
 * await kv.close();
 */
export async function openKvStore(uri: string): Promise<KvStore> {
  return selectBackend('kv', uri, KV_BACKENDS)(uri);
}
