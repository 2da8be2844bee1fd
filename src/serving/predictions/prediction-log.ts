import { createHash } from 'node:crypto';
import { BatchedWriter, type BatchOutcome } from '../../core/batched-writer.js';
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
  /**
   * When a prediction counts as acknowledged (default `async`):
   * - `async`: the response goes out at once and the event is appended later (within `flushIntervalMs`); the
   *   `loom_serving_prediction_log_durable_events` gauge is the durable high-water mark: every event recorded up to
   *   that count is in the log. A crash loses at most the events above it.
   * - `logged`: a successful response waits until its events are durable in the event log (group commit: one append
   *   carries every request that arrived while the previous append was in flight, so throughput stays high).
   *   Every 200 a client received is then in the log after `kill -9`. See `answerLogged`.
   */
  readonly ack?: PredictionLogAck;
}

/** See PredictionLogOptions.ack. */
export type PredictionLogAck = 'async' | 'logged';

/** The acknowledgement modes, for option checks and `--help`. */
export const PREDICTION_LOG_ACKS: readonly PredictionLogAck[] = ['async', 'logged'];

interface Waiter {
  readonly from: number;
  readonly to: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Writes predictions to the event log off the request path: `record` only queues; batches are appended one append at
 * a time. In `async` mode a batch goes every `flushIntervalMs` or once `maxBatch` events wait, so a slow log never
 * delays a response; events still queued when the process dies are lost (at most one interval's worth). In `logged`
 * mode a batch goes as soon as the previous append finished, and `durable(mark)` tells a response when its events are
 * in the log. `close()` flushes. Drops and failed appends are counted in ServingMetrics.
 *
 * Every recorded (or dropped) event gets a sequence number; appends finish in sequence order, so the events durable
 * so far are always a prefix, whose length is `durableCount`.
 *
 * @example
 * const log = new PredictionLog(await ws.events(), { ack: 'logged' });
 * const mark = log.mark();
 * log.record(requestId, events);
 * await log.durable(mark); // the events are in the event log now (or this threw LOOM_ERR_SERVING_LOG_UNAVAILABLE)
 */
export class PredictionLog {
  readonly stream: string;
  readonly sampleRate: number;
  readonly #metrics: ServingMetrics | null;
  readonly #maxQueue: number;
  readonly ack: PredictionLogAck;
  /** Queues and appends the events; its sequence numbers count every event recorded or dropped so far. */
  readonly #writer: BatchedWriter<PredictionEvent>;
  #lastError: unknown = null;
  /** The prefix of the sequence numbers that is settled (written, failed or dropped). */
  #settled = 0;
  /** Settled ranges [from, to) beyond the settled prefix (a drop settles before the queued events ahead of it). */
  #ahead: [number, number][] = [];
  /** Sequence ranges [from, to) that were dropped or failed (the last 1000 kept). */
  #failed: { from: number; to: number; error: unknown }[] = [];
  #waiters: Waiter[] = [];

  constructor(log: EventLog, options: PredictionLogOptions = {}, metrics: ServingMetrics | null = null) {
    this.#metrics = metrics;
    this.stream = options.stream ?? 'predictions';
    this.sampleRate = options.sampleRate ?? 1;
    const flushIntervalMs = options.flushIntervalMs ?? 200;
    const maxBatch = options.maxBatch ?? 500;
    this.#maxQueue = options.maxQueue ?? 100_000;
    this.ack = options.ack ?? 'async';
    const check = (field: string, ok: boolean, problem: string) => {
      if (!ok) throw new LoomError('SERVING_INVALID_OPTION', { field, problem }, { details: { field } });
    };
    check('sampleRate', this.sampleRate >= 0 && this.sampleRate <= 1, 'it must be between 0 and 1');
    check('flushIntervalMs', Number.isFinite(flushIntervalMs) && flushIntervalMs >= 0, 'it must be a number of milliseconds ≥ 0');
    check('maxBatch', Number.isSafeInteger(maxBatch) && maxBatch >= 1 && maxBatch <= 10_000, 'it must be a whole number from 1 to 10000');
    check('maxQueue', Number.isSafeInteger(this.#maxQueue) && this.#maxQueue >= 1, 'it must be a whole number ≥ 1');
    check('stream', /^[A-Za-z0-9_.-]{1,128}$/.test(this.stream), 'use letters, digits, "_", "." and "-" (up to 128)');
    check('ack', (PREDICTION_LOG_ACKS as readonly string[]).includes(this.ack), `it must be one of ${PREDICTION_LOG_ACKS.join(', ')}`);
    this.#writer = new BatchedWriter<PredictionEvent>({
      write: (batch) => log.append(this.stream, batch),
      onSettled: (from, to, outcome) => this.#onSettled(from, to, outcome),
      flushIntervalMs,
      maxBatch,
      maxQueue: this.#maxQueue,
      // Logged mode is a group commit: everything recorded while an append is in flight goes in the next one.
      groupCommit: this.ack === 'logged',
    });
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
    this.#writer.push(events);
  }

  /** The sequence mark now: events recorded after it have greater sequence numbers. Take it before predicting. */
  mark(): number {
    return this.#writer.pushedCount;
  }

  /** Events recorded (or dropped) so far. */
  get recordedCount(): number {
    return this.#writer.pushedCount;
  }

  /**
   * The durable high-water mark: the first this many recorded events are settled: each is in the log, or was counted
   * as dropped or failed (`loom_serving_prediction_log_events_total`). Exported as `loom_serving_prediction_log_durable_events`.
   */
  get durableCount(): number {
    return this.#settled;
  }

  /**
   * Resolves once every event recorded after `mark` (see `mark()`) up to now is durable in the log; rejects with
   * LOOM_ERR_SERVING_LOG_UNAVAILABLE when any of them was dropped or its append failed. Resolves at once when nothing
   * was recorded since `mark`.
   */
  durable(mark: number): Promise<void> {
    const to = this.#writer.pushedCount;
    if (to <= mark) return Promise.resolve();
    if (to <= this.#settled) {
      const failure = this.#failureIn(mark, to);
      return failure === null ? Promise.resolve() : Promise.reject(failure);
    }
    if (this.ack === 'async') void this.#writer.flush();
    return new Promise((resolve, reject) => this.#waiters.push({ from: mark, to, resolve, reject }));
  }

  /** The last append failure, or null. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** Writes everything queued so far; resolves when it is durable (or failed and was counted). */
  flush(): Promise<void> {
    return this.#writer.flush();
  }

  /** Flushes; the event log itself is closed by its owner. */
  close(): Promise<void> {
    return this.flush();
  }

  /** Counts a settled batch (appended, failed or dropped) and settles its sequence ranges. */
  #onSettled(from: number, to: number, outcome: BatchOutcome): void {
    const count = to - from;
    let error: LoomError | null = null;
    if (outcome.status === 'written') this.#metrics?.logged.inc({ outcome: 'written' }, count);
    else if (outcome.status === 'dropped') {
      this.#metrics?.logged.inc({ outcome: 'dropped' }, count);
      error = new LoomError('SERVING_LOG_UNAVAILABLE', { problem: `the log queue is full (${this.#maxQueue} events)` });
    } else {
      const err = outcome.error;
      this.#lastError = err;
      this.#metrics?.logged.inc({ outcome: 'failed' }, count);
      error = new LoomError('SERVING_LOG_UNAVAILABLE', { problem: err instanceof Error ? err.message.slice(0, 200) : String(err) }, { cause: err });
    }
    this.#settle(from, to, error);
  }

  /** Marks the sequence numbers [from, to) settled, as written (error null) or failed, and wakes the waiters it completes. */
  #settle(from: number, to: number, error: LoomError | null): void {
    if (error !== null) {
      this.#failed.push({ from, to, error });
      if (this.#failed.length > 1000) this.#failed.shift();
    }
    this.#ahead.push([from, to]);
    let moved = true;
    while (moved) {
      moved = false;
      for (let i = 0; i < this.#ahead.length; i++) {
        if (this.#ahead[i][0] === this.#settled) {
          this.#settled = this.#ahead[i][1];
          this.#ahead.splice(i, 1);
          moved = true;
          break;
        }
      }
    }
    this.#metrics?.durable.set(this.#settled);
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.to > this.#settled) still.push(w);
      else {
        const failure = this.#failureIn(w.from, w.to);
        if (failure === null) w.resolve();
        else w.reject(failure);
      }
    }
    this.#waiters = still;
  }

  /** The error of a failed range overlapping [from, to), or null. */
  #failureIn(from: number, to: number): unknown {
    for (let i = this.#failed.length - 1; i >= 0; i--) {
      const f = this.#failed[i];
      if (f.from < to && f.to > from) return f.error;
    }
    return null;
  }
}
