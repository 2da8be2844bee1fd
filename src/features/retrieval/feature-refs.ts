import { LoomError } from '../../core/errors/index.js';
import type { Workspace } from '../../storage/workspace.js';
import type { FeatureField } from '../definitions/feature-view.js';
import { specFields, type FeatureViewSpec, type OnDemandViewSpec, type ViewSpec } from '../definitions/view-spec.js';
import { getFeatureView, listFeatureViews } from '../registry/feature-registry.js';
import { suggestNames } from './suggest-names.js';

/** A parsed feature reference: `view:feature`, `view@version:feature` or `view:*`. */
export interface FeatureRef {
  readonly view: string;
  /** Version prefix, when pinned. */
  readonly version: string | null;
  /** Feature name, or `*` for all. */
  readonly feature: string;
}

const REF = /^([A-Za-z][A-Za-z0-9_]*)(?:@([0-9a-fA-F]+))?:([A-Za-z][A-Za-z0-9_]*|\*)$/;

/** Parses `view:feature`, `view@version:feature` or `view:*`. @throws LOOM_ERR_FEATURES_INVALID_REF */
export function parseFeatureRef(ref: string): FeatureRef {
  const m = REF.exec(ref.trim());
  if (m === null) throw new LoomError('FEATURES_INVALID_REF', { ref }, { details: { field: 'features', ref } });
  return { view: m[1], version: m[2]?.toLowerCase() ?? null, feature: m[3] };
}

/** One requested output column. */
export interface ResolvedFeature {
  readonly ref: string;
  readonly feature: FeatureField;
  /** Output column name. */
  readonly column: string;
}

/** A view version taking part in a retrieval, with the features read from it. */
export interface ResolvedView<S extends ViewSpec = ViewSpec> {
  readonly name: string;
  readonly version: string;
  readonly spec: S;
  /** Requested features, in request order. */
  readonly requested: ResolvedFeature[];
}

/** The registered views a list of refs needs, and the output columns in request order. */
export interface ResolvedRefs {
  readonly featureViews: ResolvedView<FeatureViewSpec>[];
  readonly onDemandViews: ResolvedView<OnDemandViewSpec>[];
  readonly columns: ResolvedFeature[];
}

/**
 * Resolves refs against the registry. Output columns are named after the feature, or `view__feature` with
 * `fullNames`. On-demand views pull in the feature views their inputs come from (same pinned versions are not implied:
 * inputs use each view's latest version unless that view is also requested pinned).
 *
 * @throws LOOM_ERR_FEATURES_INVALID_REF, LOOM_ERR_FEATURES_UNKNOWN_FEATURE (with close names),
 *   LOOM_ERR_FEATURES_VERSION_NOT_FOUND, LOOM_ERR_FEATURES_OUTPUT_COLUMN_CLASH
 */
export async function resolveFeatureRefs(ws: Workspace, refs: readonly string[], fullNames: boolean, reserved: readonly string[] = []): Promise<ResolvedRefs> {
  if (refs.length === 0) throw new LoomError('FEATURES_INVALID_REF', { ref: '' }, { details: { field: 'features' } });
  const registered = await listFeatureViews(ws);
  const allNames = registered.flatMap((v) => specFields(v.spec).map((f) => `${v.name}:${f.name}`));
  const byKey = new Map<string, ResolvedView>();
  const columns: ResolvedFeature[] = [];
  const unknown = (ref: string, wanted: string): LoomError => {
    const close = suggestNames(wanted, allNames);
    return new LoomError('FEATURES_UNKNOWN_FEATURE', { ref, suggestion: close.length > 0 ? ` Did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : ' `loom features list` shows the registered views.' }, { details: { field: 'features', ref, suggestions: close } });
  };
  const viewFor = async (name: string, version: string | null, ref: string): Promise<ResolvedView> => {
    if (!registered.some((v) => v.name === name)) throw unknown(ref, ref.includes(':') ? `${name}:${ref.split(':')[1]}` : name);
    const { version: found } = await getFeatureView(ws, version === null ? name : `${name}@${version}`);
    const key = `${name}@${found.version}`;
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = { name, version: found.version, spec: found.spec, requested: [] };
      byKey.set(key, entry);
    }
    return entry;
  };
  for (const text of refs) {
    const ref = parseFeatureRef(text);
    const view = await viewFor(ref.view, ref.version, text);
    const fields = specFields(view.spec);
    const picked = ref.feature === '*' ? fields : fields.filter((f) => f.name === ref.feature);
    if (picked.length === 0) throw unknown(text, `${ref.view}:${ref.feature}`);
    for (const feature of picked) {
      const resolved = { ref: `${view.name}:${feature.name}`, feature, column: fullNames ? `${view.name}__${feature.name}` : feature.name };
      if (view.requested.some((r) => r.feature.name === feature.name)) continue;
      view.requested.push(resolved);
      columns.push(resolved);
    }
  }
  checkOutputColumns(columns, reserved);
  const all = [...byKey.values()];
  const onDemandViews = all.filter((v): v is ResolvedView<OnDemandViewSpec> => v.spec.kind === 'on-demand-view');
  for (const od of onDemandViews) {
    for (const input of od.spec.inputs) {
      const [name] = input.split(':');
      if (!all.some((v) => v.name === name)) {
        const entry = await viewFor(name, null, input);
        if (!all.includes(entry)) all.push(entry);
      }
    }
  }
  return { featureViews: all.filter((v): v is ResolvedView<FeatureViewSpec> => v.spec.kind === 'feature-view'), onDemandViews, columns };
}

/**
 * Checks that no two output columns share a name, and that none takes the name of a `reserved` (entity-row) column.
 * @throws LOOM_ERR_FEATURES_OUTPUT_COLUMN_CLASH
 */
export function checkOutputColumns(columns: readonly ResolvedFeature[], reserved: readonly string[]): void {
  const seen = new Map<string, string>(reserved.map((c) => [c, 'an entity-row column']));
  for (const c of columns) {
    const other = seen.get(c.column);
    if (other !== undefined) throw new LoomError('FEATURES_OUTPUT_COLUMN_CLASH', { column: c.column, refs: `${other} and ${c.ref}` }, { details: { field: 'features', column: c.column } });
    seen.set(c.column, c.ref);
  }
}
