import { isLoomError, LoomError } from '../../core/errors/index.js';
import { OnlineFeatureStore, type FeatureConfig, type OnlineFeatures, type OnlineStatus } from '../../features/index.js';
import { readFeatureRefs, type ModelFeatureRef } from '../../registry/model-feature-refs.js';
import type { Workspace } from '../../storage/workspace.js';
import type { ServedModel } from '../served-model.js';
import type { EnrichedRecords, EnrichmentError, FeatureEnrichment, MissingFeatureFallback } from './feature-enrichment.js';

/** Options of {@link OnlineFeatureEnrichment.open}. */
export interface OnlineFeatureEnrichmentOptions {
  /** The online store's URI; default the workspace's `kvUri`. */
  readonly uri?: string;
  /** The loaded feature config, for models that read on-demand features (their transforms are code). */
  readonly config?: FeatureConfig;
  /** What a feature the store could not serve becomes (see MissingFeatureFallback); default: it stays missing. */
  readonly fallback?: MissingFeatureFallback;
}

/** @internal The online store's errors that concern one entity's keys or request data. */
export const KEY_ERRORS: ReadonlySet<string> = new Set(['LOOM_ERR_FEATURES_ENTITY_KEY_MISSING', 'LOOM_ERR_FEATURES_ONLINE_INVALID_KEY', 'LOOM_ERR_FEATURES_REQUEST_COLUMN_MISSING', 'LOOM_ERR_FEATURES_ONLINE_INVALID_REQUEST']);

/**
 * Enriches predict requests from the workspace's online feature store. The model version's feature refs come from the
 * registry (the version registered with this artifact under the served name, cached: versions are immutable) and are
 * read pinned to the view versions the model was trained on, all views at once (one store round trip per view,
 * whatever the number of entities). The store is opened on first use and reopened after a failed open, so a server
 * starts while Redis is down and answers LOOM_ERR_STORAGE_UNREACHABLE (503) meanwhile, never hanging: Redis reads
 * have a 1 s reply timeout and are not queued while disconnected.
 *
 * @example
 * const featureStore = await OnlineFeatureEnrichment.open(ws, { config });
 * const app = createServingApp({ repository, featureStore });
 * // POST /v1/models/churn/predict {"entities": [{"customer_id": 7}]}
 */
export class OnlineFeatureEnrichment implements FeatureEnrichment {
  readonly #ws: Workspace;
  readonly #options: OnlineFeatureEnrichmentOptions;
  readonly #refs = new Map<string, Promise<ModelFeatureRef[]>>();
  #online: Promise<OnlineFeatureStore> | null = null;
  #closed = false;

  private constructor(ws: Workspace, options: OnlineFeatureEnrichmentOptions) {
    this.#ws = ws;
    this.#options = options;
  }

  /** An enrichment over the workspace's online store (opened lazily, on the first request with entities). */
  static async open(ws: Workspace, options: OnlineFeatureEnrichmentOptions = {}): Promise<OnlineFeatureEnrichment> {
    return new OnlineFeatureEnrichment(ws, options);
  }

  enrich(model: ServedModel, entities: readonly unknown[], options: { readonly partial: boolean; readonly now?: number }): Promise<EnrichedRecords> {
    return this.#enrichGroups(model, [entities], options.partial, options.now).then((groups) => groups[0]);
  }

  enrichGroups(model: ServedModel, groups: readonly (readonly unknown[])[], options: { readonly now?: number } = {}): Promise<EnrichedRecords[]> {
    return this.#enrichGroups(model, groups, true, options.now);
  }

  /** Reads the entities of every group at once; each group's records, statuses and errors are indexed within it. */
  async #enrichGroups(model: ServedModel, groups: readonly (readonly unknown[])[], partial: boolean, now: number | undefined): Promise<EnrichedRecords[]> {
    const refs = await this.#featureRefs(model);
    if (refs.length === 0) {
      throw new LoomError('FEATURES_ENRICHMENT_NO_FEATURES', { model: model.name, version: model.version, fix: 'Send `records` with every model input instead.' }, { details: { field: 'entities' } });
    }
    const online = await this.#store();
    const features = refs.map((r) => `${r.view}@${r.viewVersion}:${r.feature}`);
    const errors: EnrichmentError[][] = groups.map(() => []);
    // Every entity of every group, flattened, with its group and its index within the group.
    const objects: (Record<string, unknown> | null)[] = [];
    const where: { group: number; index: number }[] = [];
    groups.forEach((entities, group) =>
      entities.forEach((e, index) => {
        where.push({ group, index });
        if (e !== null && typeof e === 'object' && !Array.isArray(e)) return void objects.push(e as Record<string, unknown>);
        const error = new LoomError('FEATURES_ENRICHMENT_INVALID_ENTITY', { index, field: '(entity)', problem: 'it must be a JSON object of join keys' }, { details: { field: '(entity)', index } });
        if (!partial) throw error;
        errors[group].push({ index, field: '(entity)', problem: 'must be a JSON object of join keys', code: error.code, error });
        objects.push(null);
      }),
    );
    const readable = objects.map((o, i) => (o === null ? -1 : i)).filter((i) => i >= 0);
    const read = await this.#read(online, features, readable.map((i) => objects[i]!), { partial, now }, (k, err) => {
      const { group, index } = where[readable[k]];
      errors[group].push({ index, field: String(err.details?.field ?? '(entity)'), problem: err.message, code: err.code, error: err });
    });
    const records: unknown[][] = groups.map((entities) => entities.map(() => null));
    const statuses: (Record<string, OnlineStatus> | null)[][] = groups.map((entities) => entities.map(() => null));
    const nullable = new Map(model.signature.columns.map((c) => [c.name, c.nullable || model.flavor === 'gbdt']));
    read.forEach((row, k) => {
      if (row === null) return;
      const { group, index } = where[readable[k]];
      const entity = objects[readable[k]]!;
      const record: Record<string, unknown> = { ...entity };
      const status: Record<string, OnlineStatus> = {};
      refs.forEach((ref, j) => {
        const name = row.features[j];
        status[ref.column] = row.statuses[name];
        // A value sent in the entity object wins: the caller's explicit input.
        if (Object.hasOwn(entity, ref.column)) return;
        let value: unknown = row.values[name];
        if (value instanceof Date) value = value.getTime();
        if (value === null && row.statuses[name] !== 'PRESENT' && this.#options.fallback !== undefined) {
          const fallback = this.#options.fallback({ model, index, entity, column: ref.column, ref: ref.ref, status: row.statuses[name] });
          if (fallback !== undefined) value = fallback instanceof Date ? fallback.getTime() : fallback;
        }
        record[ref.column] = value;
        if (value === null && nullable.get(ref.column) === false) {
          const error = new LoomError('FEATURES_ENRICHMENT_MISSING_FEATURE', { index, ref: ref.ref, status: row.statuses[name], column: ref.column, model: model.name }, { details: { field: ref.column, index, status: row.statuses[name] } });
          errors[group].push({ index, field: ref.column, problem: `is ${row.statuses[name]} online (${ref.ref}) and the model cannot take a null here`, code: error.code, error });
        }
      });
      records[group][index] = record;
      statuses[group][index] = status;
    });
    return groups.map((_, group) => ({ records: records[group], statuses: statuses[group], errors: errors[group].sort((a, b) => a.index - b.index) }));
  }

  async close(): Promise<void> {
    this.#closed = true;
    const online = this.#online;
    this.#online = null;
    if (online !== null) await (await online.catch(() => null))?.close();
  }

  /** Reads all entities at once; with `partial`, an entity whose keys or request data are bad is read alone and reported. */
  async #read(
    online: OnlineFeatureStore,
    features: readonly string[],
    entities: readonly Record<string, unknown>[],
    options: { readonly partial: boolean; readonly now?: number },
    reject: (k: number, err: LoomError) => void,
  ): Promise<({ features: readonly string[]; values: Record<string, unknown>; statuses: Record<string, OnlineStatus> } | null)[]> {
    const shape = (res: OnlineFeatures, i: number) => ({ features: res.features, values: res.rows[i].values, statuses: res.rows[i].statuses });
    if (entities.length === 0) return [];
    try {
      const res = await online.get({ entities, features, now: options.now });
      return entities.map((_, i) => shape(res, i));
    } catch (err) {
      if (!options.partial || !isLoomError(err) || !KEY_ERRORS.has(err.code)) throw err;
    }
    // The error path only: one read per entity, to tell the bad ones from the good.
    const out: ({ features: readonly string[]; values: Record<string, unknown>; statuses: Record<string, OnlineStatus> } | null)[] = [];
    for (const [k, entity] of entities.entries()) {
      try {
        out.push(shape(await online.get({ entities: [entity], features, now: options.now }), 0));
      } catch (err) {
        if (!isLoomError(err) || !KEY_ERRORS.has(err.code)) throw err;
        reject(k, err);
        out.push(null);
      }
    }
    return out;
  }

  #featureRefs(model: ServedModel): Promise<ModelFeatureRef[]> {
    const key = `${model.name}\u0000${model.modelHash}`;
    let refs = this.#refs.get(key);
    if (refs === undefined) {
      refs = (async () => {
        const { db } = await this.#ws.metadata();
        const row = await db.selectFrom('model_versions').select('version').where('model', '=', model.name).where('model_hash', '=', model.modelHash).executeTakeFirst();
        return row === undefined ? [] : readFeatureRefs(db, model.name, Number(row.version));
      })();
      this.#refs.set(key, refs);
      refs.catch(() => this.#refs.delete(key));
    }
    return refs;
  }

  #store(): Promise<OnlineFeatureStore> {
    if (this.#closed) return Promise.reject(new LoomError('STORAGE_CLOSED', { kind: 'online feature store' }));
    if (this.#online === null) {
      const opening = OnlineFeatureStore.open(this.#ws, { uri: this.#options.uri, config: this.#options.config });
      this.#online = opening;
      opening.catch(() => {
        if (this.#online === opening) this.#online = null;
      });
    }
    return this.#online;
  }
}
