import { canonicalJson } from '../../core/hashing.js';
import { formatDuration } from '../definitions/duration.js';
import type { EntitySpec, FeatureViewSpec, OnDemandViewSpec, ViewMetadata, ViewSpec } from '../definitions/view-spec.js';
import type { ModelFeatureUse } from './model-feature-usage.js';

/** One line of a change: `+` added, `-` removed, `~` changed. */
export interface PlanDiff {
  readonly op: '+' | '-' | '~';
  /** What changed, e.g. `feature spend`, `ttl`, `owner`. */
  readonly path: string;
  readonly from?: string;
  readonly to?: string;
  /** True when the change alters values or schema a model reads. */
  readonly breaking: boolean;
}

/** What apply does to one entity or view. */
export interface PlanChange {
  readonly action: 'add' | 'change' | 'remove' | 'unchanged';
  readonly kind: 'entity' | ViewSpec['kind'];
  readonly name: string;
  /** Registered version before (views), or null when added. */
  readonly fromVersion: string | null;
  /** Version after (views), or null when removed. */
  readonly toVersion: string | null;
  /** True when the spec changed, so apply stores a new version; false for metadata-only changes. */
  readonly newVersion: boolean;
  readonly diffs: readonly PlanDiff[];
  /** Registered models that read an older version of this view (only filled for breaking changes). */
  readonly usedBy: readonly ModelFeatureUse[];
}

/** The plan `loom features apply` prints and carries out. */
export interface FeaturePlan {
  readonly changes: readonly PlanChange[];
  readonly add: number;
  readonly change: number;
  readonly remove: number;
}

/** @internal Diffs two entity specs. */
export function diffEntity(before: EntitySpec | null, after: EntitySpec | null): PlanDiff[] {
  const diffs: PlanDiff[] = [];
  const keys = (e: EntitySpec | null) => new Map((e?.joinKeys ?? []).map((k) => [k.name, k.type as string]));
  diffMaps(diffs, 'join key', keys(before), keys(after), true);
  if (before && after && canonicalJson(before.joinKeys.map((k) => k.name)) !== canonicalJson(after.joinKeys.map((k) => k.name)) && diffs.length === 0) {
    diffs.push({ op: '~', path: 'join key order', from: before.joinKeys.map((k) => k.name).join(','), to: after.joinKeys.map((k) => k.name).join(','), breaking: true });
  }
  if (before && after && before.description !== after.description) diffs.push({ op: '~', path: 'description', from: before.description, to: after.description, breaking: false });
  return diffs;
}

/** @internal Diffs two views (spec and metadata); `before` null for an added view, `after` null for a removed one. */
export function diffView(before: { spec: ViewSpec; meta: ViewMetadata } | null, after: { spec: ViewSpec; meta: ViewMetadata } | null): PlanDiff[] {
  const diffs: PlanDiff[] = [];
  const b = before?.spec;
  const a = after?.spec;
  const fields = (s: ViewSpec | undefined) => new Map((s?.features ?? []).map((f) => [f.name, f.type as string]));
  diffMaps(diffs, 'feature', fields(b), fields(a), before !== null);
  if ((b === undefined || b.kind === 'feature-view') && (a === undefined || a.kind === 'feature-view')) diffFeatureView(diffs, b as FeatureViewSpec | undefined, a as FeatureViewSpec | undefined);
  else if ((b === undefined || b.kind === 'on-demand-view') && (a === undefined || a.kind === 'on-demand-view')) diffOnDemand(diffs, b as OnDemandViewSpec | undefined, a as OnDemandViewSpec | undefined);
  else diffs.push({ op: '~', path: 'kind', from: b?.kind, to: a?.kind, breaking: true });
  if (before && after) {
    for (const key of ['owner', 'description'] as const) {
      if (before.meta[key] !== after.meta[key]) diffs.push({ op: '~', path: key, from: JSON.stringify(before.meta[key]), to: JSON.stringify(after.meta[key]), breaking: false });
    }
    diffMaps(diffs, 'tag', new Map(Object.entries(before.meta.tags)), new Map(Object.entries(after.meta.tags)), false);
  }
  return diffs;
}

function diffFeatureView(diffs: PlanDiff[], b: FeatureViewSpec | undefined, a: FeatureViewSpec | undefined): void {
  const aggs = (s: FeatureViewSpec | undefined) => new Map((s?.aggregations ?? []).map((x) => [x.name, `${x.fn}(${x.column ?? '*'}) over ${formatDuration(x.windowMs)}`]));
  diffMaps(diffs, 'aggregation', aggs(b), aggs(a), b !== undefined);
  if (b === undefined || a === undefined) return;
  const scalar = (path: string, from: unknown, to: unknown) => {
    const f = canonicalJson(from ?? null);
    const t = canonicalJson(to ?? null);
    if (f !== t) diffs.push({ op: '~', path, from: f, to: t, breaking: true });
  };
  scalar('entities', b.entities, a.entities);
  scalar('source', b.source, a.source);
  scalar('timestamp', b.timestamp, a.timestamp);
  scalar('createdTimestamp', b.createdTimestamp, a.createdTimestamp);
  if (b.ttlMs !== a.ttlMs) diffs.push({ op: '~', path: 'ttl', from: b.ttlMs === null ? 'none' : formatDuration(b.ttlMs), to: a.ttlMs === null ? 'none' : formatDuration(a.ttlMs), breaking: true });
}

function diffOnDemand(diffs: PlanDiff[], b: OnDemandViewSpec | undefined, a: OnDemandViewSpec | undefined): void {
  if (b === undefined || a === undefined) return;
  const req = (s: OnDemandViewSpec) => new Map(s.request.map((f) => [f.name, f.type as string]));
  diffMaps(diffs, 'request column', req(b), req(a), true, true);
  if (canonicalJson(b.inputs) !== canonicalJson(a.inputs)) diffs.push({ op: '~', path: 'inputs', from: b.inputs.join(', '), to: a.inputs.join(', '), breaking: true });
  if (b.transformSha256 !== a.transformSha256) diffs.push({ op: '~', path: 'transform', from: b.transformSha256.slice(0, 12), to: a.transformSha256.slice(0, 12), breaking: true });
}

/** Adds +/-/~ lines for two name→value maps. Removals and changes are breaking when `breaking`; additions only when `addBreaks`. */
function diffMaps(diffs: PlanDiff[], what: string, before: Map<string, string>, after: Map<string, string>, breaking: boolean, addBreaks = false): void {
  for (const [name, value] of after) {
    if (!before.has(name)) diffs.push({ op: '+', path: `${what} ${name}`, to: value, breaking: addBreaks });
    else if (before.get(name) !== value) diffs.push({ op: '~', path: `${what} ${name}`, from: before.get(name), to: value, breaking });
  }
  for (const [name, value] of before) if (!after.has(name)) diffs.push({ op: '-', path: `${what} ${name}`, from: value, breaking });
}
