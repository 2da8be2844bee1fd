/** How a run of items ended: written, failed (the write threw), or dropped (the queue was full). */
export type BatchOutcome =
  | { readonly status: 'written' }
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'dropped' };

/** Options of BatchedWriter. The caller checks them (each owner has its own error codes). */
export interface BatchedWriterOptions<T> {
  /** Writes one batch (at most `maxBatch` items). A throw counts the batch as failed; it is not retried. */
  readonly write: (batch: T[]) => Promise<unknown>;
  /**
   * Called once per written, failed or dropped batch with the sequence numbers [from, to) it covers. Written and
   * failed batches are reported in sequence order; a drop is reported at once (ahead of the queued items before
   * it). It must not throw.
   */
  readonly onSettled?: (from: number, to: number, outcome: BatchOutcome) => void;
  /** Longest an item waits before its batch is written, ms (not used with `groupCommit`). */
  readonly flushIntervalMs: number;
  /** Items per write. */
  readonly maxBatch: number;
  /** Items held at most; beyond it new items are dropped (and reported through `onSettled`). */
  readonly maxQueue: number;
  /**
   * Group commit (default false): a write starts as soon as the previous one finished, carrying everything queued
   * meanwhile, instead of waiting for `flushIntervalMs` or a full batch. Its timer keeps the process alive, because
   * a caller is waiting for the write.
   */
  readonly groupCommit?: boolean;
}

/**
 * A queue that writes items off the caller's path: `push` only queues; batches are written one write at a time, in
 * order, every `flushIntervalMs` or once `maxBatch` items wait (or, with `groupCommit`, as soon as the previous
 * write finished). Every pushed item, kept or dropped, gets the next sequence number, so owners can tell callers
 * when "everything up to here" is settled. Items still queued when the process dies are lost.
 *
 * Used by the prediction log and the deployment assignment writer.
 *
 * @example
 * const writer = new BatchedWriter<Row>({ write: (rows) => store.insert(rows), flushIntervalMs: 200, maxBatch: 500, maxQueue: 100_000 });
 * writer.push([row]);
 * await writer.flush(); // every row pushed so far is written (or failed and was reported)
 */
export class BatchedWriter<T> {
  readonly #options: BatchedWriterOptions<T>;
  #queue: T[] = [];
  /**
   * The sequence number of the first queued item. The queued items' numbers are consecutive: once an item is
   * dropped the queue is full, so every later push drops too until the queue is taken for writing.
   */
  #queueFrom = 0;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();
  #inFlight = false;
  #pushed = 0;

  constructor(options: BatchedWriterOptions<T>) {
    this.#options = options;
  }

  /** Items pushed so far, kept or dropped: the next item's sequence number. */
  get pushedCount(): number {
    return this.#pushed;
  }

  /** Items waiting to be written (not counting a write in flight). */
  get queuedCount(): number {
    return this.#queue.length;
  }

  /**
   * Queues items; those beyond `maxQueue` are dropped and reported at once. Returns how many were kept.
   * Never throws and never waits.
   */
  push(items: readonly T[]): number {
    const { maxQueue, maxBatch } = this.#options;
    const kept = Math.min(Math.max(0, maxQueue - this.#queue.length), items.length);
    if (this.#queue.length === 0) this.#queueFrom = this.#pushed;
    for (let i = 0; i < kept; i++) this.#queue.push(items[i]);
    this.#pushed += kept;
    if (kept < items.length) {
      const from = this.#pushed;
      this.#pushed += items.length - kept;
      this.#options.onSettled?.(from, this.#pushed, { status: 'dropped' });
    }
    if (kept === 0) return 0;
    if (this.#options.groupCommit === true) {
      if (!this.#inFlight && this.#timer === null) this.#timer = setTimeout(() => this.#kick(), 0);
    } else if (this.#queue.length >= maxBatch) this.#kick();
    else if (this.#timer === null) {
      this.#timer = setTimeout(() => this.#kick(), this.#options.flushIntervalMs);
      this.#timer.unref();
    }
    return kept;
  }

  /** Starts writing everything queued so far; resolves once it is written (or failed and was reported). Never rejects. */
  flush(): Promise<void> {
    this.#kick();
    return this.#writing;
  }

  #kick(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#queue.length === 0) return;
    const pending = this.#queue;
    const from = this.#queueFrom;
    this.#queue = [];
    this.#inFlight = true;
    this.#writing = this.#writing.then(async () => {
      const { maxBatch, write, onSettled } = this.#options;
      for (let start = 0; start < pending.length; start += maxBatch) {
        const end = Math.min(pending.length, start + maxBatch);
        let outcome: BatchOutcome;
        try {
          await write(pending.slice(start, end));
          outcome = { status: 'written' };
        } catch (error) {
          outcome = { status: 'failed', error };
        }
        onSettled?.(from + start, from + end, outcome);
      }
      this.#inFlight = false;
      // With group commit, what arrived during this write is written next, without waiting for a timer.
      if (this.#options.groupCommit === true && this.#queue.length > 0) this.#kick();
    });
  }
}
