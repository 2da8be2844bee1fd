import { createHash } from 'node:crypto';
import { LoomError } from '../../core/errors/index.js';
import type { EventLog } from '../../storage/events/index.js';
import type { ServingMetrics } from '../metrics/serving-metrics.js';

/** One logged prediction: one event per predicted row. */
export interface PredictionEvent {
  readonly request_id: string;
  /** Row index within the request. */
  readonly row: number;
  /** When the response was made, ISO-8601 UTC. */
  readonly timestamp: string;
  readonly model: string;
  readonly version: string;
  readonly model_hash: string;
  /** `v2` or `v1` (the protocol that served it). */
  readonly route: string;
  /** Whole-request latency, milliseconds. */
  readonly latency_ms: number;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, number>>;
}

/** Options of PredictionLog. */
export interface PredictionLogOptions {
  /** Event stream name (default `predictions`). */
  readonly stream?: string;
  /** Fraction of requests logged, 0…1 (default 1: complete). Sampling is by request id, so a request is all or nothing. */
  readonly sampleRate?: number;
  /** Longest time an event waits before its batch is written, ms (default 200). */
  readonly flushIntervalMs?: number;
  /** Events per append (default 500). */
  readonly maxBatch?: number;
  /** Events held in memory at most; beyond it new events are dropped and counted (default 100000). */
  readonly maxQueue?: number;
}

/**
 * Writes predictions to the event log off the request path: `record` only queues; batches are appended every
 * `flushIntervalMs` or once `maxBatch` events wait, one append at a time, so a slow log never delays a response.
 * What is acknowledged by the log survives a crash; events still queued when the process dies are lost (at most one
 * interval's worth), and `close()` flushes them. Drops and failed appends are counted in ServingMetrics.
 */
export class PredictionLog {
  readonly stream: string;
  readonly sampleRate: number;
  readonly #log: EventLog;
  readonly #metrics: ServingMetrics | null;
  readonly #flushIntervalMs: number;
  readonly #maxBatch: number;
  readonly #maxQueue: number;
  #queue: PredictionEvent[] = [];
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();
  #lastError: unknown = null;

  constructor(log: EventLog, options: PredictionLogOptions = {}, metrics: ServingMetrics | null = null) {
    this.#log = log;
    this.#metrics = metrics;
    this.stream = options.stream ?? 'predictions';
    this.sampleRate = options.sampleRate ?? 1;
    this.#flushIntervalMs = options.flushIntervalMs ?? 200;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#maxQueue = options.maxQueue ?? 100_000;
    const check = (field: string, ok: boolean, problem: string) => {
      if (!ok) throw new LoomError('SERVING_INVALID_OPTION', { field, problem }, { details: { field } });
    };
    check('sampleRate', this.sampleRate >= 0 && this.sampleRate <= 1, 'it must be between 0 and 1');
    check('flushIntervalMs', Number.isFinite(this.#flushIntervalMs) && this.#flushIntervalMs >= 0, 'it must be a number of milliseconds ≥ 0');
    check('maxBatch', Number.isSafeInteger(this.#maxBatch) && this.#maxBatch >= 1 && this.#maxBatch <= 10_000, 'it must be a whole number from 1 to 10000');
    check('maxQueue', Number.isSafeInteger(this.#maxQueue) && this.#maxQueue >= 1, 'it must be a whole number ≥ 1');
    check('stream', /^[A-Za-z0-9_.-]{1,128}$/.test(this.stream), 'use letters, digits, "_", "." and "-" (up to 128)');
  }

  /** True when the request's events are kept under the sample rate (a deterministic function of the request id). */
  sampled(requestId: string): boolean {
    if (this.sampleRate >= 1) return true;
    if (this.sampleRate <= 0) return false;
    const h = createHash('sha256').update(requestId).digest();
    return h.readUIntBE(0, 6) / 2 ** 48 < this.sampleRate;
  }

  /** Queues a request's events (when sampled). Never throws and never waits. */
  record(requestId: string, events: readonly PredictionEvent[]): void {
    if (events.length === 0 || !this.sampled(requestId)) return;
    const room = this.#maxQueue - this.#queue.length;
    if (room < events.length) this.#metrics?.logged.inc({ outcome: 'dropped' }, events.length - Math.max(0, room));
    for (let i = 0; i < Math.min(room, events.length); i++) this.#queue.push(events[i]);
    if (this.#queue.length >= this.#maxBatch) this.#kick();
    else if (this.#timer === null) {
      this.#timer = setTimeout(() => this.#kick(), this.#flushIntervalMs);
      this.#timer.unref();
    }
  }

  /** The last append failure, or null. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** Writes everything queued so far; resolves when it is durable (or failed and was counted). */
  flush(): Promise<void> {
    this.#kick();
    return this.#writing;
  }

  /** Flushes; the event log itself is closed by its owner. */
  close(): Promise<void> {
    return this.flush();
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
          await this.#log.append(this.stream, batch);
          this.#metrics?.logged.inc({ outcome: 'written' }, batch.length);
        } catch (err) {
          this.#lastError = err;
          this.#metrics?.logged.inc({ outcome: 'failed' }, batch.length);
        }
      }
    });
  }
}
