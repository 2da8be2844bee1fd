import { resolve } from 'node:path';
import { redactUri } from '../../storage/backend-registry.js';

/**
 * @internal The name an online store opened from `uri` reports (OnlineStore.name), computed without opening it:
 * `sqlite://<absolute path>` or the Redis URI with its password hidden and without query.
 */
export function onlineStoreName(uri: string): string {
  if (uri.startsWith('sqlite://')) {
    const path = uri.slice('sqlite://'.length);
    return `sqlite://${path === ':memory:' ? path : resolve(path)}`;
  }
  return redactUri(uri);
}
