import { selectBackend, type BackendOpener } from '../../storage/backend-registry.js';
import type { OnlineStore } from './online-store.js';

const openRedis: BackendOpener<OnlineStore> = async (uri) => (await import('./redis-online-store.js')).RedisOnlineStore.open(uri);

/** Online-store backends by URI scheme (the same URIs as the key-value store); each imports its driver lazily. */
export const ONLINE_STORE_BACKENDS: ReadonlyMap<string, BackendOpener<OnlineStore>> = new Map<string, BackendOpener<OnlineStore>>([
  ['sqlite', async (uri) => (await import('./sqlite-online-store.js')).SqliteOnlineStore.open(uri.slice('sqlite://'.length))],
  ['redis', openRedis],
  ['rediss', openRedis],
]);

/**
 * Opens the online store a URI names; the workspace's is `ws.config.kvUri` (`LOOM_KV_URI`): `sqlite://<path>`
 * (embedded default, a table in that file) or `redis://…` (scale-out).
 * @throws LOOM_ERR_CONFIG_UNKNOWN_BACKEND, LOOM_ERR_CONFIG_INVALID, LOOM_ERR_STORAGE_UNREACHABLE
 */
export async function openOnlineStore(uri: string): Promise<OnlineStore> {
  return selectBackend('kv', uri, ONLINE_STORE_BACKENDS)(uri);
}
