import { z } from 'zod';
import { invalidDefinition, NAME_PATTERN, NAME_RULE, parseDefinition } from './definition-error.js';
import { durationSchema, type Duration } from './duration.js';
import type { Entity } from './entity.js';
import { featureSourceSchema, type FeatureSource } from './feature-source.js';
import { FEATURE_TYPES, type FeatureType } from './feature-types.js';
import { aggregateType, windowAggregationSchema, type WindowAggregation, type WindowAggregationInput } from './window-aggregation.js';

/** What `featureView()` takes. */
export interface FeatureViewInput {
  readonly name: string;
  /** The entities whose join keys the rows carry (one entity, or several for a composite key). */
  readonly entities: readonly Entity[];
  readonly source: FeatureSource;
  /** The event-time column: when each value became true (UTC). */
  readonly timestamp: string;
  /** Optional created-time column: when the row was written; breaks ties between rows with the same event time. */
  readonly createdTimestamp?: string;
  /** Latest-value features: source column → type. */
  readonly features?: Readonly<Record<string, FeatureType>>;
  /** Declared sliding-window aggregates over the source rows. */
  readonly aggregations?: readonly WindowAggregationInput[];
  /** How old a value may be and still be served (offline and online). Omit for no limit. */
  readonly ttl?: Duration;
  readonly tags?: Readonly<Record<string, string>>;
  readonly owner?: string;
  readonly description?: string;
}

/** One declared feature of a view. */
export interface FeatureField {
  readonly name: string;
  readonly type: FeatureType;
}

/** A validated, frozen feature view. */
export interface FeatureView {
  readonly kind: 'feature-view';
  readonly name: string;
  readonly entities: readonly Entity[];
  readonly source: FeatureSource;
  readonly timestamp: string;
  readonly createdTimestamp: string | null;
  readonly features: readonly FeatureField[];
  readonly aggregations: readonly WindowAggregation[];
  /** Milliseconds, or null for no limit. */
  readonly ttlMs: number | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly owner: string;
  readonly description: string;
}

const viewSchema = z.strictObject({
  name: z.string().regex(NAME_PATTERN, NAME_RULE),
  entities: z.array(z.custom<Entity>((e) => (e as Entity)?.kind === 'entity', 'expected an entity made by entity()')).min(1, 'a view needs at least one entity'),
  source: featureSourceSchema,
  timestamp: z.string().min(1),
  createdTimestamp: z.string().min(1).optional(),
  features: z.record(z.string().regex(NAME_PATTERN, NAME_RULE), z.enum(FEATURE_TYPES)).default({}),
  aggregations: z.array(windowAggregationSchema).default([]),
  ttl: durationSchema.optional(),
  tags: z.record(z.string(), z.string()).default({}),
  owner: z.string().default(''),
  description: z.string().default(''),
});

/**
 * Declares a feature view: typed features read from a source, keyed by entities, stamped with event time.
 *
 * Offline retrieval serves, for an entity row at time t, the latest source row with `t − ttl ≤ event_ts ≤ t`
 * (ties on event time go to the latest created timestamp); aggregations follow WindowAggregation.
 *
 * @throws LOOM_ERR_FEATURES_INVALID_DEFINITION naming the field
 * @example
 * const customer = entity({ name: 'customer', joinKeys: { customer_id: 'int' } });
 * const stats = featureView({
 *   name: 'customer_stats',
 *   entities: [customer],
 *   source: fileSource('customer_stats.parquet'),
 *   timestamp: 'event_ts',
 *   features: { plan: 'string', monthly_spend: 'float' },
 *   aggregations: [{ fn: 'sum', column: 'monthly_spend', window: '30d' }],
 *   ttl: '30d',
 * });
 */
export function featureView(input: FeatureViewInput): FeatureView {
  const object = `view "${(input as { name?: unknown })?.name ?? '?'}"`;
  const v = parseDefinition(viewSchema, input, object);
  const features = Object.entries(v.features).map(([name, type]) => Object.freeze({ name, type }));
  if (features.length === 0 && v.aggregations.length === 0) throw invalidDefinition(object, 'features', 'declare at least one feature or aggregation');
  const keys = v.entities.flatMap((e) => e.joinKeys.map((k) => k.name));
  const names = [...features.map((f) => f.name), ...v.aggregations.map((a) => a.name)];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw invalidDefinition(object, `features.${name}`, `"${name}" is declared twice (as two features, two aggregations, or one of each)`);
    if (keys.includes(name)) throw invalidDefinition(object, `features.${name}`, 'a feature cannot have the name of a join key');
    seen.add(name);
  }
  if (new Set(keys).size !== keys.length) throw invalidDefinition(object, 'entities', 'two entities share a join key name');
  return Object.freeze({
    kind: 'feature-view' as const,
    name: v.name,
    entities: Object.freeze([...v.entities]),
    source: Object.freeze({ ...v.source }) as FeatureSource,
    timestamp: v.timestamp,
    createdTimestamp: v.createdTimestamp ?? null,
    features: Object.freeze(features),
    aggregations: Object.freeze(v.aggregations),
    ttlMs: v.ttl ?? null,
    tags: Object.freeze({ ...v.tags }),
    owner: v.owner,
    description: v.description,
  });
}

/** Every feature a view serves, latest-value features first, then aggregates. */
export function viewFields(view: Pick<FeatureView, 'features' | 'aggregations'>): FeatureField[] {
  return [...view.features, ...view.aggregations.map((a) => ({ name: a.name, type: aggregateType(a.fn) }))];
}

