import type { Redis, RedisOptions } from 'ioredis';
import { LoomError } from '../../core/errors/index.js';
import { parseRedisUri } from '../../storage/kv/redis/redis-kv-store.js';
import { loadRedisClient, redisTargetOptions } from '../../storage/kv/redis/redis-connection.js';
import type { OnlineRecord, OnlineStore, OnlineWrite } from './online-store.js';

/** How long connecting may take, in ms. */
export const ONLINE_REDIS_CONNECT_TIMEOUT_MS = 2000;
/** Default time a read or write may wait for Redis's reply before LOOM_ERR_STORAGE_UNREACHABLE, in ms. */
export const ONLINE_REDIS_COMMAND_TIMEOUT_MS = 1000;

// KEYS[1] = the entity's hash; ARGV = event ms, created ms ('' = none), then field/value pairs. Writes only when the
// new (event, created) is not older than the stored one, so the newest event wins whatever order writers arrive in.
const CAS_SCRIPT = `
local cur = redis.call('HMGET', KEYS[1], '__ts', '__cr')
if cur[1] then
  local ts = tonumber(cur[1])
  local nts = tonumber(ARGV[1])
  if nts < ts then return 0 end
  if nts == ts then
    local cr = tonumber(cur[2]) or -9007199254740991
    local ncr = tonumber(ARGV[2]) or -9007199254740991
    if ncr < cr then return 0 end
  end
end
redis.call('HSET', KEYS[1], '__ts', ARGV[1], '__cr', ARGV[2], unpack(ARGV, 3))
return 1`;

type CasClient = Redis & { loomOnlineCas(key: string, ...args: string[]): Promise<number> };
type CasPipeline = ReturnType<Redis['pipeline']> & { loomOnlineCas(key: string, ...args: string[]): unknown };

/** Options for {@link RedisOnlineStore.open}. */
export interface RedisOnlineStoreOptions {
  /** Reply timeout per command, ms (default 1000). A read never waits longer: it fails with STORAGE_UNREACHABLE. */
  readonly commandTimeoutMs?: number;
}

/**
 * The scale-out online store on Redis (`redis://host:port/<db>[?prefix=…]`, the workspace's `kvUri`). Each entity of
 * a view version is one hash `<prefix>loom:fs:<table>:<entity key>` with a field per feature (JSON text) and `__ts`,
 * `__cr` (event and created ms). A read of N entities is one pipeline of N HMGETs (one round trip per view); a write
 * batch is one pipeline of Lua compare-and-set calls.
 *
 * Failure behaviour: commands are never queued while disconnected (`enableOfflineQueue: false`) and each has a reply
 * timeout, so a read against a dead or stalled Redis fails within `commandTimeoutMs` with
 * LOOM_ERR_STORAGE_UNREACHABLE instead of hanging. There is no silent fallback: a caller that wants one (serving's
 * default values) catches that code.
 */
export class RedisOnlineStore implements OnlineStore {
  readonly backend = 'redis';
  readonly name: string;
  readonly #client: CasClient;
  readonly #prefix: string;
  #closed = false;

  private constructor(client: CasClient, name: string, prefix: string) {
    this.#client = client;
    this.name = name;
    this.#prefix = `${prefix}loom:fs:`;
  }

  /**
   * Connects and checks the server answers (PING).
   * @throws LOOM_ERR_CONFIG_INVALID, LOOM_ERR_STORAGE_UNREACHABLE, LOOM_ERR_STORAGE_DRIVER_MISSING
   */
  static async open(uri: string, options: RedisOnlineStoreOptions = {}): Promise<RedisOnlineStore> {
    const { target, prefix } = parseRedisUri(uri);
    const RedisClient = await loadRedisClient('online store');
    const redisOptions: RedisOptions = {
      ...redisTargetOptions(target),
      lazyConnect: true,
      connectTimeout: ONLINE_REDIS_CONNECT_TIMEOUT_MS,
      commandTimeout: options.commandTimeoutMs ?? ONLINE_REDIS_COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      enableReadyCheck: false,
      retryStrategy: (times: number) => (times <= 20 ? Math.min(times * 100, 1000) : null),
    };
    const client = new RedisClient(redisOptions) as CasClient;
    let lastError: unknown;
    client.on('error', (err: unknown) => {
      lastError = err;
    });
    client.defineCommand('loomOnlineCas', { numberOfKeys: 1, lua: CAS_SCRIPT });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect().then(() => client.ping()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${ONLINE_REDIS_CONNECT_TIMEOUT_MS} ms`)), ONLINE_REDIS_CONNECT_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      client.disconnect();
      throw unreachable(target.safeUri, lastError ?? err);
    } finally {
      clearTimeout(timer);
    }
    return new RedisOnlineStore(client, target.safeUri, prefix);
  }

  async write(table: string, rows: readonly OnlineWrite[]): Promise<number> {
    this.#checkOpen();
    if (rows.length === 0) return 0;
    const pipeline = this.#client.pipeline() as CasPipeline;
    for (const r of rows) {
      const args = [String(r.eventTs), r.createdTs === null ? '' : String(r.createdTs)];
      for (const [field, value] of Object.entries(r.values)) args.push(field, value);
      pipeline.loomOnlineCas(this.#key(table, r.entityKey), ...args);
    }
    const results = await this.#exec(pipeline);
    return results.reduce<number>((sum, v) => sum + Number(v), 0);
  }

  async read(table: string, entityKeys: readonly string[], fields: readonly string[]): Promise<(OnlineRecord | null)[]> {
    this.#checkOpen();
    if (entityKeys.length === 0) return [];
    let replies: (string | null)[][];
    if (entityKeys.length === 1) {
      // One entity: a plain HMGET skips the pipeline's bookkeeping.
      replies = [await this.#guard(() => this.#client.hmget(this.#key(table, entityKeys[0]), '__ts', '__cr', ...fields))];
    } else {
      const pipeline = this.#client.pipeline();
      for (const key of entityKeys) pipeline.hmget(this.#key(table, key), '__ts', '__cr', ...fields);
      replies = (await this.#exec(pipeline)) as (string | null)[][];
    }
    return replies.map((reply) => {
      if (reply[0] === null) return null;
      const values: Record<string, string> = {};
      for (let i = 0; i < fields.length; i++) {
        const v = reply[i + 2];
        if (v !== null) values[fields[i]] = v;
      }
      return { eventTs: Number(reply[0]), createdTs: reply[1] === null || reply[1] === '' ? null : Number(reply[1]), values };
    });
  }

  async clear(table: string): Promise<number> {
    this.#checkOpen();
    const match = `${this.#prefix}${table}:*`.replace(/[?[\]\\^-]/g, (ch) => `\\${ch}`);
    let cursor = '0';
    let removed = 0;
    do {
      const [next, keys] = await this.#guard(() => this.#client.scan(cursor, 'MATCH', match, 'COUNT', 1000));
      if (keys.length > 0) removed += await this.#guard(() => this.#client.unlink(...keys));
      cursor = next;
    } while (cursor !== '0');
    return removed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }

  #key(table: string, entityKey: string): string {
    return `${this.#prefix}${table}:${entityKey}`;
  }

  async #exec(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
    const results = await this.#guard(() => pipeline.exec());
    if (results === null) throw unreachable(this.name, new Error('the pipeline was aborted'));
    const failed = results.find(([err]) => err !== null);
    if (failed !== undefined) throw this.#coded(failed[0]);
    return results.map(([, value]) => value);
  }

  async #guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw this.#coded(err);
    }
  }

  #coded(err: unknown): LoomError {
    if (err instanceof LoomError) return err;
    if (err instanceof Error && err.name === 'ReplyError') {
      return new LoomError('STORAGE_BACKEND_ERROR', { kind: 'Redis online store', uri: this.name, problem: err.message }, { cause: err, details: { field: 'kvUri' } });
    }
    return unreachable(this.name, err);
  }

  #checkOpen(): void {
    if (this.#closed) throw new LoomError('STORAGE_CLOSED', { kind: 'online store' });
  }
}

function unreachable(uri: string, err: unknown): LoomError {
  const problem = err instanceof Error ? err.message || err.name : String(err);
  return new LoomError('STORAGE_UNREACHABLE', { kind: 'Redis online store', uri, problem, env: 'LOOM_KV_URI' }, { cause: err, details: { field: 'kvUri' } });
}
