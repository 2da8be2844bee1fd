import { LoomError } from '../../core/errors/index.js';
import type { Workspace } from '../../storage/workspace.js';
import type { EntitySpec, ViewMetadata, ViewSpec } from '../definitions/view-spec.js';
import { suggestNames } from '../retrieval/suggest-names.js';

/** Shortest version prefix accepted in `view@prefix`. */
export const MIN_VIEW_VERSION_PREFIX = 6;

/** A registered view with its latest version's spec. */
export interface RegisteredView extends ViewMetadata {
  readonly name: string;
  readonly kind: ViewSpec['kind'];
  readonly latestVersion: string;
  readonly spec: ViewSpec;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One stored version of a view. */
export interface RegisteredViewVersion {
  readonly view: string;
  readonly version: string;
  readonly spec: ViewSpec;
  /** True when kept served for a model although it is not the latest. */
  readonly retained: boolean;
  readonly createdAt: number;
}

/** A registered entity. */
export interface RegisteredEntity extends EntitySpec {
  readonly hash: string;
}

/** The registered (not removed) entities, by name. */
export async function listEntities(ws: Workspace): Promise<RegisteredEntity[]> {
  const { db } = await ws.metadata();
  const rows = await db.selectFrom('feature_entities').selectAll().where('removed_at', 'is', null).orderBy('name').execute();
  return rows.map((r) => ({ ...(JSON.parse(r.spec_json) as EntitySpec), hash: r.hash }));
}

/**
 * The registered (not removed) views with their latest specs, by name.
 *
 * @example
 * for (const v of await listFeatureViews(ws)) console.log(v.name, v.latestVersion.slice(0, 12));
 */
export async function listFeatureViews(ws: Workspace): Promise<RegisteredView[]> {
  const { db } = await ws.metadata();
  const rows = await db
    .selectFrom('feature_views')
    .innerJoin('feature_view_versions', (j) => j.onRef('feature_view_versions.view', '=', 'feature_views.name').onRef('feature_view_versions.version', '=', 'feature_views.latest_version'))
    .select(['name', 'kind', 'latest_version', 'owner', 'description', 'tags_json', 'feature_views.created_at', 'updated_at', 'spec_json'])
    .where('removed_at', 'is', null)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    kind: r.kind as ViewSpec['kind'],
    latestVersion: r.latest_version,
    spec: JSON.parse(r.spec_json) as ViewSpec,
    tags: JSON.parse(r.tags_json) as Record<string, string>,
    owner: r.owner,
    description: r.description,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }));
}

/** Every version of a view, newest first. */
export async function listViewVersions(ws: Workspace, view: string): Promise<RegisteredViewVersion[]> {
  const { db } = await ws.metadata();
  const rows = await db.selectFrom('feature_view_versions').selectAll().where('view', '=', view).orderBy('created_at', 'desc').orderBy('version').execute();
  return rows.map((r) => ({ view: r.view, version: r.version, spec: JSON.parse(r.spec_json) as ViewSpec, retained: r.retained === 1, createdAt: Number(r.created_at) }));
}

/**
 * A registered view by name, with its latest spec, or `name@<version prefix>` for a pinned version's spec.
 *
 * @throws LOOM_ERR_FEATURES_VIEW_NOT_FOUND (with close names), LOOM_ERR_FEATURES_VERSION_NOT_FOUND
 */
export async function getFeatureView(ws: Workspace, ref: string): Promise<{ view: RegisteredView; version: RegisteredViewVersion }> {
  const at = ref.indexOf('@');
  const name = at < 0 ? ref : ref.slice(0, at);
  const wanted = at < 0 ? undefined : ref.slice(at + 1).toLowerCase();
  const views = await listFeatureViews(ws);
  const view = views.find((v) => v.name === name);
  if (view === undefined) {
    const close = suggestNames(name, views.map((v) => v.name));
    throw new LoomError('FEATURES_VIEW_NOT_FOUND', { view: name, suggestion: close.length > 0 ? ` Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '' }, { details: { field: 'view', suggestions: close } });
  }
  if (wanted === undefined) return { view, version: { view: name, version: view.latestVersion, spec: view.spec, retained: true, createdAt: view.updatedAt } };
  const versions = (await listViewVersions(ws, name)).filter((v) => v.version.startsWith(wanted));
  if (wanted.length < MIN_VIEW_VERSION_PREFIX || versions.length !== 1) {
    throw new LoomError('FEATURES_VERSION_NOT_FOUND', { view: name, version: wanted }, { details: { field: 'version', matches: versions.length, minPrefix: MIN_VIEW_VERSION_PREFIX } });
  }
  return { view, version: versions[0] };
}
