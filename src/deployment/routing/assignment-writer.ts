import type { Assignment } from '../deployment.js';
import type { DeploymentStore } from '../store/deployment-store.js';

/** Options of AssignmentWriter. */
export interface AssignmentWriterOptions {
  /** Longest an assignment waits before its batch is written, ms (default 200). */
  readonly flushIntervalMs?: number;
  /** Assignments per insert batch (default 500). */
  readonly maxBatch?: number;
  /** Assignments held at most; beyond it new ones are dropped and counted (default 100000). */
  readonly maxQueue?: number;
}

/**
 * Writes request assignments to the deployment store off the request path: `record` only queues; a batch is
 * written every `flushIntervalMs` or once `maxBatch` wait, one write at a time, so a slow database never delays a
 * response. Assignments queued when the process dies are lost (at most one interval's worth): the report then
 * counts fewer units, never wrong ones. `close()` writes what is queued.
 */
export class AssignmentWriter {
  readonly #store: DeploymentStore;
  readonly #flushIntervalMs: number;
  readonly #maxBatch: number;
  readonly #maxQueue: number;
  #queue: Assignment[] = [];
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();
  /** Assignments dropped (queue full) or whose write failed. */
  dropped = 0;
  written = 0;
  lastError: unknown = null;

  constructor(store: DeploymentStore, options: AssignmentWriterOptions = {}) {
    this.#store = store;
    this.#flushIntervalMs = options.flushIntervalMs ?? 200;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#maxQueue = options.maxQueue ?? 100_000;
  }

  /** Queues one assignment. Never throws and never waits. */
  record(assignment: Assignment): void {
    if (this.#queue.length >= this.#maxQueue) {
      this.dropped++;
      return;
    }
    this.#queue.push(assignment);
    if (this.#queue.length >= this.#maxBatch) this.#kick();
    else if (this.#timer === null) {
      this.#timer = setTimeout(() => this.#kick(), this.#flushIntervalMs);
      this.#timer.unref();
    }
  }

  /** Writes everything queued so far; resolves once it is committed (or failed and was counted). */
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
    this.#queue = [];
    this.#writing = this.#writing.then(async () => {
      for (let start = 0; start < pending.length; start += this.#maxBatch) {
        const batch = pending.slice(start, start + this.#maxBatch);
        try {
          await this.#store.appendAssignments(batch);
          this.written += batch.length;
        } catch (err) {
          this.lastError = err;
          this.dropped += batch.length;
        }
      }
    });
  }
}
