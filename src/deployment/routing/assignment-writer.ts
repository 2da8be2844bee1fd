import { BatchedWriter, type BatchOutcome } from '../../core/batched-writer.js';
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
  readonly #writer: BatchedWriter<Assignment>;
  /** Assignments dropped (queue full) or whose write failed. */
  dropped = 0;
  written = 0;
  lastError: unknown = null;

  constructor(store: DeploymentStore, options: AssignmentWriterOptions = {}) {
    this.#writer = new BatchedWriter<Assignment>({
      write: (batch) => store.appendAssignments(batch),
      onSettled: (from, to, outcome) => this.#count(outcome, to - from),
      flushIntervalMs: options.flushIntervalMs ?? 200,
      maxBatch: options.maxBatch ?? 500,
      maxQueue: options.maxQueue ?? 100_000,
    });
  }

  /** Queues one assignment. Never throws and never waits. */
  record(assignment: Assignment): void {
    this.#writer.push([assignment]);
  }

  /** Writes everything queued so far; resolves once it is committed (or failed and was counted). */
  flush(): Promise<void> {
    return this.#writer.flush();
  }

  #count(outcome: BatchOutcome, count: number): void {
    if (outcome.status === 'written') this.written += count;
    else {
      if (outcome.status === 'failed') this.lastError = outcome.error;
      this.dropped += count;
    }
  }
}
