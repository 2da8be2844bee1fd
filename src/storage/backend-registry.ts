import { LoomError } from '../core/errors/index.js';

/** Opens one backend from its full URI. */
export type BackendOpener<T> = (uri: string) => Promise<T>;

/**
 * Picks a backend by URI scheme (`sqlite://…`, `postgres://…`, `redis://…`, `nats://…`, `file://…`) from a registry
 * map, so the error can list every valid scheme. Each store kind (metadata, artifacts, events, kv) keeps one map.
 *
 * @throws LOOM_ERR_CONFIG_UNKNOWN_BACKEND naming the URI and the known schemes.
 * @example
 * const open = selectBackend('kv', 'redis://127.0.0.1:6379/0', KV_BACKENDS);
 */
export function selectBackend<T>(kind: string, uri: string, registry: ReadonlyMap<string, BackendOpener<T>>): BackendOpener<T> {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri);
  const scheme = match ? match[1].toLowerCase() : '';
  const opener = registry.get(scheme);
  if (opener === undefined) {
    throw new LoomError(
      'CONFIG_UNKNOWN_BACKEND',
      { kind, scheme: scheme === '' ? '(none)' : scheme, uri: redactUri(uri), known: [...registry.keys()].map((s) => `${s}://`).join(', ') },
      { details: { field: `${kind}Uri` } },
    );
  }
  return opener;
}

/** Hides the password in a URI (`postgres://u:secret@h` → `postgres://u:***@h`) so messages never echo secrets. */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
