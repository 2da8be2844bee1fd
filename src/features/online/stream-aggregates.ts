import type { FeatureViewSpec } from '../definitions/view-spec.js';
import type { WindowAggregation } from '../definitions/window-aggregation.js';
import type { OnlineStore, OnlineWrite } from './online-store.js';
import { aggregateTable } from './online-table.js';
import { decodeBuckets, encodeBuckets, foldEvent, pruneBuckets, type WindowBucket } from './window-state.js';

/** @internal One valid stream event as the aggregates see it: entity, time, log offset and each aggregate's input. */
export interface AggregateEvent {
  readonly entityKey: string;
  readonly ts: number;
  readonly offset: number;
  /** Aggregate name → the value it folds (a number, a text for distinct, null when missing, undefined for count(*)). */
  readonly inputs: Readonly<Record<string, number | string | null | undefined>>;
}

/**
 * @internal The value an aggregate folds from one event row, read as the offline stream staging reads it (numbers
 * from JSON numbers or numeric text; distinct values as the event's text). Returns a problem text when unusable.
 */
export function aggregateInput(a: WindowAggregation, row: Readonly<Record<string, unknown>>): { value: number | string | null | undefined } | { problem: string } {
  if (a.column === null) return { value: undefined };
  const raw = row[a.column];
  if (raw === undefined || raw === null) return { value: null };
  if (a.fn === 'distinct' || a.fn === 'count') return { value: typeof raw === 'string' ? raw : JSON.stringify(raw) };
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n)) return { problem: `"${a.column}" = ${JSON.stringify(raw)} is not a number (needed by ${a.name})` };
  return { value: n };
}

/**
 * @internal Folds a batch of one view's events into the entities' aggregate states: reads the states (one round
 * trip), folds each event whose offset is after the state's (the offset prefix the state already covers, kept in
 * the record's created slot), prunes expired buckets and writes the states back with compare-and-set on
 * `(newest event time, offset)`. Every state covers a prefix of the stream, so of two racing writers (this updater
 * and a batch materialization) the one covering more of the stream wins, and nothing is counted twice.
 * `lastOffset` is the offset of the batch's last event (valid or not): the prefix the written states cover.
 * Returns how many states were written.
 */
export async function foldStreamAggregates(store: OnlineStore, spec: FeatureViewSpec, version: string, events: readonly AggregateEvent[], lastOffset: number): Promise<number> {
  if (events.length === 0) return 0;
  const byEntity = new Map<string, AggregateEvent[]>();
  for (const e of events) {
    const list = byEntity.get(e.entityKey);
    if (list === undefined) byEntity.set(e.entityKey, [e]);
    else list.push(e);
  }
  const keys = [...byEntity.keys()];
  const table = aggregateTable(spec.name, version);
  const records = await store.read(table, keys, spec.aggregations.map((a) => a.name));
  const writes: OnlineWrite[] = [];
  keys.forEach((key, i) => {
    const record = records[i];
    const covered = record?.createdTs ?? -1;
    const fresh = byEntity.get(key)!.filter((e) => e.offset > covered);
    if (fresh.length === 0) return;
    let newest = record?.eventTs ?? Number.NEGATIVE_INFINITY;
    const states = new Map<string, WindowBucket[]>(spec.aggregations.map((a) => [a.name, decodeBuckets(a, record?.values[a.name])]));
    for (const e of fresh) {
      newest = Math.max(newest, e.ts);
      for (const a of spec.aggregations) foldEvent(a, states.get(a.name)!, e.ts, e.inputs[a.name]);
    }
    const values: Record<string, string> = {};
    for (const a of spec.aggregations) values[a.name] = encodeBuckets(a, pruneBuckets(a, states.get(a.name)!, newest));
    writes.push({ entityKey: key, eventTs: newest, createdTs: lastOffset, values });
  });
  return store.write(table, writes);
}
