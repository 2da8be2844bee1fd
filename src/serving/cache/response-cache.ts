import { createHash } from 'node:crypto';
import { LoomError } from '../../core/errors/index.js';
import { canonicalJson } from '../../core/hashing.js';

/** Largest accepted `--cache-size`. */
export const MAX_CACHE_ENTRIES = 10_000_000;

/** One cached successful predict answer: the body without its request id, and the outputs (for the prediction log). */
export interface CachedAnswer {
  readonly body: Readonly<Record<string, unknown>>;
  readonly out: Float64Array;
}

/**
 * A least-recently-used cache of successful `/v1` predict answers, keyed by a SHA-256 of (model artifact hash,
 * canonical records, explain and partial options). Only answers without any record error are stored, so an error is
 * never served from the cache; a hit gives the same body with the new request's id.
 *
 * @example
 * const cache = new ResponseCache(10_000);
 * const key = ResponseCache.key(served.modelHash, records, { explain: 0, partial: false });
 * const hit = cache.get(key) ?? null;
 */
export class ResponseCache {
  readonly maxEntries: number;
  readonly #entries = new Map<string, CachedAnswer>();

  /** @throws LOOM_ERR_SERVING_INVALID_OPTION when `maxEntries` is not a whole number from 1 to MAX_CACHE_ENTRIES */
  constructor(maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1 || maxEntries > MAX_CACHE_ENTRIES) {
      throw new LoomError('SERVING_INVALID_OPTION', { field: 'cacheSize', problem: `it must be a whole number of entries from 1 to ${MAX_CACHE_ENTRIES}` }, { details: { field: 'cacheSize' } });
    }
    this.maxEntries = maxEntries;
  }

  /** The cache key of a request: inputs are compared as canonical JSON (key order does not matter). */
  static key(modelHash: string, records: readonly unknown[], options: { readonly explain: number; readonly partial: boolean }): string {
    return createHash('sha256').update(`${modelHash}\n${options.explain}\n${options.partial}\n`).update(canonicalJson(records)).digest('hex');
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached answer, marked most recently used, or undefined. */
  get(key: string): CachedAnswer | undefined {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /** Stores an answer, evicting the least recently used one when full. */
  set(key: string, answer: CachedAnswer): void {
    this.#entries.delete(key);
    this.#entries.set(key, answer);
    if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
