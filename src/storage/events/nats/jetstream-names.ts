import { LoomError } from '../../../core/errors/index.js';

/** A namespace lets several workspaces share one NATS account without seeing each other's streams. */
const NAMESPACE = /^[A-Za-z0-9]{1,32}$/;

/**
 * How Loom names map to JetStream names. JetStream stream names may not contain `.` (and subjects use it as the
 * token separator), while Loom stream names may; `~` is in neither Loom's alphabet nor JetStream's forbidden set, so
 * replacing `.` by `~` is reversible and never makes two Loom names collide.
 *
 * | Loom | no namespace | `?namespace=ws1` |
 * | --- | --- | --- |
 * | stream `orders.v1` | JetStream stream `LOOM_orders~v1` | `LOOM-ws1_orders~v1` |
 * | its subject | `loom.stream.LOOM_orders~v1` | `loom.stream.LOOM-ws1_orders~v1` |
 * | consumer offsets | stream `LOOMOFFSETS`, one message per subject | `LOOMOFFSETS-ws1` |
 * | offset of `monitor` on `orders.v1` | subject `loom.offsets.LOOMOFFSETS.monitor.orders~v1` | `loom.offsets.LOOMOFFSETS-ws1.monitor.orders~v1` |
 *
 * The prefixes `LOOM_` and `LOOM-<ns>_` are disjoint because a namespace has no `_`, and the offsets streams never
 * start with either, so listing by prefix finds exactly one namespace's event streams.
 *
 * @internal Exported for the NATS backend and for tests that clean up their namespace.
 */
export class JetStreamNames {
  readonly namespace: string | undefined;
  /** Prefix of every JetStream stream that holds this namespace's events. */
  readonly streamPrefix: string;
  /** The JetStream stream that holds this namespace's consumer offsets (max one message per subject). */
  readonly offsetsStream: string;

  /** @throws LOOM_ERR_CONFIG_INVALID when the namespace is not 1–32 letters or digits. */
  constructor(namespace?: string) {
    if (namespace !== undefined && !NAMESPACE.test(namespace)) {
      throw new LoomError('CONFIG_INVALID', { field: 'eventsUri', problem: `namespace "${namespace}" must be 1–32 letters or digits` }, { details: { field: 'eventsUri' } });
    }
    this.namespace = namespace;
    this.streamPrefix = namespace === undefined ? 'LOOM_' : `LOOM-${namespace}_`;
    this.offsetsStream = namespace === undefined ? 'LOOMOFFSETS' : `LOOMOFFSETS-${namespace}`;
  }

  /** JetStream stream name for a (valid) Loom stream name. */
  stream(loomStream: string): string {
    return this.streamPrefix + loomStream.replaceAll('.', '~');
  }

  /** The single subject a Loom stream's JetStream stream captures. */
  subject(loomStream: string): string {
    return `loom.stream.${this.stream(loomStream)}`;
  }

  /** The Loom stream a JetStream stream holds, or null when it is not one of this namespace's event streams. */
  loomStream(jetStreamName: string): string | null {
    if (!jetStreamName.startsWith(this.streamPrefix)) return null;
    return jetStreamName.slice(this.streamPrefix.length).replaceAll('~', '.');
  }

  /** Wildcard subject captured by the offsets stream. */
  get offsetsSubjects(): string {
    return `loom.offsets.${this.offsetsStream}.>`;
  }

  /** Subject whose last message is the offset `consumer` committed on `loomStream`. */
  offsetSubject(consumer: string, loomStream: string): string {
    return `loom.offsets.${this.offsetsStream}.${consumer.replaceAll('.', '~')}.${loomStream.replaceAll('.', '~')}`;
  }

  /** True for every JetStream stream this namespace owns (event streams and the offsets stream). */
  owns(jetStreamName: string): boolean {
    return jetStreamName === this.offsetsStream || this.loomStream(jetStreamName) !== null;
  }
}
