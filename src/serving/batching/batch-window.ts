/**
 * Collects the work of concurrent requests into batches of at most `maxRows` rows and hands each batch to `run`.
 * A batch is cut as soon as the next item would pass `maxRows` (an item is never split), when it is full, and
 * otherwise:
 * - with `maxWaitMs` > 0, that long after its first item (Triton's `max_queue_delay`, KServe's `maxLatency`);
 * - with `maxWaitMs` = 0, at the end of the event-loop turn that queued its first item (`setImmediate` runs right
 *   after the poll phase). Every request whose bytes were read in that turn has reached the window by then, so the
 *   batch holds what arrived together, and a request on an idle server waits for nothing. This is Triton's dynamic
 *   batching with no queue delay: on one JavaScript thread, what queues up while the thread is busy is the batch.
 *
 * @example
 * const window = new BatchWindow<Job>(32, 0, (jobs, rows) => scoreTogether(jobs, rows));
 * window.add(job, job.rows);
 */
export class BatchWindow<T> {
  readonly maxRows: number;
  readonly maxWaitMs: number;
  readonly #run: (items: T[], rows: number) => void;
  #items: T[] = [];
  #rows = 0;
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;

  constructor(maxRows: number, maxWaitMs: number, run: (items: T[], rows: number) => void) {
    this.maxRows = maxRows;
    this.maxWaitMs = maxWaitMs;
    this.#run = run;
  }

  /** Rows waiting in the open batch. */
  get rows(): number {
    return this.#rows;
  }

  /** Queues an item of `rows` rows; `run` may be called before this returns (the batch was full). */
  add(item: T, rows: number): void {
    if (this.#rows > 0 && this.#rows + rows > this.maxRows) this.flush();
    this.#items.push(item);
    this.#rows += rows;
    if (this.#rows >= this.maxRows) this.flush();
    else if (this.maxWaitMs > 0) this.#timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    else this.#immediate ??= setImmediate(() => this.flush());
  }

  /** Runs the open batch now, if it holds anything (also on shutdown). */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#immediate !== null) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
    const items = this.#items;
    const rows = this.#rows;
    this.#items = [];
    this.#rows = 0;
    if (items.length > 0) this.#run(items, rows);
  }
}
