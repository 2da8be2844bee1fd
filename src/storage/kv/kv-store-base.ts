import { LoomError } from '../../core/errors/index.js';
import type { KvEntry, KvScanOptions, KvSetOptions, KvStore } from './kv-store.js';

/** Longest key (and scan prefix), in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** Keys `scan` returns when no limit is given. */
export const DEFAULT_SCAN_LIMIT = 1000;
/** Largest `scan` limit, so one call cannot pull a whole large key space into memory. */
export const MAX_SCAN_LIMIT = 100_000;

/** A lone UTF-16 surrogate has no UTF-8 form, so two such keys could collide once encoded. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A checked write: `ttlMs` is undefined or an integer ≥ 1. @internal */
export interface KvWrite {
  readonly key: string;
  readonly value: string;
  readonly ttlMs: number | undefined;
}

/**
 * Shared part of every KvStore backend: key, value, TTL, delta and limit checks and the closed state live here once,
 * so a backend implements only the storage calls below and sees only valid arguments.
 *
 * @internal
 */
export abstract class KvStoreBase implements KvStore {
  abstract readonly backend: string;
  #closed = false;

  async get(key: string): Promise<string | null> {
    this.#checkOpen();
    checkKey(key);
    return (await this.readMany([key]))[0];
  }

  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    this.#checkOpen();
    checkKeys(keys);
    return keys.length === 0 ? [] : this.readMany(keys);
  }

  async set(key: string, value: string, options: KvSetOptions = {}): Promise<void> {
    this.#checkOpen();
    await this.writeMany([checkEntry({ key, value, ttlMs: options.ttlMs }, 'value', 'ttlMs')]);
  }

  async setMany(entries: readonly KvEntry[]): Promise<void> {
    this.#checkOpen();
    if (!Array.isArray(entries)) throw invalidArgument('entries', 'pass an array of { key, value, ttlMs? }');
    const writes = entries.map((entry, i) => checkEntry(entry, `entries[${i}].value`, `entries[${i}].ttlMs`));
    if (writes.length > 0) await this.writeMany(writes);
  }

  async delete(keys: readonly string[]): Promise<number> {
    this.#checkOpen();
    checkKeys(keys);
    return keys.length === 0 ? 0 : this.deleteKeys(keys);
  }

  async incrBy(key: string, delta: number): Promise<number> {
    this.#checkOpen();
    checkKey(key);
    if (!Number.isSafeInteger(delta)) throw invalidArgument('delta', `${String(delta)} is not a safe integer`);
    return this.increment(key, delta);
  }

  async scan(prefix: string, options: KvScanOptions = {}): Promise<string[]> {
    this.#checkOpen();
    if (typeof prefix !== 'string' || LONE_SURROGATE.test(prefix) || Buffer.byteLength(prefix) > MAX_KEY_BYTES) {
      throw invalidArgument('prefix', `use a string of at most ${MAX_KEY_BYTES} UTF-8 bytes`);
    }
    const limit = options.limit ?? DEFAULT_SCAN_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SCAN_LIMIT) {
      throw invalidArgument('limit', `${String(limit)} is not an integer from 1 to ${MAX_SCAN_LIMIT}`);
    }
    return this.scanPrefix(prefix, limit);
  }

  async ttlMs(key: string): Promise<number | null> {
    this.#checkOpen();
    checkKey(key);
    return this.remainingTtl(key);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.release();
  }

  /** Values for a non-empty list of valid keys, same order. */
  protected abstract readMany(keys: readonly string[]): Promise<(string | null)[]>;
  /** Writes a non-empty list of checked entries atomically, in order. */
  protected abstract writeMany(writes: readonly KvWrite[]): Promise<void>;
  /** Deletes a non-empty list of valid keys; returns how many were live. */
  protected abstract deleteKeys(keys: readonly string[]): Promise<number>;
  /** Adds a safe-integer delta; throws KV_VALUE_NOT_INTEGER (see {@link notInteger}). */
  protected abstract increment(key: string, delta: number): Promise<number>;
  /** Sorted live keys with a plain-text prefix, at most `limit`. */
  protected abstract scanPrefix(prefix: string, limit: number): Promise<string[]>;
  /** Remaining TTL in ms, Infinity without TTL, null when missing. */
  protected abstract remainingTtl(key: string): Promise<number | null>;
  /** Frees the backend's resources; called once. */
  protected abstract release(): Promise<void>;

  #checkOpen(): void {
    if (this.#closed) throw new LoomError('STORAGE_CLOSED', { kind: 'kv' });
  }
}

/** The error for incrBy on a value that is not a safe integer. @internal */
export function notInteger(key: string, cause?: unknown): LoomError {
  return new LoomError('KV_VALUE_NOT_INTEGER', { key: shorten(key) }, { cause, details: { field: 'key' } });
}

/** Compares strings by UTF-8 bytes (code points), the order `scan` promises. @internal */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function checkKey(key: string, field = 'key'): void {
  let problem: string | null = null;
  if (typeof key !== 'string') problem = `it is ${key === null ? 'null' : typeof key}, not a string`;
  else if (key.length === 0) problem = 'it is empty';
  else if (LONE_SURROGATE.test(key)) problem = 'it contains a lone UTF-16 surrogate, which has no UTF-8 form';
  else if (Buffer.byteLength(key) > MAX_KEY_BYTES) problem = `it is ${Buffer.byteLength(key)} UTF-8 bytes; the limit is ${MAX_KEY_BYTES}`;
  if (problem !== null) throw new LoomError('KV_INVALID_KEY', { key: shorten(String(key)), problem }, { details: { field } });
}

function checkKeys(keys: readonly string[]): void {
  if (!Array.isArray(keys)) throw invalidArgument('keys', 'pass an array of keys');
  for (let i = 0; i < keys.length; i++) checkKey(keys[i], `keys[${i}]`);
}

function checkEntry(entry: KvEntry, valueField: string, ttlField: string): KvWrite {
  if (typeof entry !== 'object' || entry === null) throw invalidArgument(valueField.replace(/\.value$/, ''), 'pass { key, value, ttlMs? }');
  const { key, value, ttlMs } = entry;
  checkKey(key, valueField.replace(/value$/, 'key'));
  if (typeof value !== 'string') throw invalidArgument(valueField, `it is ${value === null ? 'null' : typeof value}; values are strings, so serialize first`);
  if (ttlMs !== undefined && (!Number.isSafeInteger(ttlMs) || ttlMs < 1)) {
    throw invalidArgument(ttlField, `${String(ttlMs)} is not an integer number of milliseconds ≥ 1`);
  }
  return { key, value, ttlMs };
}

function invalidArgument(field: string, problem: string): LoomError {
  return new LoomError('KV_INVALID_ARGUMENT', { field, problem }, { details: { field } });
}

/** Keys in messages are cut to 100 characters so a 1 KiB key does not flood logs. */
function shorten(key: string): string {
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}
