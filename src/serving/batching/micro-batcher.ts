import { LoomError } from '../../core/errors/index.js';
import { buildInputFrame, type RawColumns } from '../input-columns.js';
import type { ServingMetrics } from '../metrics/serving-metrics.js';
import type { ServedModel } from '../served-model.js';
import { BatchWindow } from './batch-window.js';
import type { RowScorer } from './row-scorer.js';

/** Micro-batching knobs (the two every peer converges on, plus a queue bound). */
export interface BatchingOptions {
  /** Most rows one model call takes (default 1: batching off). A request larger than this is scored alone, never split. */
  readonly maxBatchSize?: number;
  /**
   * Longest a row waits for others, ms. With the default 0, a batch holds the requests read in the same event-loop
   * turn and waits for no timer (see BatchWindow).
   */
  readonly maxWaitMs?: number;
  /**
   * Rows waiting at most per model version: in a batch not yet scored, or in a batched feature read not yet answered.
   * A request that would take them past it gets 503 LOOM_ERR_SERVING_OVERLOADED; one that finds nothing waiting is
   * always taken (default 10000).
   */
  readonly maxQueue?: number;
}

/** A request's checked records as feature rows (n × RowScorer.width), waiting for a predictRows call. */
interface PendingRows {
  readonly served: ServedModel;
  readonly scorer: RowScorer;
  readonly rows: Float64Array;
  readonly n: number;
  readonly resolve: (out: Float64Array) => void;
  readonly reject: (err: unknown) => void;
}

interface Pending {
  readonly served: ServedModel;
  readonly columns: RawColumns;
  readonly rows: number;
  readonly keep: readonly number[] | null;
  readonly resolve: (out: Float64Array) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Scores checked input rows, combining concurrent requests for the same model version into one model call when
 * batching is on (`maxBatchSize` > 1): a batch is cut as soon as adding the next request would pass `maxBatchSize`,
 * or after `maxWaitMs` from its first request, or, with `maxWaitMs` 0, at the end of the event-loop turn that read
 * it (BatchWindow). Batches never exceed `maxBatchSize` (unlike reports against BentoML and Triton); results go back
 * to each request in its own row order. With batching off every request is one call.
 */
export class MicroBatcher {
  readonly maxBatchSize: number;
  readonly maxWaitMs: number;
  readonly maxQueue: number;
  readonly #metrics: ServingMetrics | null;
  readonly #windows = new Map<string, BatchWindow<Pending>>();
  readonly #rowWindows = new Map<string, BatchWindow<PendingRows>>();

  constructor(options: BatchingOptions = {}, metrics: ServingMetrics | null = null) {
    this.maxBatchSize = options.maxBatchSize ?? 1;
    this.maxWaitMs = options.maxWaitMs ?? 0;
    this.maxQueue = options.maxQueue ?? 10_000;
    this.#metrics = metrics;
    const check = (field: string, ok: boolean, problem: string) => {
      if (!ok) throw new LoomError('SERVING_INVALID_OPTION', { field, problem }, { details: { field } });
    };
    check('maxBatchSize', Number.isSafeInteger(this.maxBatchSize) && this.maxBatchSize >= 1, 'it must be a whole number ≥ 1');
    check('maxWaitMs', Number.isFinite(this.maxWaitMs) && this.maxWaitMs >= 0 && this.maxWaitMs <= 60_000, 'it must be between 0 and 60000 milliseconds');
    check('maxQueue', Number.isSafeInteger(this.maxQueue) && this.maxQueue >= 1, 'it must be a whole number ≥ 1');
  }

  /** True when requests may be combined. */
  get enabled(): boolean {
    return this.maxBatchSize > 1;
  }

  /**
   * The model's outputs (row-major rows × outputs) for rows `keep` (all when null) of checked raw columns.
   * @throws LOOM_ERR_SERVING_OVERLOADED when the model's queue is full; the model's own errors
   */
  score(served: ServedModel, columns: RawColumns, rows: number, keep: readonly number[] | null): Promise<Float64Array> {
    const n = keep === null ? rows : keep.length;
    if (!this.enabled || n >= this.maxBatchSize) return Promise.resolve(this.#call(served, [{ served, columns, rows, keep, resolve: () => {}, reject: () => {} }], n));
    return this.#enqueue(this.#windows, served, n, (items, total) => this.#flush(items, total), (resolve, reject) => ({ served, columns, rows, keep, resolve, reject }));
  }

  /**
   * Records scored through the model's RowScorer (the fast path of plain GBDT records): each is checked and turned
   * into its feature row, and the rows are walked through the trees together (predictRows), with the rows of other
   * requests for the same model version when batching is on. Each request gets exactly what `scorer.score` gives
   * its records (records × outputs, row-major); synchronously when it is scored alone. Null when any record fails
   * the signature check (the caller then takes the general path, which reports why).
   * @throws LOOM_ERR_SERVING_OVERLOADED (as a rejection) when the model's queue is full
   */
  scoreRecords(served: ServedModel, scorer: RowScorer, records: readonly unknown[]): Float64Array | Promise<Float64Array> | null {
    const n = records.length;
    if (!this.enabled && n === 1) {
      // The online common case: RowScorer's reused row and output buffers, then a copy of the outputs.
      const out = scorer.score(records[0]);
      if (out !== null) this.#metrics?.modelSeries(served).batches.observe(1);
      return out === null ? null : out.slice();
    }
    const width = scorer.width;
    const rows = new Float64Array(n * width);
    for (let i = 0; i < n; i++) if (!scorer.features(records[i], rows, i * width)) return null;
    return this.scoreRows(served, scorer, rows, n);
  }

  /**
   * Scores `n` rows already in the model's feature order (RowScorer.features, or its body decoder), back to back in
   * `rows` (exactly n × width values), which is kept until they are scored when they wait for a batch; like
   * scoreRecords otherwise.
   */
  scoreRows(served: ServedModel, scorer: RowScorer, rows: Float64Array, n: number): Float64Array | Promise<Float64Array> {
    if (!this.enabled || n >= this.maxBatchSize) {
      // One row alone: predictRow and RowScorer's reused output buffer, then a copy of the outputs.
      const out = n === 1 ? scorer.scoreRow(rows).slice() : scorer.scoreRows(rows, n);
      // Counted once scored, as scoreRecords counts a single record: a model that throws makes no batch.
      this.#metrics?.modelSeries(served).batches.observe(n);
      return out;
    }
    return this.#enqueue(this.#rowWindows, served, n, (items, total) => this.#flushRows(items, total), (resolve, reject) => ({ served, scorer, rows, n, resolve, reject }));
  }

  /** Adds a request of `n` rows to its model version's window (made on first use), or refuses it when the queue is full. */
  #enqueue<T>(windows: Map<string, BatchWindow<T>>, served: ServedModel, n: number, run: (items: T[], total: number) => void, item: (resolve: (out: Float64Array) => void, reject: (err: unknown) => void) => T): Promise<Float64Array> {
    const key = windowKey(served);
    let window = windows.get(key);
    if (window === undefined) {
      window = new BatchWindow<T>(this.maxBatchSize, this.maxWaitMs, run);
      windows.set(key, window);
    }
    if (overloaded(window.rows, n, this.maxQueue)) return Promise.reject(overload(served, this.maxQueue));
    return new Promise((resolve, reject) => window!.add(item(resolve, reject), n));
  }

  /** Scores every waiting request now (used on shutdown). */
  flushAll(): void {
    for (const window of this.#windows.values()) window.flush();
    for (const window of this.#rowWindows.values()) window.flush();
  }

  /** Scores a batch of feature rows; a failure rejects every request in it. The batch's first request names the model. */
  #flushRows(items: readonly PendingRows[], total: number): void {
    const { served, scorer } = items[0];
    let out: Float64Array;
    try {
      const width = scorer.width;
      const rows = new Float64Array(total * width);
      let offset = 0;
      for (const item of items) {
        rows.set(item.rows, offset * width);
        offset += item.n;
      }
      out = scorer.scoreRows(rows, total);
    } catch (err) {
      for (const item of items) item.reject(err);
      return;
    }
    this.#metrics?.modelSeries(served).batches.observe(total);
    const k = scorer.outputs;
    let offset = 0;
    for (const item of items) {
      item.resolve(out.subarray(offset * k, (offset + item.n) * k));
      offset += item.n;
    }
  }

  /** Scores a batch of checked columns in one model call; a failure rejects every request in it. */
  #flush(items: Pending[], rows: number): void {
    const served = items[0].served;
    let out: Float64Array;
    try {
      out = this.#call(served, items, rows);
    } catch (err) {
      for (const item of items) item.reject(err);
      return;
    }
    const k = served.outputNames.length;
    let offset = 0;
    for (const item of items) {
      const n = item.keep === null ? item.rows : item.keep.length;
      item.resolve(out.slice(offset * k, (offset + n) * k));
      offset += n;
    }
  }

  /** One model call over the requests' rows, concatenated in order. */
  #call(served: ServedModel, items: readonly Pending[], total: number): Float64Array {
    const signature = served.signature;
    let columns: RawColumns;
    let rows: number;
    let keep: readonly number[] | null;
    if (items.length === 1) {
      ({ columns, rows, keep } = items[0]);
    } else {
      const merged = new Map<string, unknown[]>();
      for (const spec of signature.columns) {
        const all: unknown[] = [];
        for (const item of items) {
          const raw = item.columns.get(spec.name)!;
          if (item.keep === null) for (let i = 0; i < item.rows; i++) all.push(raw[i]);
          else for (const i of item.keep) all.push(raw[i]);
        }
        merged.set(spec.name, all);
      }
      columns = merged;
      rows = total;
      keep = null;
    }
    this.#metrics?.modelSeries(served).batches.observe(total);
    return served.model.predict(buildInputFrame(signature, columns, rows, keep));
  }
}

/**
 * @internal The batches of a served model: one per name, version and artifact, so that a batch's metrics (and, for
 * feature reads, the registered feature refs) are those of every request in it.
 */
export function windowKey(served: ServedModel): string {
  return `${served.name}\u0000${served.version}\u0000${served.modelHash}`;
}

/** @internal True when `n` more rows would take `waiting` rows past `maxQueue` (never when nothing waits). */
export function overloaded(waiting: number, n: number, maxQueue: number): boolean {
  return waiting > 0 && waiting + n > maxQueue;
}

/** @internal The 503 of a request that found the model's queue full. */
export function overload(served: ServedModel, maxQueue: number): LoomError {
  return new LoomError('SERVING_OVERLOADED', { name: served.name, limit: maxQueue }, { details: { field: 'model' } });
}
