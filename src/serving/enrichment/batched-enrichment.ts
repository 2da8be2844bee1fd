import { BatchWindow } from '../batching/batch-window.js';
import { isLoomError } from '../../core/errors/index.js';
import { overload, overloaded, windowKey, type BatchingOptions } from '../batching/micro-batcher.js';
import type { ServedModel } from '../served-model.js';
import type { EnrichedRecords, FeatureEnrichment } from './feature-enrichment.js';
import { KEY_ERRORS } from './online-feature-enrichment.js';

/** An enrichment that reads several requests' entities at once. */
export type GroupedEnrichment = FeatureEnrichment & Required<Pick<FeatureEnrichment, 'enrichGroups'>>;

type EnrichOptions = { readonly partial: boolean; readonly now?: number };

interface Pending {
  readonly model: ServedModel;
  readonly entities: readonly unknown[];
  readonly options: EnrichOptions;
  readonly resolve: (records: EnrichedRecords) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Micro-batching of online feature reads: the entities of concurrent predict requests for the same model version
 * are read from the online store together (`enrichGroups`: one read per feature view, so one Redis round trip for
 * the batch instead of one per request), under the serving app's batching options (BatchWindow decides when a batch
 * is cut).
 *
 * Every request gets what it would get alone: its own records, statuses and errors, indexed within the request. A
 * request with an entity that is not an object is read alone; one that is not `partial` and has a bad key is read
 * again alone, so it fails with exactly the unbatched error (the missing-feature fallback hook may then have been
 * asked about its other entities once more). A failure of the store itself (LOOM_ERR_STORAGE_*, no feature refs)
 * fails every request in the batch, as it would have failed each alone; any other failure of the batch's read (an
 * on-demand transform that throws on one request's data, say) is answered by reading each request again, alone.
 * Freshness (TTL) is judged at the batch's read, with the latest clock of its requests.
 *
 * Rows waiting in a batch or in a read not yet answered count against `maxQueue`, per model version: a request that
 * would pass it gets 503 LOOM_ERR_SERVING_OVERLOADED (a slow store cannot pile up reads without bound).
 *
 * @example
 * const enrichment = new BatchedEnrichment(await OnlineFeatureEnrichment.open(ws), { maxBatchSize: 64 });
 */
export class BatchedEnrichment implements FeatureEnrichment {
  readonly #inner: GroupedEnrichment;
  readonly #maxBatchSize: number;
  readonly #maxWaitMs: number;
  readonly #maxQueue: number;
  readonly #windows = new Map<string, BatchWindow<Pending>>();
  /** Per window key, rows in reads not yet answered. */
  readonly #reading = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();

  /** `inner` must implement `enrichGroups`; `options` as validated by MicroBatcher (the serving app passes the same ones). */
  constructor(inner: GroupedEnrichment, options: BatchingOptions) {
    this.#inner = inner;
    this.#maxBatchSize = options.maxBatchSize ?? 1;
    this.#maxWaitMs = options.maxWaitMs ?? 0;
    this.#maxQueue = options.maxQueue ?? 10_000;
  }

  enrich(model: ServedModel, entities: readonly unknown[], options: EnrichOptions): Promise<EnrichedRecords> {
    // A request too large to share a batch, or with an entity that is not an object (it fails or is reported
    // before any read), is read alone.
    if (entities.length >= this.#maxBatchSize || !entities.every(isObject)) return this.#inner.enrich(model, entities, options);
    const key = windowKey(model);
    let window = this.#windows.get(key);
    if (window === undefined) {
      window = new BatchWindow<Pending>(this.#maxBatchSize, this.#maxWaitMs, (items, rows) => this.#start(key, items, rows));
      this.#windows.set(key, window);
    }
    if (overloaded(window.rows + (this.#reading.get(key) ?? 0), entities.length, this.#maxQueue)) return Promise.reject(overload(model, this.#maxQueue));
    return new Promise((resolve, reject) => window!.add({ model, entities, options, resolve, reject }, entities.length));
  }

  /** Starts every waiting batch's read now, and resolves once every read has answered (used on shutdown). */
  async flushAll(): Promise<void> {
    for (const window of this.#windows.values()) window.flush();
    await Promise.all([...this.#inFlight]);
  }

  /** Answers what waits, then closes the wrapped enrichment. */
  async close(): Promise<void> {
    await this.flushAll();
    return this.#inner.close();
  }

  #start(key: string, items: readonly Pending[], rows: number): void {
    this.#reading.set(key, (this.#reading.get(key) ?? 0) + rows);
    const read = this.#read(items).finally(() => {
      this.#reading.set(key, this.#reading.get(key)! - rows);
      this.#inFlight.delete(read);
    });
    this.#inFlight.add(read);
  }

  /** Reads a batch; never rejects (every request is answered or rejected itself). */
  async #read(items: readonly Pending[]): Promise<void> {
    if (items.length === 1) return this.#alone(items[0]);
    const model = items[0].model;
    const clocks = items.map((item) => item.options.now).filter((now): now is number => now !== undefined);
    let read: EnrichedRecords[];
    try {
      read = await this.#inner.enrichGroups(model, items.map((item) => item.entities), { now: clocks.length === 0 ? undefined : Math.max(...clocks) });
      if (read.length !== items.length) throw new Error(`enrichGroups answered ${read.length} groups for ${items.length}`);
    } catch (err) {
      if (isLoomError(err) && (err.code.startsWith('LOOM_ERR_STORAGE_') || err.code === 'LOOM_ERR_FEATURES_ENRICHMENT_NO_FEATURES')) {
        for (const item of items) item.reject(err);
        return;
      }
      await Promise.all(items.map((item) => this.#alone(item)));
      return;
    }
    await Promise.all(
      items.map((item, i) => {
        // A request that is not partial and has a bad key fails with the store's own error, as unbatched: it is
        // read again, alone. Other record errors (missing features) are the same either way.
        if (!item.options.partial && read[i].errors.some((e) => KEY_ERRORS.has(e.code))) return this.#alone(item);
        item.resolve(read[i]);
      }),
    );
  }

  async #alone(item: Pending): Promise<void> {
    try {
      item.resolve(await this.#inner.enrich(item.model, item.entities, item.options));
    } catch (err) {
      item.reject(err);
    }
  }
}

function isObject(e: unknown): boolean {
  return e !== null && typeof e === 'object' && !Array.isArray(e);
}
