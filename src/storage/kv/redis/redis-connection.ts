import type { Redis, RedisOptions } from 'ioredis';
import { LoomError } from '../../../core/errors/index.js';
import type { KvWrite } from '../kv-store-base.js';

/** How long connecting (TCP plus the ready check) may take before LOOM_ERR_STORAGE_UNREACHABLE, in ms. */
export const REDIS_CONNECT_TIMEOUT_MS = 3000;
/** How long one command may wait for its reply, in ms. */
export const REDIS_COMMAND_TIMEOUT_MS = 5000;

/** Where to connect; built from the `redis://` URI by the store. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
  /** The URI with its password hidden, for messages. */
  readonly safeUri: string;
}

/**
 * The few Redis commands the key-value store uses, on full (already prefixed) keys. Every method throws only
 * LoomErrors: LOOM_ERR_STORAGE_UNREACHABLE when the connection is gone or a reply times out,
 * LOOM_ERR_STORAGE_BACKEND_ERROR when Redis answers with an error.
 *
 * @internal
 */
export interface RedisPort {
  /** MGET. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** SET … [PX ttl] for one entry; MULTI/EXEC around them for several. */
  setAll(writes: readonly KvWrite[]): Promise<void>;
  /** DEL; returns how many existed. */
  del(keys: readonly string[]): Promise<number>;
  /**
   * INCRBY; `not-integer` when Redis refuses (the value is not an integer, or would leave 64 bits) or when the new
   * value is outside ±(2^53−1), which Redis has then already stored.
   */
  incrBy(key: string, delta: number): Promise<number | 'not-integer'>;
  /** One SCAN step: next cursor ('0' when done) and the keys of this step. */
  scan(cursor: string, match: string, count: number): Promise<[string, string[]]>;
  /** PTTL: ms left, -1 without TTL, -2 when missing. */
  pttl(key: string): Promise<number>;
  close(): Promise<void>;
}

/** ioredis's client class, loaded on first use (the embedded default never needs it). */
export async function loadRedisClient(kind: string): Promise<typeof Redis> {
  try {
    return (await import('ioredis')).Redis;
  } catch (err) {
    throw new LoomError('STORAGE_DRIVER_MISSING', { kind, pkg: 'ioredis' }, { cause: err });
  }
}

/** The connection part of ioredis options for a parsed `redis://` / `rediss://` target. */
export function redisTargetOptions(target: RedisTarget): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.tls ? { tls: {} } : {}),
  };
}

/**
 * Connects to Redis with ioredis (imported here, lazily, so the embedded default never loads it) and waits until the
 * server is ready.
 *
 * @throws LOOM_ERR_STORAGE_DRIVER_MISSING, LOOM_ERR_STORAGE_UNREACHABLE (within 3 s)
 * @internal
 */
export async function connectRedis(target: RedisTarget): Promise<RedisPort> {
  const RedisClient = await loadRedisClient('kv');
  let ready = false;
  let lastError: unknown;
  const options: RedisOptions = {
    ...redisTargetOptions(target),
    lazyConnect: true,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // ioredis 6 decodes RESP3 integers near 2^53 inexactly; strings let the port check the exact value.
    stringNumbers: true,
    // Fail fast while opening; once open, ride out short outages (a restart) with a few backed-off reconnects.
    retryStrategy: (times: number) => (ready && times <= 10 ? Math.min(times * 200, 2000) : null),
  };
  const client = new RedisClient(options);
  // Without a listener, a connection error event would crash the process.
  client.on('error', (err: unknown) => {
    lastError = err;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${REDIS_CONNECT_TIMEOUT_MS} ms`)), REDIS_CONNECT_TIMEOUT_MS);
      }),
    ]);
    ready = true;
  } catch (err) {
    client.disconnect();
    const cause = lastError ?? err;
    throw new LoomError('STORAGE_UNREACHABLE', { kind: 'Redis kv', uri: target.safeUri, problem: messageOf(cause), env: 'LOOM_KV_URI' }, {
      cause,
      details: { field: 'kvUri' },
    });
  } finally {
    clearTimeout(timer);
  }
  return new IoRedisPort(client, target.safeUri);
}

class IoRedisPort implements RedisPort {
  readonly #client: Redis;
  readonly #uri: string;

  constructor(client: Redis, uri: string) {
    this.#client = client;
    this.#uri = uri;
  }

  mget(keys: readonly string[]): Promise<(string | null)[]> {
    return this.#guard(() => this.#client.mget(...keys));
  }

  setAll(writes: readonly KvWrite[]): Promise<void> {
    return this.#guard(async () => {
      if (writes.length === 1) {
        const [w] = writes;
        await (w.ttlMs === undefined ? this.#client.set(w.key, w.value) : this.#client.set(w.key, w.value, 'PX', w.ttlMs));
        return;
      }
      const tx = this.#client.multi();
      for (const w of writes) {
        if (w.ttlMs === undefined) tx.set(w.key, w.value);
        else tx.set(w.key, w.value, 'PX', w.ttlMs);
      }
      const results = await tx.exec();
      const failed = results?.find(([err]) => err !== null);
      if (results === null || failed !== undefined) throw failed?.[0] ?? new Error('MULTI was aborted');
    });
  }

  del(keys: readonly string[]): Promise<number> {
    return this.#guard(async () => Number(await this.#client.del(...keys)));
  }

  incrBy(key: string, delta: number): Promise<number | 'not-integer'> {
    return this.#guard(async () => {
      try {
        // With stringNumbers the reply is the exact decimal text (the typings still say number).
        const text = String(await this.#client.incrby(key, delta));
        const value = Number(text);
        return Number.isSafeInteger(value) && String(value) === text ? value : 'not-integer';
      } catch (err) {
        if (isReplyError(err) && /not an integer|out of range|overflow/i.test(err.message)) return 'not-integer';
        throw err;
      }
    });
  }

  scan(cursor: string, match: string, count: number): Promise<[string, string[]]> {
    return this.#guard(() => this.#client.scan(cursor, 'MATCH', match, 'COUNT', count));
  }

  pttl(key: string): Promise<number> {
    return this.#guard(async () => Number(await this.#client.pttl(key)));
  }

  async close(): Promise<void> {
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }

  async #guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof LoomError) throw err;
      if (isReplyError(err)) {
        throw new LoomError('STORAGE_BACKEND_ERROR', { kind: 'Redis kv', uri: this.#uri, problem: err.message }, { cause: err, details: { field: 'kvUri' } });
      }
      throw new LoomError('STORAGE_UNREACHABLE', { kind: 'Redis kv', uri: this.#uri, problem: messageOf(err), env: 'LOOM_KV_URI' }, {
        cause: err,
        details: { field: 'kvUri' },
      });
    }
  }
}

/** Redis answered with an error reply (as opposed to a network or timeout failure). */
function isReplyError(err: unknown): err is Error {
  return err instanceof Error && err.name === 'ReplyError';
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return messageOf(err.errors[0]);
  return err instanceof Error ? err.message || err.name : String(err);
}
