import { BatchWindow } from '../batching/batch-window.js';
import { windowKey, type BatchingOptions } from '../batching/micro-batcher.js';
import type { ServedModel } from '../served-model.js';
import type { EnrichedRecords, FeatureEnrichment } from './feature-enrichment.js';
import { KEY_ERRORS } from './online-feature-enrichment.js';

/** An enrichment that reads several requests' entities at once. */
export type GroupedEnrichment = FeatureEnrichment & Required<Pick<FeatureEnrichment, 'enrichGroups'>>;

type EnrichOptions = { readonly partial: boolean; readonly now?: number };

interface Pending {
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
 * asked about its other entities once more). A failure of the store itself (unreachable, no feature refs) fails
 * every request in the batch, as it would have failed each alone. Freshness (TTL) is judged at the batch's read,
 * with the first request's clock.
 *
 * @example
 * const enrichment = new BatchedEnrichment(await OnlineFeatureEnrichment.open(ws), { maxBatchSize: 64 });
 */
export class BatchedEnrichment implements FeatureEnrichment {
  readonly #inner: GroupedEnrichment;
  readonly #maxBatchSize: number;
  readonly #maxWaitMs: number;
  readonly #windows = new Map<string, BatchWindow<Pending>>();

  /** `inner` must implement `enrichGroups`; `options` as validated by MicroBatcher (the serving app passes the same ones). */
  constructor(inner: GroupedEnrichment, options: BatchingOptions) {
    this.#inner = inner;
    this.#maxBatchSize = options.maxBatchSize ?? 1;
    this.#maxWaitMs = options.maxWaitMs ?? 0;
  }

  enrich(model: ServedModel, entities: readonly unknown[], options: EnrichOptions): Promise<EnrichedRecords> {
    // A request too large to share a batch, or with an entity that is not an object (it fails or is reported
    // before any read), is read alone.
    if (entities.length >= this.#maxBatchSize || !entities.every(isObject)) return this.#inner.enrich(model, entities, options);
    const key = windowKey(model);
    let window = this.#windows.get(key);
    if (window === undefined) {
      window = new BatchWindow<Pending>(this.#maxBatchSize, this.#maxWaitMs, (items) => void this.#read(model, items));
      this.#windows.set(key, window);
    }
    return new Promise((resolve, reject) => window!.add({ entities, options, resolve, reject }, entities.length));
  }

  /** Reads every waiting batch now (used on shutdown). */
  flushAll(): void {
    for (const window of this.#windows.values()) window.flush();
  }

  /** Closes the wrapped enrichment. */
  close(): Promise<void> {
    this.flushAll();
    return this.#inner.close();
  }

  async #read(model: ServedModel, items: readonly Pending[]): Promise<void> {
    if (items.length === 1) return this.#alone(model, items[0]);
    let read: EnrichedRecords[];
    try {
      read = await this.#inner.enrichGroups(model, items.map((item) => item.entities), { now: items[0].options.now });
    } catch (err) {
      for (const item of items) item.reject(err);
      return;
    }
    await Promise.all(
      items.map((item, i) => {
        // A request that is not partial and has a bad key fails with the store's own error, as unbatched: it is
        // read again, alone. Other record errors (missing features) are the same either way.
        if (!item.options.partial && read[i].errors.some((e) => KEY_ERRORS.has(e.code))) return this.#alone(model, item);
        item.resolve(read[i]);
      }),
    );
  }

  async #alone(model: ServedModel, item: Pending): Promise<void> {
    try {
      item.resolve(await this.#inner.enrich(model, item.entities, item.options));
    } catch (err) {
      item.reject(err);
    }
  }
}

function isObject(e: unknown): boolean {
  return e !== null && typeof e === 'object' && !Array.isArray(e);
}
