import type { FeatureValue } from '../definitions/on-demand-view.js';
import type { FeatureField } from '../definitions/feature-view.js';
import type { FeatureViewSpec } from '../definitions/view-spec.js';
import type { WindowAggregation } from '../definitions/window-aggregation.js';
import type { ResolvedView } from '../retrieval/feature-refs.js';
import { decodeFeatureValue } from './online-codec.js';
import type { OnlineStore } from './online-store.js';
import { aggregateTable, onlineTable, viewJoinKeys } from './online-table.js';
import { decodeBuckets, windowValue } from './window-state.js';

/**
 * Why a value is or is not served: `PRESENT`; `NOT_FOUND` (no row for the entity, or only one stamped after the
 * request time; for an aggregate, no state); `OUTSIDE_TTL` (the latest row is older than the view's TTL at the request
 * time; its value is withheld).
 */
export type OnlineStatus = 'PRESENT' | 'NOT_FOUND' | 'OUTSIDE_TTL';

/**
 * One feature of one entity as read online: the value, its status and its row's event time. Latest-value features
 * are null unless PRESENT; a window aggregate always has its window's value (with no event seen: 0 for count, sum and
 * distinct, null for mean, min and max, as offline gives for an entity without history).
 */
export interface OnlineCell {
  readonly value: FeatureValue;
  readonly status: OnlineStatus;
  /** Epoch ms of the row (latest value) or of the newest event folded into the state (aggregate); null when none. */
  readonly eventTs: number | null;
}

/** @internal What to read of one view version: its latest-value features and its aggregates. */
export interface ViewRead {
  readonly view: ResolvedView<FeatureViewSpec>;
  readonly keys: ReturnType<typeof viewJoinKeys>;
  readonly latest: readonly FeatureField[];
  readonly aggregates: readonly WindowAggregation[];
  /** The cell order readView returns: the latest-value features, then the aggregates. */
  readonly names: readonly string[];
}

/** @internal The read of `names` (features and aggregates of the view) from a resolved view. */
export function viewRead(view: ResolvedView<FeatureViewSpec>, names: ReadonlySet<string>): ViewRead {
  const latest = view.spec.features.filter((f) => names.has(f.name));
  const aggregates = view.spec.aggregations.filter((a) => names.has(a.name));
  return { view, keys: viewJoinKeys(view.spec), latest, aggregates, names: [...latest.map((f) => f.name), ...aggregates.map((a) => a.name)] };
}

/**
 * @internal Reads one view for `entityKeys` at `now`: latest-value features from the view version's table (one
 * round trip) under the offline TTL rule, and aggregates from its aggregate-state table (one more round trip, only
 * when aggregates are asked for) as their value at `now`. Returns, per entity, one cell per `read.names` entry.
 */
export async function readView(store: OnlineStore, read: ViewRead, entityKeys: readonly string[], now: number): Promise<OnlineCell[][]> {
  const { view } = read;
  const out = entityKeys.map(() => new Array<OnlineCell>(read.names.length));
  const offset = read.latest.length;
  const [records, states] = await Promise.all([
    read.latest.length === 0 ? null : store.read(onlineTable(view.name, view.version), entityKeys, read.latest.map((f) => f.name)),
    read.aggregates.length === 0 ? null : store.read(aggregateTable(view.name, view.version), entityKeys, read.aggregates.map((a) => a.name)),
  ]);
  const ttl = view.spec.ttlMs;
  for (let i = 0; i < entityKeys.length; i++) {
    if (records !== null) {
      const record = records[i];
      const status: OnlineStatus = record === null || record.eventTs > now ? 'NOT_FOUND' : ttl !== null && record.eventTs < now - ttl ? 'OUTSIDE_TTL' : 'PRESENT';
      const eventTs = record === null ? null : record.eventTs;
      for (let j = 0; j < offset; j++) {
        const f = read.latest[j];
        out[i][j] = { value: status === 'PRESENT' ? decodeFeatureValue(record!.values[f.name], f.type) : null, status, eventTs };
      }
    }
    if (states !== null) {
      const state = states[i];
      read.aggregates.forEach((a, j) => {
        // No state: no event seen, so the window is empty; its value is the offline one for an entity without history.
        out[i][offset + j] = state === null ? { value: windowValue(a, [], now), status: 'NOT_FOUND', eventTs: null } : { value: windowValue(a, decodeBuckets(a, state.values[a.name]), now), status: 'PRESENT', eventTs: state.eventTs };
      });
    }
  }
  return out;
}
