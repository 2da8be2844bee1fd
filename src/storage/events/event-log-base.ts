import { LoomError } from '../../core/errors/index.js';
import type { AppendResult, EventHandler, EventLog, EventLogCapabilities, EventRecord } from './event-log.js';

/** Stream and consumer names: what every backend can store after its documented mapping. */
const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** Largest `limit` one `read` may ask for, so a single call cannot pull a whole stream into memory. */
export const MAX_READ_LIMIT = 10_000;

/** How long close() waits for running subscriptions to wind down (their handler to return), in ms. */
const CLOSE_GRACE_MS = 2000;

/**
 * Shared part of every EventLog backend: argument checks, event serialization, the closed state and the
 * not-supported answer live here once, so a backend implements only the storage calls below and sees only valid
 * arguments.
 *
 * @internal
 */
export abstract class EventLogBase implements EventLog {
  abstract readonly backend: string;
  abstract readonly capabilities: EventLogCapabilities;
  /** Largest serialized event in UTF-8 bytes that the backend accepts. */
  protected maxEventBytes = Number.POSITIVE_INFINITY;
  readonly #closing = new AbortController();
  /** Running subscriptions; close() lets them finish their cleanup before the connection goes. */
  readonly #following = new Set<Promise<void>>();

  /** Aborts when `close()` starts; long-running calls such as `subscribe` stop on it. */
  protected get closing(): AbortSignal {
    return this.#closing.signal;
  }

  async append(stream: string, events: readonly unknown[]): Promise<AppendResult> {
    this.#checkOpen();
    checkStream(stream);
    return this.appendSerialized(stream, this.#serialize(stream, events));
  }

  async read(stream: string, fromOffset: number, limit: number): Promise<EventRecord[]> {
    this.#checkOpen();
    checkStream(stream);
    checkStartOffset(stream, fromOffset);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_READ_LIMIT) {
      throw invalidArgument('limit', `${String(limit)} is not an integer from 1 to ${MAX_READ_LIMIT}`);
    }
    return this.readFrom(stream, fromOffset, limit);
  }

  async length(stream: string): Promise<number> {
    this.#checkOpen();
    checkStream(stream);
    return this.lengthOf(stream);
  }

  async streams(): Promise<string[]> {
    this.#checkOpen();
    // Names are ASCII, so UTF-16 order is code-point order on every backend.
    return (await this.listStreams()).sort();
  }

  async commit(consumer: string, stream: string, offset: number): Promise<void> {
    this.#checkOpen();
    checkConsumer(consumer);
    checkStream(stream);
    const length = await this.lengthOf(stream);
    if (!Number.isInteger(offset) || offset < 0 || offset > length) {
      throw new LoomError('EVENTS_INVALID_OFFSET', { offset: String(offset), stream, length }, { details: { field: 'offset' } });
    }
    await this.writeCommit(consumer, stream, offset);
  }

  async committed(consumer: string, stream: string): Promise<number> {
    this.#checkOpen();
    checkConsumer(consumer);
    checkStream(stream);
    return this.readCommit(consumer, stream);
  }

  async subscribe(stream: string, fromOffset: number, onEvent: EventHandler, signal: AbortSignal): Promise<void> {
    this.#checkOpen();
    if (!this.capabilities.live) throw this.notSupported('subscribe');
    checkStream(stream);
    checkStartOffset(stream, fromOffset);
    if (typeof onEvent !== 'function') throw invalidArgument('onEvent', 'pass a function that handles one event');
    if (!(signal instanceof AbortSignal)) throw invalidArgument('signal', 'pass an AbortSignal that stops the subscription');
    if (signal.aborted) return;
    const stop = AbortSignal.any([signal, this.#closing.signal]);
    const running = this.follow(stream, fromOffset, onEvent, stop);
    this.#following.add(running);
    try {
      await running;
    } finally {
      this.#following.delete(running);
    }
  }

  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    if (this.#following.size > 0) {
      // A handler that never returns must not block shutdown forever.
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((done) => (timer = setTimeout(done, CLOSE_GRACE_MS)));
      await Promise.race([Promise.allSettled([...this.#following]), grace]);
      clearTimeout(timer);
    }
    await this.release();
  }

  /** Stores already serialized events (non-empty, each within maxEventBytes) and returns their offsets. */
  protected abstract appendSerialized(stream: string, payloads: readonly string[]): Promise<AppendResult>;
  /** Reads up to `limit` events from `fromOffset`; both already checked. */
  protected abstract readFrom(stream: string, fromOffset: number, limit: number): Promise<EventRecord[]>;
  protected abstract lengthOf(stream: string): Promise<number>;
  /** Non-empty streams in any order; the base sorts them. */
  protected abstract listStreams(): Promise<string[]>;
  /** Stores a commit whose offset is already known to be within [0, length]. */
  protected abstract writeCommit(consumer: string, stream: string, offset: number): Promise<void>;
  protected abstract readCommit(consumer: string, stream: string): Promise<number>;
  /** Frees the backend's resources; called once. */
  protected abstract release(): Promise<void>;

  /**
   * Delivers events until `stop` aborts. Only called when `capabilities.live`; the default refuses, so a backend
   * that declares `live: true` must override it.
   */
  protected follow(_stream: string, _fromOffset: number, _onEvent: EventHandler, _stop: AbortSignal): Promise<void> {
    return Promise.reject(this.notSupported('subscribe'));
  }

  /** The error for a capability this backend lacks. */
  protected notSupported(operation: string): LoomError {
    return new LoomError('STORAGE_NOT_SUPPORTED', { backend: this.backend, operation }, { details: { backend: this.backend, operation } });
  }

  #checkOpen(): void {
    if (this.#closing.signal.aborted) throw new LoomError('STORAGE_CLOSED', { kind: 'events' });
  }

  #serialize(stream: string, events: readonly unknown[]): string[] {
    if (!Array.isArray(events) || events.length === 0) {
      throw invalidArgument('events', `append to "${stream}" needs a non-empty array of JSON values`);
    }
    const payloads = new Array<string>(events.length);
    for (let i = 0; i < events.length; i++) {
      let json: string | undefined;
      try {
        json = JSON.stringify(events[i]);
      } catch (err) {
        throw invalidArgument(`events[${i}]`, `it cannot be written as JSON (${(err as Error).message})`, err);
      }
      if (json === undefined) throw invalidArgument(`events[${i}]`, 'it is undefined, a function or a symbol, which JSON cannot hold');
      if (Number.isFinite(this.maxEventBytes) && Buffer.byteLength(json) > this.maxEventBytes) {
        throw invalidArgument(`events[${i}]`, `it is ${Buffer.byteLength(json)} bytes as JSON; the ${this.backend} backend takes at most ${this.maxEventBytes}`);
      }
      payloads[i] = json;
    }
    return payloads;
  }
}

function checkStream(stream: string): void {
  if (typeof stream !== 'string' || !NAME.test(stream)) {
    throw new LoomError('EVENTS_INVALID_STREAM', { stream: String(stream).slice(0, 200) }, { details: { field: 'stream' } });
  }
}

function checkConsumer(consumer: string): void {
  if (typeof consumer !== 'string' || !NAME.test(consumer)) {
    throw new LoomError('EVENTS_INVALID_CONSUMER', { consumer: String(consumer).slice(0, 200) }, { details: { field: 'consumer' } });
  }
}

function checkStartOffset(stream: string, offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new LoomError('EVENTS_INVALID_OFFSET', { offset: String(offset), stream, length: 'no limit for reads' }, { details: { field: 'fromOffset' } });
  }
}

function invalidArgument(field: string, problem: string, cause?: unknown): LoomError {
  return new LoomError('EVENTS_INVALID_ARGUMENT', { field, problem }, { cause, details: { field } });
}
