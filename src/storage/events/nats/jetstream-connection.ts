import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { LoomError } from '../../../core/errors/index.js';
import { redactUri } from '../../backend-registry.js';

/** How long connecting waits for the server before LOOM_ERR_STORAGE_UNREACHABLE, in ms. */
export const NATS_CONNECT_TIMEOUT_MS = 3000;
/** How long one JetStream API call or publish ack may take, in ms. */
export const NATS_REQUEST_TIMEOUT_MS = 5000;
/** A read's consumer is removed by the server after this idle time if Loom could not delete it, in ns. */
const READ_CONSUMER_IDLE_NS = 30_000_000_000;

/** One message as the event log needs it. */
export interface StoredMessage {
  /** JetStream sequence, 1-based. */
  readonly seq: number;
  /** Server store time, epoch ms UTC. */
  readonly timestamp: number;
  readonly payload: string;
}

/** A live feed of messages; `close()` ends the iteration. */
export interface MessageFeed extends AsyncIterable<StoredMessage> {
  close(): Promise<void>;
}

/**
 * The few JetStream operations the NATS event log uses. Every method throws only LoomErrors:
 * LOOM_ERR_STORAGE_UNREACHABLE for a lost connection or a timeout, LOOM_ERR_STORAGE_BACKEND_ERROR for a server error.
 *
 * @internal
 */
export interface JetStreamPort {
  /** Largest message payload the server takes, in bytes. */
  readonly maxPayload: number;
  /** Creates the stream (file storage, no limits, no deletes) unless it exists. `perSubject` caps messages per subject. */
  ensureStream(name: string, subject: string, perSubject?: number): Promise<void>;
  /** Last sequence of a stream, or null when it does not exist. */
  lastSequence(stream: string): Promise<number | null>;
  /** Every stream in the account with its last sequence. */
  listStreams(): Promise<Array<{ name: string; lastSeq: number }>>;
  /** Publishes one message and returns the sequence JetStream stored it at. */
  publish(subject: string, payload: string, stream: string): Promise<number>;
  /** Messages with sequence ≥ startSeq, at most `count`, which must all exist. */
  fetch(stream: string, startSeq: number, count: number): Promise<StoredMessage[]>;
  /** Messages with sequence ≥ startSeq, now and as they arrive. */
  follow(stream: string, startSeq: number): Promise<MessageFeed>;
  /** Payload of the last message on `subject`, or null. */
  lastOnSubject(stream: string, subject: string): Promise<string | null>;
  deleteStream(stream: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connects to NATS and checks that JetStream is enabled. `server` is `host:port`; credentials come from the URI's
 * user info (`nats://user:pass@host` or `nats://token@host`). The NATS packages are imported here, lazily, so the
 * embedded default never loads them.
 *
 * @throws LOOM_ERR_STORAGE_DRIVER_MISSING, LOOM_ERR_STORAGE_UNREACHABLE (within 3 s), LOOM_ERR_STORAGE_BACKEND_ERROR
 *   (JetStream disabled)
 * @internal
 */
export async function connectJetStream(uri: string, url: URL): Promise<JetStreamPort> {
  let transport: typeof import('@nats-io/transport-node');
  let jetstreamModule: typeof import('@nats-io/jetstream');
  try {
    transport = await import('@nats-io/transport-node');
    jetstreamModule = await import('@nats-io/jetstream');
  } catch (err) {
    throw new LoomError('STORAGE_DRIVER_MISSING', { kind: 'events', pkg: '@nats-io/transport-node @nats-io/jetstream' }, { cause: err });
  }
  const safeUri = redactUri(uri);
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  let nc: NatsConnection;
  try {
    nc = await transport.connect({
      servers: `${url.hostname}:${url.port === '' ? '4222' : url.port}`,
      timeout: NATS_CONNECT_TIMEOUT_MS,
      name: 'loom',
      ...(user !== '' && pass !== '' ? { user, pass } : user !== '' ? { token: user } : {}),
    });
  } catch (err) {
    throw unreachable(safeUri, err);
  }
  try {
    const jsm = await jetstreamModule.jetstreamManager(nc, { timeout: NATS_REQUEST_TIMEOUT_MS });
    return new NatsJetStreamPort(nc, jsm, jsm.jetstream(), jetstreamModule, safeUri);
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw toLoomError(safeUri, err);
  }
}

class NatsJetStreamPort implements JetStreamPort {
  readonly maxPayload: number;
  readonly #nc: NatsConnection;
  readonly #jsm: JetStreamManager;
  readonly #js: JetStreamClient;
  readonly #mod: typeof import('@nats-io/jetstream');
  readonly #uri: string;

  constructor(nc: NatsConnection, jsm: JetStreamManager, js: JetStreamClient, mod: typeof import('@nats-io/jetstream'), uri: string) {
    this.#nc = nc;
    this.#jsm = jsm;
    this.#js = js;
    this.#mod = mod;
    this.#uri = uri;
    this.maxPayload = nc.info?.max_payload ?? 1024 * 1024;
  }

  ensureStream(name: string, subject: string, perSubject = -1): Promise<void> {
    const { StorageType, RetentionPolicy, DiscardPolicy } = this.#mod;
    return this.#guard(async () => {
      try {
        await this.#jsm.streams.add({
          name,
          subjects: [subject],
          storage: StorageType.File,
          retention: RetentionPolicy.Limits,
          discard: DiscardPolicy.Old,
          max_msgs: -1,
          max_bytes: -1,
          max_age: 0,
          max_msgs_per_subject: perSubject,
          num_replicas: 1,
          // Dense offsets depend on no message ever being removed from an event stream.
          deny_delete: perSubject === -1,
          deny_purge: perSubject === -1,
        });
      } catch (err) {
        // 10058: the stream exists with another configuration (e.g. edited by an operator); use it as it is.
        if (!(err instanceof this.#mod.JetStreamApiError && err.code === 10058)) throw err;
      }
    });
  }

  lastSequence(stream: string): Promise<number | null> {
    return this.#guard(async () => {
      try {
        return (await this.#jsm.streams.info(stream)).state.last_seq;
      } catch (err) {
        if (this.#isStreamNotFound(err)) return null;
        throw err;
      }
    });
  }

  listStreams(): Promise<Array<{ name: string; lastSeq: number }>> {
    return this.#guard(async () => {
      const out: Array<{ name: string; lastSeq: number }> = [];
      for await (const info of this.#jsm.streams.list()) out.push({ name: info.config.name, lastSeq: info.state.last_seq });
      return out;
    });
  }

  publish(subject: string, payload: string, stream: string): Promise<number> {
    return this.#guard(async () => (await this.#js.publish(subject, payload, { expect: { streamName: stream }, timeout: NATS_REQUEST_TIMEOUT_MS })).seq);
  }

  fetch(stream: string, startSeq: number, count: number): Promise<StoredMessage[]> {
    const { AckPolicy, DeliverPolicy } = this.#mod;
    return this.#guard(async () => {
      // A short-lived consumer of our own (not an ordered one, whose server side lingers for 5 minutes).
      const info = await this.#jsm.consumers.add(stream, {
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: startSeq,
        ack_policy: AckPolicy.None,
        mem_storage: true,
        num_replicas: 1,
        inactive_threshold: READ_CONSUMER_IDLE_NS,
      });
      try {
        const messages = await this.#js.consumers.getConsumerFromInfo(info).fetch({ max_messages: count, expires: NATS_REQUEST_TIMEOUT_MS });
        const out: StoredMessage[] = [];
        for await (const msg of messages) {
          out.push(toStored(msg));
          if (out.length === count) break;
        }
        return out;
      } finally {
        await this.#jsm.consumers.delete(stream, info.name).catch(() => undefined);
      }
    });
  }

  follow(stream: string, startSeq: number): Promise<MessageFeed> {
    return this.#guard(async () => {
      const consumer = await this.#js.consumers.get(stream, { opt_start_seq: startSeq, deliver_policy: this.#mod.DeliverPolicy.StartSequence });
      const messages = await consumer.consume({ max_messages: 256 });
      const uri = this.#uri;
      return {
        async *[Symbol.asyncIterator]() {
          try {
            for await (const msg of messages) yield toStored(msg);
          } catch (err) {
            throw toLoomError(uri, err);
          }
        },
        close: async () => {
          await messages.close();
          await consumer.delete().catch(() => undefined);
        },
      };
    });
  }

  lastOnSubject(stream: string, subject: string): Promise<string | null> {
    return this.#guard(async () => {
      try {
        const msg = await this.#jsm.streams.getMessage(stream, { last_by_subj: subject });
        return msg === null ? null : msg.string();
      } catch (err) {
        if (this.#isStreamNotFound(err)) return null;
        throw err;
      }
    });
  }

  deleteStream(stream: string): Promise<boolean> {
    return this.#guard(() => this.#jsm.streams.delete(stream));
  }

  async close(): Promise<void> {
    await this.#nc.close().catch(() => undefined);
  }

  #isStreamNotFound(err: unknown): boolean {
    return err instanceof this.#mod.JetStreamApiError && err.code === this.#mod.JetStreamApiCodes.StreamNotFound;
  }

  async #guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw toLoomError(this.#uri, err);
    }
  }
}

function toStored(msg: JsMsg): StoredMessage {
  return { seq: msg.seq, timestamp: Number(msg.timestampNanos / 1_000_000n), payload: msg.string() };
}

/** Names of nats.js errors that mean the server cannot be reached (rather than that it refused). */
const UNREACHABLE_ERRORS = new Set(['ConnectionError', 'ClosedConnectionError', 'DrainingConnectionError', 'TimeoutError']);

function toLoomError(uri: string, err: unknown): LoomError {
  if (err instanceof LoomError) return err;
  const name = err instanceof Error ? err.name : '';
  const causeName = err instanceof Error && err.cause instanceof Error ? err.cause.name : '';
  if (UNREACHABLE_ERRORS.has(name) || UNREACHABLE_ERRORS.has(causeName)) return unreachable(uri, err);
  const problem = err instanceof Error ? err.message : String(err);
  return new LoomError('STORAGE_BACKEND_ERROR', { kind: 'NATS events', uri, problem }, { cause: err, details: { field: 'eventsUri' } });
}

function unreachable(uri: string, err: unknown): LoomError {
  const problem = err instanceof Error ? err.message : String(err);
  return new LoomError('STORAGE_UNREACHABLE', { kind: 'NATS events', uri, problem, env: 'LOOM_EVENTS_URI' }, { cause: err, details: { field: 'eventsUri' } });
}
