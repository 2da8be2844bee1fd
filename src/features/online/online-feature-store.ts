import { LoomError } from '../../core/errors/index.js';
import type { Workspace } from '../../storage/workspace.js';
import type { FeatureConfig } from '../definitions/define-config.js';
import type { FeatureValue, OnDemandView } from '../definitions/on-demand-view.js';
import { resolveFeatureRefs, type ResolvedRefs, type ResolvedView } from '../retrieval/feature-refs.js';
import { onDemandTransform } from '../retrieval/get-historical-features.js';
import type { OnDemandViewSpec } from '../definitions/view-spec.js';
import { entityKeyOf } from './online-codec.js';
import { openOnlineStore } from './open-online-store.js';
import type { OnlineStore } from './online-store.js';
import { onDemandOnline } from './on-demand-online.js';
import { readView, viewRead, type OnlineCell, type OnlineStatus, type ViewRead } from './online-view-read.js';

export type { OnlineStatus } from './online-view-read.js';

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
  /**
   * Request data of on-demand views, one object per entity (same order). A request column is looked up here first,
   * then in the entity object itself, as offline reads it from the entity rows.
   */
  readonly requestData?: readonly Readonly<Record<string, unknown>>[];
  /** The loaded config, for on-demand transforms (code the registry does not hold); default the store's `config`. */
  readonly config?: FeatureConfig;
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
  /** The loaded config (`loadFeatureConfig`), needed to serve on-demand views: their transforms are code. */
  readonly config?: FeatureConfig;
}

interface Plan {
  readonly resolved: ResolvedRefs;
  /** Per view: what to read, and where each cell goes (an output column, an on-demand input ref, or both). */
  readonly views: readonly { readonly read: ViewRead; readonly outputs: readonly (string | null)[]; readonly refs: readonly string[] }[];
  readonly onDemand: readonly { readonly resolved: ResolvedView<OnDemandViewSpec>; readonly code: OnDemandView }[];
  readonly at: number;
}

/**
 * Reads online feature values: for each entity and each requested feature the value of the entity's latest
 * materialized (or streamed) row, under the SAME rule as offline retrieval with entity_ts = the request time `now`:
 * served when `now − ttl ≤ event_ts ≤ now`, otherwise returned as null with status `OUTSIDE_TTL` (older than the TTL) or
 * `NOT_FOUND`. Feast ignores the TTL online (feast-dev/feast#6821); Loom does not.
 *
 * Window aggregates are computed at `now` from the entity's bucketed state (see windowValue: exact at bucket
 * boundaries, expired buckets dropped); they are PRESENT whenever a state exists (a count of 0 once every event has
 * left the window, as offline). On-demand features run the view's transform through computeOnDemand, the function
 * offline retrieval calls, on the request data and the online values of its inputs.
 *
 * Batched: one online-store round trip per view (Redis: one pipeline of HMGETs), whatever the number of entities, plus
 * one for a view's aggregate states when aggregates are asked for.
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
  readonly #config: FeatureConfig | undefined;
  readonly #plans = new Map<string, Plan>();

  private constructor(ws: Workspace, store: OnlineStore, ownsStore: boolean, cacheMs: number, config: FeatureConfig | undefined) {
    this.#ws = ws;
    this.#store = store;
    this.#ownsStore = ownsStore;
    this.#cacheMs = cacheMs;
    this.#config = config;
  }

  /** Opens the workspace's online store (or `options.uri`). @throws LOOM_ERR_STORAGE_UNREACHABLE */
  static async open(ws: Workspace, options: OnlineFeatureStoreOptions = {}): Promise<OnlineFeatureStore> {
    const store = options.store ?? (await openOnlineStore(options.uri ?? ws.config.kvUri));
    return new OnlineFeatureStore(ws, store, options.store === undefined, options.registryCacheMs ?? 5000, options.config);
  }

  /** The underlying store. */
  get store(): OnlineStore {
    return this.#store;
  }

  /**
   * Online values of `features` for `entities` at `now`.
   * @throws LOOM_ERR_FEATURES_UNKNOWN_FEATURE, LOOM_ERR_FEATURES_INVALID_REF, LOOM_ERR_FEATURES_ENTITY_KEY_MISSING,
   *   LOOM_ERR_FEATURES_ONLINE_INVALID_KEY, LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST, LOOM_ERR_FEATURES_ON_DEMAND_UNAVAILABLE
   *   (on-demand views without the config), LOOM_ERR_FEATURES_REQUEST_COLUMN_MISSING, LOOM_ERR_FEATURES_ON_DEMAND_FAILED,
   *   LOOM_ERR_STORAGE_UNREACHABLE (Redis down or slow: no hang)
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
    const requestData = request.requestData;
    if (requestData !== undefined && (!Array.isArray(requestData) || requestData.length !== request.entities.length)) {
      throw new LoomError('FEATURES_ONLINE_INVALID_REQUEST', { field: 'requestData', problem: 'pass one object per entity, in the same order' }, { details: { field: 'requestData' } });
    }
    const plan = await this.#plan(request.features, request.fullNames ?? false, request.config ?? this.#config);
    const n = request.entities.length;
    const columns = plan.resolved.columns;
    const rows: OnlineFeatureRow[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const row: OnlineFeatureRow = { values: {}, statuses: {}, eventTimestamps: {} };
      for (const c of columns) row.values[c.column] = null; // output keys in request order
      rows[i] = row;
    }
    const fill = (row: OnlineFeatureRow, column: string, cell: OnlineCell) => {
      row.values[column] = cell.value;
      row.statuses[column] = cell.status;
      row.eventTimestamps[column] = cell.eventTs === null ? null : new Date(cell.eventTs);
    };
    // On-demand inputs by `view:feature`, per entity (only when on-demand views are asked for).
    const inputs: Map<string, OnlineCell>[] | null = plan.onDemand.length === 0 ? null : Array.from({ length: n }, () => new Map());
    await Promise.all(
      plan.views.map(async ({ read, outputs, refs }) => {
        const entityKeys = new Array<string>(n);
        for (let i = 0; i < n; i++) entityKeys[i] = entityKeyOf(read.keys, request.entities[i], read.view.name, `entity ${i} of the request`);
        const cells = await readView(this.#store, read, entityKeys, now);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < outputs.length; j++) {
            const column = outputs[j];
            if (column !== null) fill(rows[i], column, cells[i][j]);
            if (inputs !== null) inputs[i].set(refs[j], cells[i][j]);
          }
        }
      }),
    );
    for (const od of plan.onDemand) {
      const wanted = columns.filter((c) => od.resolved.requested.includes(c));
      for (let i = 0; i < n; i++) {
        const data = requestData?.[i];
        const source = data !== undefined && data !== null && typeof data === 'object' ? { ...request.entities[i], ...data } : request.entities[i];
        const out = onDemandOnline(od.code, source, inputs![i], i);
        for (const c of wanted) fill(rows[i], c.column, out.get(c.feature.name)!);
      }
    }
    return { features: plan.resolved.columns.map((c) => c.column), refs: plan.resolved.columns.map((c) => c.ref), rows };
  }

  /** Closes the store when this object opened it. */
  async close(): Promise<void> {
    if (this.#ownsStore) await this.#store.close();
  }

  async #plan(features: readonly string[], fullNames: boolean, config: FeatureConfig | undefined): Promise<Plan> {
    const cacheKey = `${fullNames ? 1 : 0}\u0000${features.join('\u0000')}`;
    const cached = this.#plans.get(cacheKey);
    if (cached !== undefined && Date.now() - cached.at < this.#cacheMs && (cached.onDemand.length === 0 || config === this.#config)) return cached;
    const resolved = await resolveFeatureRefs(this.#ws, features, fullNames);
    // The features to read per view: the requested ones plus the inputs of requested on-demand views.
    const wanted = new Map<string, Set<string>>(resolved.featureViews.map((v) => [`${v.name}@${v.version}`, new Set(v.requested.map((r) => r.feature.name))]));
    for (const od of resolved.onDemandViews) {
      for (const input of od.spec.inputs) {
        const [name, feature] = input.split(':');
        const view = resolved.featureViews.find((v) => v.name === name)!;
        wanted.get(`${view.name}@${view.version}`)!.add(feature);
      }
    }
    const views = resolved.featureViews
      .map((view) => viewRead(view, wanted.get(`${view.name}@${view.version}`)!))
      .filter((r) => r.names.length > 0)
      .map((read) => ({
        read,
        outputs: read.names.map((name) => read.view.requested.find((r) => r.feature.name === name)?.column ?? null),
        refs: read.names.map((name) => `${read.view.name}:${name}`),
      }));
    const onDemand = resolved.onDemandViews.map((od) => ({ resolved: od, code: onDemandTransform(od, config) }));
    const plan: Plan = { resolved, views, onDemand, at: Date.now() };
    this.#plans.set(cacheKey, plan);
    return plan;
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
