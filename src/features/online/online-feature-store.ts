import { LoomError } from '../../core/errors/index.js';
import type { Workspace } from '../../storage/workspace.js';
import type { FeatureValue } from '../definitions/on-demand-view.js';
import type { FeatureViewSpec } from '../definitions/view-spec.js';
import { resolveFeatureRefs, type ResolvedFeature, type ResolvedRefs, type ResolvedView } from '../retrieval/feature-refs.js';
import { decodeFeatureValue, entityKeyOf } from './online-codec.js';
import { openOnlineStore } from './open-online-store.js';
import type { OnlineStore } from './online-store.js';
import { onlineTable, viewJoinKeys } from './online-table.js';

/**
 * Why a value is or is not served: `PRESENT`; `NOT_FOUND` (no row for the entity, or only one stamped after the
 * request time); `OUTSIDE_TTL` (the latest row is older than the view's TTL at the request time; its value is withheld).
 */
export type OnlineStatus = 'PRESENT' | 'NOT_FOUND' | 'OUTSIDE_TTL';

/** What getOnlineFeatures takes. */
export interface OnlineFeaturesRequest {
  /** One object of join-key values per entity, e.g. `[{ customer_id: 7 }, { customer_id: 8 }]`. Extra keys are ignored. */
  readonly entities: readonly Readonly<Record<string, unknown>>[];
  /** Feature refs, as offline: `view:feature`, `view@version:feature`, `view:*`. */
  readonly features: readonly string[];
  /** The request time the TTL rule is applied at (offline's entity_ts); default now. */
  readonly now?: Date | number;
  /** Name outputs `view__feature` instead of `feature`. */
  readonly fullNames?: boolean;
}

/** One entity's answer: by output name, the value (null unless PRESENT), its status and its row's event time. */
export interface OnlineFeatureRow {
  readonly values: Record<string, FeatureValue>;
  readonly statuses: Record<string, OnlineStatus>;
  readonly eventTimestamps: Record<string, Date | null>;
}

/** What getOnlineFeatures returns: output names in request order, and one row per entity in request order. */
export interface OnlineFeatures {
  readonly features: readonly string[];
  /** The `view:feature` ref of each output, same order. */
  readonly refs: readonly string[];
  readonly rows: readonly OnlineFeatureRow[];
}

/** Options for {@link OnlineFeatureStore.open}. */
export interface OnlineFeatureStoreOptions {
  /** The online store's URI; default the workspace's `kvUri`. */
  readonly uri?: string;
  /** An already open store to use (not closed by close()). */
  readonly store?: OnlineStore;
  /**
   * How long resolved refs (the registry lookup) are reused, ms; default 5000. A ref list is resolved against the
   * registry at most once per interval, so a read costs one online-store round trip per view, not registry queries.
   */
  readonly registryCacheMs?: number;
}

interface Plan {
  readonly resolved: ResolvedRefs;
  readonly views: readonly { readonly view: ResolvedView<FeatureViewSpec>; readonly table: string; readonly fields: string[]; readonly keys: ReturnType<typeof viewJoinKeys> }[];
  readonly at: number;
}

/**
 * Reads online feature values: for each entity and each requested feature the value of the entity's latest
 * materialized (or streamed) row, under the SAME rule as offline retrieval with entity_ts = the request time `now`:
 * served when `now − ttl ≤ event_ts ≤ now`, otherwise returned as null with status `OUTSIDE_TTL` (older than the TTL) or
 * `NOT_FOUND`. Feast ignores the TTL online (feast-dev/feast#6821); Loom does not.
 *
 * Batched: one online-store round trip per view (Redis: one pipeline of HMGETs), whatever the number of entities.
 *
 * @example
 * const online = await OnlineFeatureStore.open(ws);
 * const res = await online.get({ entities: [{ customer_id: 1 }], features: ['stats:spend'] });
 * console.log(res.rows[0].values.spend, res.rows[0].statuses.spend);
 * await online.close();
 */
export class OnlineFeatureStore {
  readonly #ws: Workspace;
  readonly #store: OnlineStore;
  readonly #ownsStore: boolean;
  readonly #cacheMs: number;
  readonly #plans = new Map<string, Plan>();

  private constructor(ws: Workspace, store: OnlineStore, ownsStore: boolean, cacheMs: number) {
    this.#ws = ws;
    this.#store = store;
    this.#ownsStore = ownsStore;
    this.#cacheMs = cacheMs;
  }

  /** Opens the workspace's online store (or `options.uri`). @throws LOOM_ERR_STORAGE_UNREACHABLE */
  static async open(ws: Workspace, options: OnlineFeatureStoreOptions = {}): Promise<OnlineFeatureStore> {
    const store = options.store ?? (await openOnlineStore(options.uri ?? ws.config.kvUri));
    return new OnlineFeatureStore(ws, store, options.store === undefined, options.registryCacheMs ?? 5000);
  }

  /** The underlying store. */
  get store(): OnlineStore {
    return this.#store;
  }

  /**
   * Online values of `features` for `entities` at `now`.
   * @throws LOOM_ERR_FEATURES_UNKNOWN_FEATURE, LOOM_ERR_FEATURES_INVALID_REF, LOOM_ERR_FEATURES_ENTITY_KEY_MISSING,
   *   LOOM_ERR_FEATURES_ONLINE_INVALID_KEY, LOOM_ERR_FEATURES_ONLINE_UNSUPPORTED (window aggregates, on-demand views),
   *   LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST, LOOM_ERR_STORAGE_UNREACHABLE (Redis down or slow: no hang)
   */
  async get(request: OnlineFeaturesRequest): Promise<OnlineFeatures> {
    if (request === null || typeof request !== 'object' || !Array.isArray(request.entities)) {
      throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: 'entities', problem: 'pass an array of join-key objects' }, { details: { field: 'entities' } });
    }
    if (!Array.isArray(request.features)) {
      throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: 'features', problem: 'pass an array of feature refs' }, { details: { field: 'features' } });
    }
    const now = request.now === undefined ? Date.now() : request.now instanceof Date ? request.now.getTime() : request.now;
    if (!Number.isFinite(now)) throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: 'now', problem: 'it is not a valid time' }, { details: { field: 'now' } });
    const plan = await this.#plan(request.features, request.fullNames ?? false);
    const n = request.entities.length;
    const rows: OnlineFeatureRow[] = Array.from({ length: n }, () => ({ values: {}, statuses: {}, eventTimestamps: {} }));
    await Promise.all(
      plan.views.map(async ({ view, table, fields, keys }) => {
        const entityKeys = new Array<string>(n);
        for (let i = 0; i < n; i++) entityKeys[i] = entityKeyOf(keys, request.entities[i], view.name, `entity ${i} of the request`);
        const records = await this.#store.read(table, entityKeys, fields);
        const ttl = view.spec.ttlMs;
        for (let i = 0; i < n; i++) {
          const record = records[i];
          const status: OnlineStatus = record === null || record.eventTs > now ? 'NOT_FOUND' : ttl !== null && record.eventTs < now - ttl ? 'OUTSIDE_TTL' : 'PRESENT';
          const row = rows[i];
          const ts = record === null ? null : new Date(record.eventTs);
          for (const r of view.requested) {
            row.statuses[r.column] = status;
            row.eventTimestamps[r.column] = ts;
            row.values[r.column] = status === 'PRESENT' ? decodeFeatureValue(record!.values[r.feature.name], r.feature.type) : null;
          }
        }
      }),
    );
    return { features: plan.resolved.columns.map((c) => c.column), refs: plan.resolved.columns.map((c) => c.ref), rows };
  }

  /** Closes the store when this object opened it. */
  async close(): Promise<void> {
    if (this.#ownsStore) await this.#store.close();
  }

  async #plan(features: readonly string[], fullNames: boolean): Promise<Plan> {
    const cacheKey = `${fullNames ? 1 : 0}\u0000${features.join('\u0000')}`;
    const cached = this.#plans.get(cacheKey);
    if (cached !== undefined && Date.now() - cached.at < this.#cacheMs) return cached;
    const resolved = await resolveFeatureRefs(this.#ws, features, fullNames);
    for (const od of resolved.onDemandViews) {
      throw new LoomError('FEATURES_ONLINE_UNSUPPORTED', { ref: od.requested[0]?.ref ?? od.name, problem: 'on-demand views are not served by getOnlineFeatures yet; call computeOnDemand on the online inputs' }, { details: { field: 'features' } });
    }
    const views = resolved.featureViews.map((view) => {
      for (const r of view.requested) rejectAggregate(view.spec, r);
      return { view, table: onlineTable(view.name, view.version), fields: view.requested.map((r) => r.feature.name), keys: viewJoinKeys(view.spec) };
    });
    const plan: Plan = { resolved, views, at: Date.now() };
    this.#plans.set(cacheKey, plan);
    return plan;
  }
}

function rejectAggregate(spec: FeatureViewSpec, r: ResolvedFeature): void {
  if (spec.aggregations.some((a) => a.name === r.feature.name)) {
    throw new LoomError('FEATURES_ONLINE_UNSUPPORTED', { ref: r.ref, problem: 'window aggregates are not materialized online yet; read them offline with getHistoricalFeatures' }, { details: { field: 'features', ref: r.ref } });
  }
}

/**
 * One-shot form of {@link OnlineFeatureStore.get}: opens the workspace's online store, reads, closes. For repeated
 * reads (serving), keep an OnlineFeatureStore open instead.
 *
 * @example
 * const res = await getOnlineFeatures(ws, { entities: [{ customer_id: 1 }], features: ['stats:spend'] });
 */
export async function getOnlineFeatures(ws: Workspace, request: OnlineFeaturesRequest): Promise<OnlineFeatures> {
  const online = await OnlineFeatureStore.open(ws, { registryCacheMs: 0 });
  try {
    return await online.get(request);
  } finally {
    await online.close();
  }
}
