import { LoomError } from '../../core/errors/index.js';
import { invalidRequest, type RecordError } from '../input-columns.js';
import type { ServedModel } from '../served-model.js';
import type { ServingContext } from '../serving-context.js';
import type { EnrichedRecords, EnrichmentError } from './feature-enrichment.js';

/**
 * @internal The `entities` of a predict body: a non-empty array of at most `max` entries, sent instead of `records`.
 * @throws LOOM_ERR_SERVING_INVALID_REQUEST naming `entities`
 */
export function checkEntities(request: Readonly<Record<string, unknown>>, max: number): unknown[] {
  if (request.records !== undefined) throw invalidRequest('entities', 'send either records (full model inputs) or entities (join keys to enrich), not both');
  const entities = request.entities;
  if (!Array.isArray(entities) || entities.length === 0) throw invalidRequest('entities', 'it must be a non-empty array of objects of join keys, e.g. [{"customer_id": 7}]');
  if (entities.length > max) throw invalidRequest('entities', `it holds ${entities.length} entities; send at most ${max} per request`);
  return entities;
}

/**
 * @internal Enriches a predict request's entities with the served model's online features (ctx.featureStore).
 * @throws LOOM_ERR_FEATURES_ENRICHMENT_UNAVAILABLE (no feature store), and as FeatureEnrichment.enrich
 */
export async function enrichRecords(ctx: ServingContext, served: ServedModel, entities: readonly unknown[], partial: boolean): Promise<EnrichedRecords> {
  if (ctx.featureStore === null) {
    throw new LoomError('FEATURES_ENRICHMENT_UNAVAILABLE', { problem: 'the server was started without an online feature store' }, { details: { field: 'entities' } });
  }
  return ctx.featureStore.enrich(served, entities, { partial, now: ctx.now() });
}

/**
 * @internal The record errors of an enriched request: the enrichment's own (a bad entity, a missing feature the model
 * cannot take as null) replace the signature checker's reports of the same record and field.
 */
export function mergeEnrichmentErrors(enriched: EnrichedRecords | null, checked: readonly RecordError[]): RecordError[] {
  if (enriched === null || enriched.errors.length === 0) return [...checked];
  const wholeRecord = new Set(enriched.errors.filter((e) => e.field === '(entity)' || enriched.records[e.index] === null).map((e) => e.index));
  const fields = new Set(enriched.errors.map((e) => `${e.index}\u0000${e.field}`));
  const kept = checked.filter((e) => !wholeRecord.has(e.index) && !fields.has(`${e.index}\u0000${e.field}`));
  return [...(enriched.errors as readonly EnrichmentError[]), ...kept];
}
