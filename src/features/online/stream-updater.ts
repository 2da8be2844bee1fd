import { setTimeout as sleep } from 'node:timers/promises';
import { isLoomError, LoomError } from '../../core/errors/index.js';
import type { EventRecord } from '../../storage/events/index.js';
import type { Workspace } from '../../storage/workspace.js';
import type { FeatureType } from '../definitions/feature-types.js';
import type { FeatureViewSpec } from '../definitions/view-spec.js';
import { listFeatureViews } from '../registry/feature-registry.js';
import { advanceMark } from './materialization-marks.js';
import { encodeFeatureValue, entityKeyOf } from './online-codec.js';
import { openOnlineStore } from './open-online-store.js';
import type { OnlineStore, OnlineWrite } from './online-store.js';
import { onlineTable, viewJoinKeys } from './online-table.js';
import { aggregateInput, foldStreamAggregates, type AggregateEvent } from './stream-aggregates.js';

/** Options for runStreamUpdates. */
export interface StreamUpdateOptions {
  /** Stops the updater (it finishes the batch in hand, commits, and resolves). */
  readonly signal: AbortSignal;
  /** Stream-sourced views to follow; default all of them. */
  readonly views?: readonly string[];
  /** An open online store; default the workspace's. */
  readonly store?: OnlineStore;
  /** Wait between polls when a stream has nothing new, ms; default 200. */
  readonly pollMs?: number;
  /** Most events read and written per batch; default 1000. */
  readonly batchSize?: number;
  /** Called for each skipped event, with its LOOM_ERR_FEATURES_STREAM_EVENT_INVALID error. */
  readonly onSkip?: (error: LoomError, event: EventRecord, view: string) => void;
  /** Called after each batch is written and committed. */
  readonly onBatch?: (stats: StreamUpdateStats) => void;
  /** Replay each stream from offset 0 (the consumer position is reset first). Writes are idempotent: nothing regresses or counts twice. */
  readonly fromBeginning?: boolean;
  /** Drain what the streams hold now, then resolve, instead of following them until aborted. */
  readonly once?: boolean;
  /**
   * Event-log stream each skipped event is appended to, as `{ view, stream, offset, code, field, message, event }`
   * (a dead-letter stream to inspect or replay); default none (skips are only counted and passed to `onSkip`).
   */
  readonly deadLetterStream?: string;
}

/** Counters of a stream updater, cumulative. */
export interface StreamUpdateStats {
  /** Events read. */
  events: number;
  /** Rows that were new or newer than the stored ones. */
  written: number;
  /** Events skipped as invalid (missing join key, bad time or value). */
  skipped: number;
  /** Window-aggregate states written (new or newer). */
  aggregates: number;
}

const ZONED = /(Z|z|[+-]\d{2}(:?\d{2})?)$/;

/**
 * Follows the event-log streams that feed stream-sourced feature views and writes each event's values into the online
 * store (the view's latest version) within one poll interval of its append. Writes are compare-and-set on event time
 * (ties: created time), so racing a batch materialization, or replaying a stream, never regresses a newer value.
 * Progress is committed per view version as an event-log consumer (`features-online.<view>.<version prefix>`), so a
 * restart resumes where it stopped; the view's high-water mark advances to the newest event time written.
 *
 * An event that cannot be read (not an object, missing join key, zone-less or unparseable time, a value that does not
 * fit its type) is skipped and counted, with LOOM_ERR_FEATURES_STREAM_EVENT_INVALID passed to `onSkip` and appended to
 * `deadLetterStream` when one is given; it never stops the updater.
 *
 * Window aggregates are updated incrementally: each entity's bucketed state (in the online store, so a restart goes
 * on from it) folds the events after the stream offset the state already covers, and is written with compare-and-set
 * on (newest event time, offset); see foldStreamAggregates. The result equals what batch materialization computes
 * from the same events.
 *
 * @example
 * const stop = new AbortController();
 * const running = runStreamUpdates(ws, { signal: stop.signal });
 * // … later
 * stop.abort();
 * console.log(await running); // { events, written, skipped }
 */
export async function runStreamUpdates(ws: Workspace, options: StreamUpdateOptions): Promise<StreamUpdateStats> {
  const views = (await listFeatureViews(ws)).filter((v) => v.spec.kind === 'feature-view' && v.spec.source.kind === 'stream' && (options.views === undefined || options.views.includes(v.name)));
  for (const name of options.views ?? []) {
    if (!views.some((v) => v.name === name)) {
      throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: 'views', problem: `"${name}" is not a registered view with a stream source` }, { details: { field: 'views' } });
    }
  }
  const store = options.store ?? (await openOnlineStore(ws.config.kvUri));
  const log = await ws.events();
  const stats: StreamUpdateStats = { events: 0, written: 0, skipped: 0, aggregates: 0 };
  const batchSize = options.batchSize ?? 1000;
  const followed = views.map((v) => {
    const spec = v.spec as FeatureViewSpec;
    return { name: v.name, version: v.latestVersion, spec, table: onlineTable(v.name, v.latestVersion), consumer: streamConsumer(v.name, v.latestVersion), stream: (spec.source as { stream: string }).stream };
  });
  if (options.fromBeginning) for (const f of followed) await log.commit(f.consumer, f.stream, 0);
  try {
    while (!options.signal.aborted && followed.length > 0) {
      let idle = true;
      for (const f of followed) {
        if (options.signal.aborted) break;
        const from = await log.committed(f.consumer, f.stream);
        const events = await log.read(f.stream, from, batchSize);
        if (events.length === 0) continue;
        idle = false;
        const writes: OnlineWrite[] = [];
        const folds: AggregateEvent[] = [];
        const dead: unknown[] = [];
        let newest = Number.NEGATIVE_INFINITY;
        for (const event of events) {
          try {
            const w = eventToWrite(f.spec, event);
            if (f.spec.aggregations.length > 0) folds.push({ entityKey: w.entityKey, ts: w.eventTs, offset: event.offset, inputs: aggregateInputs(f.spec, event.data as Record<string, unknown>) });
            writes.push(w);
            newest = Math.max(newest, w.eventTs);
          } catch (err) {
            const coded = streamEventError(err, f.name, f.stream, event);
            if (coded === null) throw err;
            stats.skipped++;
            options.onSkip?.(coded, event, f.name);
            if (options.deadLetterStream !== undefined) {
              dead.push({ view: f.name, stream: f.stream, offset: event.offset, code: coded.code, field: coded.details?.field ?? null, message: coded.message, event: event.data });
            }
          }
        }
        if (dead.length > 0) await log.append(options.deadLetterStream!, dead);
        const written = f.spec.features.length === 0 ? 0 : await store.write(f.table, writes);
        stats.aggregates += await foldStreamAggregates(store, f.spec, f.version, folds, events[events.length - 1].offset);
        await log.commit(f.consumer, f.stream, events[events.length - 1].offset + 1);
        if (writes.length > 0) await advanceMark(ws, { view: f.name, version: f.version, store: store.name, highWaterMark: newest, rows: written, now: Date.now() });
        stats.events += events.length;
        stats.written += written;
        options.onBatch?.({ ...stats });
      }
      if (idle && options.once) break;
      if (idle) await sleep(options.pollMs ?? 200, undefined, { signal: options.signal }).catch(() => undefined);
    }
  } finally {
    if (options.store === undefined) await store.close();
  }
  return stats;
}

/** The event-log consumer whose committed position is the stream updater's progress on one view version. */
export function streamConsumer(view: string, version: string): string {
  return `features-online.${view}.${version.slice(0, 16)}`;
}

/** Each aggregate's input from one event; an unusable value makes the event invalid (EventProblem). */
function aggregateInputs(spec: FeatureViewSpec, row: Readonly<Record<string, unknown>>): Record<string, number | string | null | undefined> {
  const inputs: Record<string, number | string | null | undefined> = {};
  for (const a of spec.aggregations) {
    const got = aggregateInput(a, row);
    if ('problem' in got) throw invalid(got.problem, a.column ?? a.name);
    inputs[a.name] = got.value;
  }
  return inputs;
}

/** @internal One event as an online row of `spec`, read as the offline stream staging reads it. */
export function eventToWrite(spec: FeatureViewSpec, event: EventRecord): OnlineWrite {
  const data = event.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw invalid('the event is not a JSON object', spec.timestamp);
  const row: Record<string, unknown> = { ...(data as Record<string, unknown>), _offset: event.offset, _logged_at: new Date(event.timestamp).toISOString() };
  const entityKey = entityKeyOf(viewJoinKeys(spec), row, spec.name, 'a stream event');
  const eventTs = parseTime(row[spec.timestamp], spec.timestamp);
  if (eventTs === null) throw invalid(`its time "${spec.timestamp}" is missing`, spec.timestamp);
  const createdTs = spec.createdTimestamp === null ? null : parseTime(row[spec.createdTimestamp], spec.createdTimestamp);
  const values: Record<string, string> = {};
  for (const f of spec.features) values[f.name] = encodeFeatureValue(castValue(row[f.name], f.type, f.name), f.type);
  return { entityKey, eventTs, createdTs, values };
}

function parseTime(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(`"${field}" must be ISO-8601 text with a zone, not a ${typeof value}`, field);
  const text = value.trim();
  if (!ZONED.test(text)) throw invalid(`"${field}" = "${text}" has no zone (add Z or an offset)`, field);
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw invalid(`"${field}" = "${text}" is not a time`, field);
  return ms;
}

function castValue(value: unknown, type: FeatureType, field: string): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'float':
    case 'int': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (Number.isNaN(n)) throw invalid(`"${field}" = ${JSON.stringify(value)} is not a number`, field);
      return type === 'int' ? Math.round(n) : n;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw invalid(`"${field}" = ${JSON.stringify(value)} is not a boolean`, field);
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'timestamp':
      return parseTime(value, field);
  }
}

/** Why one event was unreadable; turned into LOOM_ERR_FEATURES_STREAM_EVENT_INVALID with the view, stream and offset. */
class EventProblem extends Error {
  constructor(
    readonly problem: string,
    readonly field: string,
  ) {
    super(problem);
  }
}

function invalid(problem: string, field: string): EventProblem {
  return new EventProblem(problem, field);
}

function streamEventError(err: unknown, view: string, stream: string, event: EventRecord): LoomError | null {
  if (err instanceof EventProblem) {
    return new LoomError('FEATURES_STREAM_EVENT_INVALID', { view, stream, offset: event.offset, problem: err.problem }, { details: { field: err.field, offset: event.offset } });
  }
  if (isLoomError(err)) {
    const field = err.details?.field ?? 'event';
    return new LoomError('FEATURES_STREAM_EVENT_INVALID', { view, stream, offset: event.offset, problem: `${err.code}: ${err.message}` }, { cause: err, details: { field, offset: event.offset } });
  }
  return null;
}
