import { aliasFromRow, eventFromRow, evaluationFromRow, modelFromRow, versionFromRow, type AttachedEvaluation, type ModelAlias, type ModelVersion, type RegisteredModel, type RegistryEvent } from './registered-model.js';
import { requireModel, requireVersion, type RegistryContext } from './registry-context.js';
import { authorize } from './registry-principal.js';

/** A row of the model list. */
export interface ModelSummary extends RegisteredModel {
  readonly versions: number;
}

/** Every registered model, by name, with its aliases. @internal */
export async function listModels(ctx: RegistryContext): Promise<ModelSummary[]> {
  authorize(ctx.principal, 'read', '*');
  const rows = await ctx.db.selectFrom('registered_models').selectAll().orderBy('name').execute();
  const aliases = await ctx.db.selectFrom('model_aliases').select(['model', 'alias', 'version']).orderBy('alias').execute();
  const counts = await ctx.db.selectFrom('model_versions').select((eb) => ['model', eb.fn.countAll<number>().as('n')]).groupBy('model').execute();
  const byModel = new Map<string, Record<string, number>>();
  for (const a of aliases) {
    const map = byModel.get(a.model) ?? {};
    map[a.alias] = Number(a.version);
    byModel.set(a.model, map);
  }
  const count = new Map(counts.map((c) => [c.model, Number(c.n)]));
  return rows.map((row) => ({ ...modelFromRow(row, byModel.get(row.name) ?? {}), versions: count.get(row.name) ?? 0 }));
}

/** One model with its aliases. @internal */
export async function getModel(ctx: RegistryContext, name: string): Promise<RegisteredModel> {
  authorize(ctx.principal, 'read', name);
  const row = await requireModel(ctx.db, name);
  return modelFromRow(row, Object.fromEntries((await listAliases(ctx, name)).map((a) => [a.alias, a.version])));
}

/** A model's aliases, by name. @internal */
export async function listAliases(ctx: RegistryContext, name: string): Promise<ModelAlias[]> {
  const rows = await ctx.db.selectFrom('model_aliases').selectAll().where('model', '=', name).orderBy('alias').execute();
  return rows.map(aliasFromRow);
}

/** A model's versions, newest first. @internal */
export async function listVersions(ctx: RegistryContext, name: string): Promise<ModelVersion[]> {
  authorize(ctx.principal, 'read', name);
  await requireModel(ctx.db, name);
  const rows = await ctx.db.selectFrom('model_versions').selectAll().where('model', '=', name).orderBy('version', 'desc').execute();
  return rows.map(versionFromRow);
}

/** One version. @internal */
export async function getVersion(ctx: RegistryContext, name: string, version: number): Promise<ModelVersion> {
  authorize(ctx.principal, 'read', name);
  return versionFromRow(await requireVersion(ctx.db, name, version));
}

/** The evaluation reports attached to a version, newest first. @internal */
export async function listEvaluations(ctx: RegistryContext, name: string, version: number): Promise<AttachedEvaluation[]> {
  authorize(ctx.principal, 'read', name);
  await requireVersion(ctx.db, name, version);
  const rows = await ctx.db.selectFrom('model_evaluations').selectAll().where('model', '=', name).where('version', '=', version).orderBy('id', 'desc').execute();
  return rows.map(evaluationFromRow);
}

/** A model's history, newest first (at most `limit` entries). @internal */
export async function listHistory(ctx: RegistryContext, name: string, limit = 100): Promise<RegistryEvent[]> {
  authorize(ctx.principal, 'read', name);
  await requireModel(ctx.db, name);
  const rows = await ctx.db.selectFrom('registry_events').selectAll().where('model', '=', name).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(eventFromRow);
}
