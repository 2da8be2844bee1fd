/**
 * One stored event. The log owns nothing after returning it: `data` is a fresh value parsed from storage.
 */
export interface EventRecord {
  /** 0-based position in its stream; offsets are dense (no gaps) and never reused. */
  readonly offset: number;
  /** When the backend stored the event, epoch milliseconds UTC (SQLite: writer's clock; NATS: server clock). */
  readonly timestamp: number;
  /** The JSON value that was appended. */
  readonly data: unknown;
}

/** What `append` returns: the offsets of the first and the last event of that call. */
export interface AppendResult {
  readonly firstOffset: number;
  readonly lastOffset: number;
}

/** Optional abilities. Call an optional method only when its flag is true; otherwise it throws STORAGE_NOT_SUPPORTED. */
export interface EventLogCapabilities {
  /** `subscribe` works: existing events, then new ones as they arrive. */
  readonly live: boolean;
  /**
   * One `append` call is all-or-nothing and its events are contiguous (`lastOffset − firstOffset + 1 === events.length`)
   * even with concurrent appenders. When false, a call's events keep their order but another appender's events may
   * land between them, and a failed call may have stored a prefix of its events.
   */
  readonly atomicAppend: boolean;
}

/** Receives one event. A returned promise is awaited before the next event is delivered (back-pressure). */
export type EventHandler = (event: EventRecord) => void | Promise<void>;

/**
 * Append-only event streams with per-consumer committed offsets. The feature store reads streaming updates from it
 * and serving writes its prediction log to it.
 *
 * Streams are named `[A-Za-z0-9_.-]{1,128}`; consumers likewise. A stream exists once something is appended to it;
 * an unknown stream reads as empty. Events are JSON values, stored as `JSON.stringify` writes them (so `NaN` becomes
 * `null` and a `Date` an ISO string).
 *
 * Backends, picked by URI scheme through `openEventLog(uri)`:
 * - `sqlite://<path>` (embedded default, also `sqlite://:memory:`): one file in WAL mode with `synchronous=FULL`, so a
 *   resolved append survives `kill -9` and power loss. Appends from several processes are serialized by the SQLite
 *   write lock (`BEGIN IMMEDIATE`, 5 s busy timeout). `subscribe` polls (see SqliteEventLog).
 * - `nats://host:port[?namespace=ns]` (scale-out): NATS JetStream, one JetStream stream per Loom stream, offset =
 *   JetStream sequence − 1. A resolved append has the server's publish ack. See NatsEventLog for the name mapping.
 *
 * @example
 * const log = await openEventLog('sqlite://:memory:');
 * const { firstOffset } = await log.append('predictions', [{ id: 1, score: 0.93 }]);
 * const [record] = await log.read('predictions', firstOffset, 10);
 * await log.commit('monitor', 'predictions', record.offset + 1);
 * await log.close();
 */
export interface EventLog {
  /** Backend name for messages, e.g. `sqlite` or `nats`. */
  readonly backend: string;
  /** What the backend can do beyond the required methods; fixed for the life of the log. */
  readonly capabilities: EventLogCapabilities;

  /**
   * Appends events in array order; they get consecutive offsets from this call's point of view. Resolves once the
   * events are durable.
   * @throws LOOM_ERR_EVENTS_INVALID_STREAM, LOOM_ERR_EVENTS_INVALID_ARGUMENT (empty array, a value with no JSON form,
   *   an event larger than the backend allows), LOOM_ERR_STORAGE_UNREACHABLE
   */
  append(stream: string, events: readonly unknown[]): Promise<AppendResult>;

  /**
   * Reads up to `limit` (1…10000) events with `offset ≥ fromOffset`, in offset order. Returns an empty array at or
   * past the end, and for an unknown stream.
   * @throws LOOM_ERR_EVENTS_INVALID_STREAM, LOOM_ERR_EVENTS_INVALID_OFFSET (not an integer ≥ 0),
   *   LOOM_ERR_EVENTS_INVALID_ARGUMENT (limit)
   */
  read(stream: string, fromOffset: number, limit: number): Promise<EventRecord[]>;

  /** Number of events in the stream, which is also the next offset; 0 for an unknown stream. */
  length(stream: string): Promise<number>;

  /** Names of the streams holding at least one event, sorted by code point. */
  streams(): Promise<string[]>;

  /**
   * Records that `consumer` has processed `stream` up to (not including) `offset`. Last write wins.
   * @throws LOOM_ERR_EVENTS_INVALID_CONSUMER, LOOM_ERR_EVENTS_INVALID_STREAM,
   *   LOOM_ERR_EVENTS_INVALID_OFFSET (not an integer in [0, length(stream)])
   */
  commit(consumer: string, stream: string, offset: number): Promise<void>;

  /** The offset last committed by `consumer` on `stream`, or 0 when none was. */
  committed(consumer: string, stream: string): Promise<number>;

  /**
   * Delivers every event with `offset ≥ fromOffset`, first the stored ones and then new ones as they are appended, in
   * offset order and one at a time, until `signal` aborts or the log is closed; then resolves. Rejects with the
   * handler's error if the handler throws (delivery stops). Needs `capabilities.live`.
   * @throws LOOM_ERR_STORAGE_NOT_SUPPORTED when the backend is not live, LOOM_ERR_EVENTS_INVALID_STREAM,
   *   LOOM_ERR_EVENTS_INVALID_OFFSET
   */
  subscribe(stream: string, fromOffset: number, onEvent: EventHandler, signal: AbortSignal): Promise<void>;

  /**
   * Ends running subscriptions (waiting up to 2 s for their handlers to return), then releases the connection or
   * file. Safe to call twice; later calls on the log throw LOOM_ERR_STORAGE_CLOSED.
   */
  close(): Promise<void>;
}
