import { z } from 'zod';
import { LoomError } from '../../../core/errors/index.js';
import { redactUri } from '../../backend-registry.js';
import { EventLogBase } from '../event-log-base.js';
import type { AppendResult, EventHandler, EventLogCapabilities, EventRecord } from '../event-log.js';
import { connectJetStream, type JetStreamPort, type StoredMessage } from './jetstream-connection.js';
import { JetStreamNames } from './jetstream-names.js';

/** Query parameters a `nats://` events URI may carry; anything else is rejected. */
const QUERY = z.strictObject({ namespace: z.string().optional() });

/** Publishes in flight at once during one append; bounds memory for large batches while keeping the pipe full. */
const PUBLISH_WINDOW = 256;

/** Headroom left under the server's max_payload for the publish headers, in bytes. */
const HEADER_ROOM = 512;

/**
 * The scale-out event log on NATS JetStream: `nats://[user:pass@]host:port[?namespace=ws1]`.
 *
 * Each Loom stream is one JetStream stream with file storage, no limits and `deny_delete`/`deny_purge`, so its
 * sequence numbers stay dense and offset = sequence − 1. Names map as {@link JetStreamNames} shows (`.` becomes `~`,
 * prefix `LOOM_`, or `LOOM-<namespace>_` so several workspaces can share one server). Consumer offsets live in a
 * dedicated stream (`LOOMOFFSETS[-<namespace>]`) that keeps one message per consumer and stream subject; the last
 * message is the committed offset.
 *
 * Durability: `append` resolves after JetStream acknowledged every event (the server's own fsync policy applies).
 * Events of one call are published in order on one connection, but another appender's events may interleave and a
 * failed call may leave a prefix stored (`capabilities.atomicAppend` is false). An event is at most the server's
 * `max_payload` (1 MiB by default) minus 512 bytes of JSON. Each `read` creates and deletes a short-lived consumer
 * (three round trips), so read in pages of hundreds, not one by one; `subscribe` uses one ordered consumer.
 *
 * @example
 * const log = await NatsEventLog.open('nats://127.0.0.1:4222?namespace=staging');
 * await log.append('predictions', [{ id: 'r1', score: 0.8 }]);
 */
export class NatsEventLog extends EventLogBase {
  readonly backend = 'nats';
  readonly capabilities: EventLogCapabilities = Object.freeze({ live: true, atomicAppend: false });
  readonly #port: JetStreamPort;
  readonly #names: JetStreamNames;
  /** JetStream streams this connection has created or seen, so appends skip the create call. */
  readonly #known = new Set<string>();

  private constructor(port: JetStreamPort, names: JetStreamNames) {
    super();
    this.#port = port;
    this.#names = names;
    this.maxEventBytes = port.maxPayload - HEADER_ROOM;
  }

  /**
   * Connects (3 s timeout), checks JetStream and creates the namespace's offsets stream.
   * @throws LOOM_ERR_CONFIG_INVALID (bad URI or namespace), LOOM_ERR_STORAGE_UNREACHABLE,
   *   LOOM_ERR_STORAGE_BACKEND_ERROR (JetStream disabled), LOOM_ERR_STORAGE_DRIVER_MISSING
   */
  static async open(uri: string): Promise<NatsEventLog> {
    const { url, names } = parseNatsUri(uri);
    const port = await connectJetStream(uri, url);
    try {
      await port.ensureStream(names.offsetsStream, names.offsetsSubjects, 1);
      return new NatsEventLog(port, names);
    } catch (err) {
      await port.close();
      throw err;
    }
  }

  protected async appendSerialized(stream: string, payloads: readonly string[]): Promise<AppendResult> {
    const jsName = await this.#ensure(stream);
    const subject = this.#names.subject(stream);
    const seqs: number[] = [];
    for (let start = 0; start < payloads.length; start += PUBLISH_WINDOW) {
      const window = payloads.slice(start, start + PUBLISH_WINDOW).map((payload) => this.#port.publish(subject, payload, jsName));
      seqs.push(...(await Promise.all(window)));
    }
    return { firstOffset: seqs[0] - 1, lastOffset: seqs[seqs.length - 1] - 1 };
  }

  protected async readFrom(stream: string, fromOffset: number, limit: number): Promise<EventRecord[]> {
    const jsName = this.#names.stream(stream);
    const last = await this.#port.lastSequence(jsName);
    const count = Math.min(limit, (last ?? 0) - fromOffset);
    if (count <= 0) return [];
    return (await this.#port.fetch(jsName, fromOffset + 1, count)).map(toRecord);
  }

  protected async lengthOf(stream: string): Promise<number> {
    return (await this.#port.lastSequence(this.#names.stream(stream))) ?? 0;
  }

  protected async listStreams(): Promise<string[]> {
    const out: string[] = [];
    for (const { name, lastSeq } of await this.#port.listStreams()) {
      const loom = this.#names.loomStream(name);
      if (loom !== null && lastSeq > 0) out.push(loom);
    }
    return out;
  }

  protected async writeCommit(consumer: string, stream: string, offset: number): Promise<void> {
    await this.#port.publish(this.#names.offsetSubject(consumer, stream), String(offset), this.#names.offsetsStream);
  }

  protected async readCommit(consumer: string, stream: string): Promise<number> {
    const text = await this.#port.lastOnSubject(this.#names.offsetsStream, this.#names.offsetSubject(consumer, stream));
    return text === null ? 0 : Number(text);
  }

  protected override async follow(stream: string, fromOffset: number, onEvent: EventHandler, stop: AbortSignal): Promise<void> {
    const jsName = await this.#ensure(stream);
    const feed = await this.#port.follow(jsName, fromOffset + 1);
    const end = () => void feed.close();
    stop.addEventListener('abort', end, { once: true });
    try {
      if (stop.aborted) return;
      for await (const message of feed) {
        await onEvent(toRecord(message));
        if (stop.aborted) return;
      }
    } finally {
      stop.removeEventListener('abort', end);
      await feed.close();
    }
  }

  protected async release(): Promise<void> {
    await this.#port.close();
  }

  async #ensure(stream: string): Promise<string> {
    const jsName = this.#names.stream(stream);
    if (!this.#known.has(jsName)) {
      await this.#port.ensureStream(jsName, this.#names.subject(stream));
      this.#known.add(jsName);
    }
    return jsName;
  }
}

/**
 * Splits a `nats://` events URI into its server address and namespace.
 * @throws LOOM_ERR_CONFIG_INVALID
 * @internal
 */
export function parseNatsUri(uri: string): { url: URL; names: JetStreamNames } {
  const invalid = (problem: string) =>
    new LoomError('CONFIG_INVALID', { field: 'eventsUri', problem: `${problem} in ${redactUri(uri)}` }, { details: { field: 'eventsUri' } });
  let url: URL;
  try {
    url = new URL(uri);
  } catch (err) {
    throw invalid(`not a URL (${(err as Error).message})`);
  }
  if (url.hostname === '') throw invalid('no host');
  if (url.pathname !== '' && url.pathname !== '/') throw invalid('a path is not allowed; use ?namespace=');
  const query = QUERY.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) throw invalid(`unknown query parameter (allowed: namespace)`);
  return { url, names: new JetStreamNames(query.data.namespace) };
}

function toRecord(message: StoredMessage): EventRecord {
  return { offset: message.seq - 1, timestamp: message.timestamp, data: JSON.parse(message.payload) as unknown };
}
