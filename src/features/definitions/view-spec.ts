import { isAbsolute, resolve } from 'node:path';
import { hashJson } from '../../core/hashing.js';
import type { Entity, JoinKey } from './entity.js';
import type { FeatureSource } from './feature-source.js';
import { viewFields, type FeatureField, type FeatureView } from './feature-view.js';
import type { OnDemandView } from './on-demand-view.js';
import type { WindowAggregation } from './window-aggregation.js';

/** The registered, data-only form of an entity. */
export interface EntitySpec {
  readonly name: string;
  readonly joinKeys: readonly JoinKey[];
  readonly description: string;
}

/**
 * The part of a feature view that decides its values. Its canonical-JSON SHA-256 is the view's version, so any change
 * here makes a new version; tags, owner and description are metadata and change in place.
 */
export interface FeatureViewSpec {
  readonly kind: 'feature-view';
  readonly name: string;
  readonly entities: readonly { readonly name: string; readonly joinKeys: readonly JoinKey[] }[];
  /** File paths are absolute (resolved from the config's folder). */
  readonly source: FeatureSource;
  readonly timestamp: string;
  readonly createdTimestamp: string | null;
  readonly features: readonly FeatureField[];
  readonly aggregations: readonly WindowAggregation[];
  readonly ttlMs: number | null;
}

/** The data-only part of an on-demand view; the transform is represented by the hash of its source text. */
export interface OnDemandViewSpec {
  readonly kind: 'on-demand-view';
  readonly name: string;
  readonly request: readonly FeatureField[];
  readonly inputs: readonly string[];
  readonly features: readonly FeatureField[];
  readonly transformSha256: string;
}

/** Either kind of registered view spec. */
export type ViewSpec = FeatureViewSpec | OnDemandViewSpec;

/** Metadata that changes in place, without a new version. */
export interface ViewMetadata {
  readonly tags: Readonly<Record<string, string>>;
  readonly owner: string;
  readonly description: string;
}

/** @internal */
export function entitySpec(e: Entity): EntitySpec {
  return { name: e.name, joinKeys: e.joinKeys.map((k) => ({ name: k.name, type: k.type })), description: e.description };
}

/** @internal The spec of a view; relative file paths are resolved from `baseDir`. */
export function viewSpec(view: FeatureView | OnDemandView, baseDir: string): ViewSpec {
  if (view.kind === 'on-demand-view') {
    return { kind: 'on-demand-view', name: view.name, request: view.request.map(field), inputs: [...view.inputs], features: view.features.map(field), transformSha256: view.transformSha256 };
  }
  const source: FeatureSource = view.source.kind === 'file' && !isAbsolute(view.source.path) ? { ...view.source, path: resolve(baseDir, view.source.path) } : { ...view.source };
  return {
    kind: 'feature-view',
    name: view.name,
    entities: view.entities.map((e) => ({ name: e.name, joinKeys: e.joinKeys.map((k) => ({ name: k.name, type: k.type })) })),
    source,
    timestamp: view.timestamp,
    createdTimestamp: view.createdTimestamp,
    features: view.features.map(field),
    aggregations: view.aggregations.map((a) => ({ name: a.name, fn: a.fn, column: a.column, windowMs: a.windowMs })),
    ttlMs: view.ttlMs,
  };
}

/** @internal */
export function viewMetadata(view: FeatureView | OnDemandView): ViewMetadata {
  return { tags: { ...view.tags }, owner: view.owner, description: view.description };
}

/** A view version: SHA-256 hex of the spec's canonical JSON. */
export function viewVersion(spec: ViewSpec): string {
  return hashJson(spec);
}

/** Every feature a spec serves, in order. */
export function specFields(spec: ViewSpec): FeatureField[] {
  if (spec.kind === 'on-demand-view') return [...spec.features];
  return viewFields(spec);
}

function field(f: FeatureField): FeatureField {
  return { name: f.name, type: f.type };
}
