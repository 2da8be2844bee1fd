import { LoomError } from '../../core/errors/index.js';
import type { FeatureValue, OnlineStatus } from '../../features/index.js';
import type { RecordError } from '../input-columns.js';
import type { ServedModel } from '../served-model.js';

/** A record the enrichment could not complete, with the code the response reports for it. */
export interface EnrichmentError extends RecordError {
  readonly code: string;
  /** The record's coded error (a non-partial request fails with the first one). */
  readonly error: LoomError;
}

/** What enrichment made of a request's `entities`: one record per entity, in order. */
export interface EnrichedRecords {
  /** The model's input records: each entity object with the model's feature columns filled from the online store. */
  readonly records: readonly unknown[];
  /** Per record, each feature column's online status (null for an entity that could not be read at all). */
  readonly statuses: readonly (Readonly<Record<string, OnlineStatus>> | null)[];
  /** Records that cannot be scored (a missing feature the model cannot take as null, a bad entity). */
  readonly errors: readonly EnrichmentError[];
}

/** What a fallback hook is told about one feature the online store could not serve. */
export interface MissingFeature {
  readonly model: ServedModel;
  /** Position of the entity in the request. */
  readonly index: number;
  readonly entity: Readonly<Record<string, unknown>>;
  /** The model input column and the `view:feature` ref that fills it. */
  readonly column: string;
  readonly ref: string;
  readonly status: OnlineStatus;
}

/**
 * Decides what a feature the online store could not serve becomes: a value to score with, or `undefined` to keep
 * the feature missing (then a model that cannot take a null in that column gets
 * LOOM_ERR_FEATURES_ENRICHMENT_MISSING_FEATURE for that record). This is the hook a serving fallback (defaults per
 * column, a fallback model) plugs into.
 */
export type MissingFeatureFallback = (missing: MissingFeature) => FeatureValue | undefined;

/**
 * Serving-time feature enrichment: turns `entities` (join keys plus any request data) into model records by reading
 * the model's registered feature refs from the online store. `ServingAppOptions.featureStore` takes one.
 */
export interface FeatureEnrichment {
  /**
   * Builds one record per entity. With `partial`, an entity with bad keys becomes a record error; without it, the
   * request fails with the coded error.
   * @throws LOOM_ERR_FEATURES_ENRICHMENT_NO_FEATURES, LOOM_ERR_STORAGE_UNREACHABLE (within the store's timeout), the
   *   online store's key errors
   */
  enrich(model: ServedModel, entities: readonly unknown[], options: { readonly partial: boolean; readonly now?: number }): Promise<EnrichedRecords>;
  /**
   * Optional: the entities of several requests (groups) read together, in one store read, each group's result being
   * what `enrich` with `partial` gives for it alone (indexes within the group). Serving's micro-batching uses it
   * when present (BatchedEnrichment).
   */
  enrichGroups?(model: ServedModel, groups: readonly (readonly unknown[])[], options?: { readonly now?: number }): Promise<EnrichedRecords[]>;
  close(): Promise<void>;
}

/**
 * @internal The error a non-partial request with record errors fails with: the first record error's own coded error
 * when it is an enrichment error (e.g. 422 LOOM_ERR_FEATURES_ENRICHMENT_MISSING_FEATURE), else null (the caller
 * reports its own 400).
 */
export function enrichmentFailure(errors: readonly RecordError[]): LoomError | null {
  const first = errors[0] as Partial<EnrichmentError> | undefined;
  return first?.error ?? null;
}
