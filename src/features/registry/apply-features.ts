import { LoomError } from '../../core/errors/index.js';
import { canonicalJson, hashJson } from '../../core/hashing.js';
import type { Workspace } from '../../storage/workspace.js';
import type { FeatureConfig } from '../definitions/define-config.js';
import { entitySpec, viewMetadata, viewSpec, viewVersion, type EntitySpec, type FeatureViewSpec, type ViewMetadata, type ViewSpec } from '../definitions/view-spec.js';
import { checkViewSource } from '../retrieval/view-source.js';
import { diffEntity, diffView, type FeaturePlan, type PlanChange } from './feature-plan.js';
import { registeredModelUsage, type FeatureUsageLookup } from './model-feature-usage.js';

/** Options of applyFeatures. */
export interface ApplyFeaturesOptions {
  /** Folder that relative file-source paths are resolved from (the config file's folder; default the cwd). */
  readonly baseDir?: string;
  /** Only compute the plan; change nothing. */
  readonly dryRun?: boolean;
  /** Allow breaking changes to views that models use: their versions stay registered and served. */
  readonly newVersion?: boolean;
  /** Check that every added or changed view's source has its declared columns and types (default true). */
  readonly checkSources?: boolean;
  /** Which models use a view; default: the model registry. */
  readonly usage?: FeatureUsageLookup;
  /** Clock for timestamps (epoch ms). */
  readonly now?: () => number;
}

/** What applyFeatures did. */
export interface ApplyFeaturesResult {
  readonly plan: FeaturePlan;
  /** False for a dry run or an empty plan. */
  readonly applied: boolean;
}

interface StoredView {
  readonly spec: ViewSpec;
  readonly meta: ViewMetadata;
  readonly version: string;
  readonly removed: boolean;
}

/**
 * Registers a feature config: computes a plan (entities and views added, changed, removed, with field-level diffs)
 * against the metadata store, then carries it out in one transaction. Versions are content hashes of the view specs;
 * every version stays stored. A breaking change (or removal) of a view that a registered model uses is refused
 * unless `newVersion` is set, which keeps the used versions retained (served) beside the new one.
 *
 * @throws LOOM_ERR_FEATURES_BREAKING_CHANGE, source errors (LOOM_ERR_FEATURES_SOURCE_*) when checkSources is on
 * @example
 * const { config, baseDir } = await loadFeatureConfig('loom.config.ts');
 * const { plan } = await applyFeatures(ws, config, { baseDir });
 * console.log(formatPlan(plan));
 */
export async function applyFeatures(ws: Workspace, config: FeatureConfig, options: ApplyFeaturesOptions = {}): Promise<ApplyFeaturesResult> {
  const baseDir = options.baseDir ?? process.cwd();
  const usage = options.usage ?? registeredModelUsage;
  const { db } = await ws.metadata();
  const storedEntities = new Map(
    (await db.selectFrom('feature_entities').selectAll().execute()).map((r) => [r.name, { spec: JSON.parse(r.spec_json) as EntitySpec, removed: r.removed_at !== null }]),
  );
  const viewRows = await db
    .selectFrom('feature_views')
    .innerJoin('feature_view_versions', (j) => j.onRef('feature_view_versions.view', '=', 'feature_views.name').onRef('feature_view_versions.version', '=', 'feature_views.latest_version'))
    .select(['name', 'latest_version', 'owner', 'description', 'tags_json', 'removed_at', 'spec_json'])
    .execute();
  const storedViews = new Map<string, StoredView>(
    viewRows.map((r) => [
      r.name,
      { spec: JSON.parse(r.spec_json) as ViewSpec, meta: { owner: r.owner, description: r.description, tags: JSON.parse(r.tags_json) as Record<string, string> }, version: r.latest_version, removed: r.removed_at !== null },
    ]),
  );

  const changes: PlanChange[] = [];
  const wantedEntities = new Map(config.entities.map((e) => [e.name, entitySpec(e)]));
  for (const [name, spec] of wantedEntities) {
    const stored = storedEntities.get(name);
    const before = stored === undefined || stored.removed ? null : stored.spec;
    const diffs = diffEntity(before, spec);
    const action = before === null ? 'add' : canonicalJson(before) === canonicalJson(spec) ? 'unchanged' : 'change';
    changes.push({ action, kind: 'entity', name, fromVersion: null, toVersion: null, newVersion: false, diffs, usedBy: [] });
  }
  for (const [name, stored] of storedEntities) {
    if (!stored.removed && !wantedEntities.has(name)) changes.push({ action: 'remove', kind: 'entity', name, fromVersion: null, toVersion: null, newVersion: false, diffs: [], usedBy: [] });
  }

  const wantedViews = new Map([...config.featureViews, ...config.onDemandViews].map((v) => [v.name, { spec: viewSpec(v, baseDir), meta: viewMetadata(v) }]));
  for (const [name, after] of wantedViews) {
    const stored = storedViews.get(name);
    const before = stored === undefined || stored.removed ? null : stored;
    const version = viewVersion(after.spec);
    const diffs = diffView(before, after);
    const newVersion = before === null || before.version !== version;
    const action = before === null ? 'add' : diffs.length === 0 && !newVersion ? 'unchanged' : 'change';
    const breaking = action === 'change' && diffs.some((d) => d.breaking);
    const usedBy = breaking ? (await usage(ws, name)).filter((u) => u.viewVersion !== version) : [];
    changes.push({ action, kind: after.spec.kind, name, fromVersion: before?.version ?? null, toVersion: version, newVersion, diffs, usedBy });
  }
  for (const [name, stored] of storedViews) {
    if (stored.removed || wantedViews.has(name)) continue;
    const usedBy = await usage(ws, name);
    changes.push({ action: 'remove', kind: stored.spec.kind, name, fromVersion: stored.version, toVersion: null, newVersion: false, diffs: diffView({ spec: stored.spec, meta: stored.meta }, null), usedBy });
  }
  const plan: FeaturePlan = {
    changes,
    add: changes.filter((c) => c.action === 'add').length,
    change: changes.filter((c) => c.action === 'change').length,
    remove: changes.filter((c) => c.action === 'remove').length,
  };

  const refused = changes.find((c) => c.usedBy.length > 0);
  if (refused !== undefined && !options.newVersion) {
    const what = refused.action === 'remove' ? 'the view is removed' : refused.diffs.filter((d) => d.breaking).map((d) => `${d.op} ${d.path}`).join('; ');
    throw new LoomError(
      'FEATURES_BREAKING_CHANGE',
      { view: refused.name, models: refused.usedBy.map((u) => `${u.model} v${u.modelVersion}`).join(', '), changes: what },
      { details: { field: refused.name, usedBy: refused.usedBy } },
    );
  }
  if (options.checkSources !== false && !options.dryRun) {
    for (const c of changes) {
      if ((c.action === 'add' || (c.action === 'change' && c.newVersion)) && c.kind === 'feature-view') {
        const spec = wantedViews.get(c.name)!.spec as FeatureViewSpec;
        if (spec.source.kind !== 'stream') await checkViewSource(ws, spec);
      }
    }
  }
  if (options.dryRun || plan.add + plan.change + plan.remove === 0) return { plan, applied: false };

  const now = (options.now ?? Date.now)();
  await db.transaction().execute(async (trx) => {
    for (const c of changes) {
      if (c.kind === 'entity') {
        if (c.action === 'remove') await trx.updateTable('feature_entities').set({ removed_at: now, updated_at: now }).where('name', '=', c.name).execute();
        else if (c.action !== 'unchanged') {
          const spec = wantedEntities.get(c.name)!;
          const row = { hash: hashJson(spec), spec_json: canonicalJson(spec), updated_at: now, removed_at: null };
          if (storedEntities.has(c.name)) await trx.updateTable('feature_entities').set(row).where('name', '=', c.name).execute();
          else await trx.insertInto('feature_entities').values({ name: c.name, created_at: now, ...row }).execute();
        }
        continue;
      }
      if (c.action === 'unchanged') continue;
      if (c.usedBy.length > 0) {
        const kept = [...new Set(c.usedBy.map((u) => u.viewVersion))];
        await trx.updateTable('feature_view_versions').set({ retained: 1 }).where('view', '=', c.name).where('version', 'in', kept).execute();
      }
      if (c.action === 'remove') {
        await trx.updateTable('feature_views').set({ removed_at: now, updated_at: now }).where('name', '=', c.name).execute();
        continue;
      }
      const { spec, meta } = wantedViews.get(c.name)!;
      const version = c.toVersion!;
      const row = { kind: spec.kind, latest_version: version, owner: meta.owner, description: meta.description, tags_json: canonicalJson(meta.tags), updated_at: now, removed_at: null };
      if (storedViews.has(c.name)) await trx.updateTable('feature_views').set(row).where('name', '=', c.name).execute();
      else await trx.insertInto('feature_views').values({ name: c.name, created_at: now, ...row }).execute();
      const existing = await trx.selectFrom('feature_view_versions').select('version').where('view', '=', c.name).where('version', '=', version).executeTakeFirst();
      if (existing === undefined) {
        await trx.insertInto('feature_view_versions').values({ view: c.name, version, spec_json: canonicalJson(spec), retained: 0, created_at: now }).execute();
      }
    }
  });
  return { plan, applied: true };
}
