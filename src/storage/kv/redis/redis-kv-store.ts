import { z } from 'zod';
import { LoomError } from '../../../core/errors/index.js';
import { redactUri } from '../../backend-registry.js';
import { compareUtf8, KvStoreBase, notInteger, type KvWrite } from '../kv-store-base.js';
import { connectRedis, type RedisPort, type RedisTarget } from './redis-connection.js';

/** Query parameters a `redis://` URI may carry; anything else is rejected. */
const QUERY = z.strictObject({ prefix: z.string().max(256).optional() });

/** Keys SCAN is asked to visit per step; larger steps mean fewer round trips on big key spaces. */
const SCAN_COUNT = 1000;

/** Characters with a meaning in Redis glob patterns. */
const GLOB_SPECIAL = /[*?[\]\\^-]/g;

/**
 * The scale-out key-value store on Redis: `redis://[user:pass@]host:port/<db>[?prefix=loom:]` (`rediss://` for
 * TLS). Every key is stored as `<prefix><key>`, so several workspaces can share one Redis database; the prefix is
 * invisible to callers (scan strips it).
 *
 * TTLs are Redis's own (`SET … PX`, `PTTL`), so expiry is exact and needs no purge. `getMany` is one MGET,
 * `setMany` one MULTI/EXEC, `incrBy` one INCRBY (values beyond ±(2^53−1) are refused after Redis stored them, so
 * keep counters well inside that range). `scan` walks the whole database with SCAN MATCH (glob characters in the
 * prefix escaped), then sorts, so its cost grows with the number of keys in the database, not with the result.
 *
 * @example
 * const kv = await RedisKvStore.open('redis://127.0.0.1:6379/0?prefix=prod:');
 * await kv.setMany([{ key: 'user:7:ctr', value: '0.12', ttlMs: 86_400_000 }]);
 */
export class RedisKvStore extends KvStoreBase {
  readonly backend = 'redis';
  readonly #port: RedisPort;
  readonly #prefix: string;

  private constructor(port: RedisPort, prefix: string) {
    super();
    this.#port = port;
    this.#prefix = prefix;
  }

  /**
   * Connects (3 s timeout) and checks the server answers.
   * @throws LOOM_ERR_CONFIG_INVALID (bad URI), LOOM_ERR_STORAGE_UNREACHABLE, LOOM_ERR_STORAGE_DRIVER_MISSING
   */
  static async open(uri: string): Promise<RedisKvStore> {
    const { target, prefix } = parseRedisUri(uri);
    return new RedisKvStore(await connectRedis(target), prefix);
  }

  protected readMany(keys: readonly string[]): Promise<(string | null)[]> {
    return this.#port.mget(keys.map((key) => this.#prefix + key));
  }

  protected writeMany(writes: readonly KvWrite[]): Promise<void> {
    return this.#port.setAll(writes.map((w) => ({ ...w, key: this.#prefix + w.key })));
  }

  protected deleteKeys(keys: readonly string[]): Promise<number> {
    return this.#port.del(keys.map((key) => this.#prefix + key));
  }

  protected async increment(key: string, delta: number): Promise<number> {
    const result = await this.#port.incrBy(this.#prefix + key, delta);
    if (result === 'not-integer' || !Number.isSafeInteger(result)) throw notInteger(key);
    return result;
  }

  protected async scanPrefix(prefix: string, limit: number): Promise<string[]> {
    const full = this.#prefix + prefix;
    const match = `${escapeGlob(full)}*`;
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.#port.scan(cursor, match, SCAN_COUNT);
      // SCAN may return a key twice; the Set keeps one. startsWith guards against any pattern surprise.
      for (const key of keys) if (key.startsWith(full)) found.add(key.slice(this.#prefix.length));
      cursor = next;
    } while (cursor !== '0');
    return [...found].sort(compareUtf8).slice(0, limit);
  }

  protected async remainingTtl(key: string): Promise<number | null> {
    const ms = await this.#port.pttl(this.#prefix + key);
    if (ms === -2) return null;
    return ms === -1 ? Number.POSITIVE_INFINITY : ms;
  }

  protected release(): Promise<void> {
    return this.#port.close();
  }
}

/** Escapes text so a Redis glob pattern matches it literally. @internal */
export function escapeGlob(text: string): string {
  return text.replace(GLOB_SPECIAL, (ch) => `\\${ch}`);
}

/**
 * Splits a `redis://` or `rediss://` URI into connection settings and the key prefix.
 * @throws LOOM_ERR_CONFIG_INVALID
 * @internal
 */
export function parseRedisUri(uri: string): { target: RedisTarget; prefix: string } {
  const safeUri = redactUri(uri);
  const invalid = (problem: string) => new LoomError('CONFIG_INVALID', { field: 'kvUri', problem: `${problem} in ${safeUri}` }, { details: { field: 'kvUri' } });
  let url: URL;
  try {
    url = new URL(uri);
  } catch (err) {
    throw invalid(`not a URL (${(err as Error).message})`);
  }
  if (url.hostname === '') throw invalid('no host');
  const dbText = url.pathname.replace(/^\//, '');
  if (!/^(\d{1,5})?$/.test(dbText)) throw invalid(`database "${dbText}" is not a number; use /0 … /15`);
  const query = QUERY.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) throw invalid('unknown or too long query parameter (allowed: prefix, at most 256 characters)');
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    target: {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? 6379 : Number(url.port),
      db: dbText === '' ? 0 : Number(dbText),
      ...(username === '' ? {} : { username }),
      ...(password === '' ? {} : { password }),
      tls: url.protocol === 'rediss:',
      safeUri,
    },
    prefix: query.data.prefix ?? '',
  };
}
