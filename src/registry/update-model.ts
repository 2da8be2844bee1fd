import { LoomError } from '../core/errors/index.js';
import { checkStage, type ModelStage } from './model-ref.js';
import { versionFromRow, type ModelVersion } from './registered-model.js';
import { recordEvent, requireModel, requireVersion, type RegistryContext } from './registry-context.js';
import { authorize } from './registry-principal.js';

/** Changes to a model's or a version's labels. Tags set to null are removed. */
export interface LabelUpdate {
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string | null>>;
}

const TAG_KEY = /^[A-Za-z0-9_.:/-]{1,128}$/;

/**
 * Updates the description and tags of a model (`version` undefined) or of one version. Audited.
 * @throws LOOM_ERR_REGISTRY_NAME_INVALID (a tag key), LOOM_ERR_REGISTRY_MODEL_NOT_FOUND, LOOM_ERR_REGISTRY_VERSION_NOT_FOUND
 * @internal Use ModelRegistry.update.
 */
export async function updateLabels(ctx: RegistryContext, name: string, version: number | undefined, update: LabelUpdate): Promise<void> {
  authorize(ctx.principal, 'update', name);
  for (const key of Object.keys(update.tags ?? {})) {
    if (!TAG_KEY.test(key)) throw new LoomError('REGISTRY_NAME_INVALID', { what: 'tag key', value: key, problem: 'use 1 to 128 letters, digits and _ . : / -' }, { details: { field: 'tag' } });
  }
  await ctx.db.transaction().execute(async (trx) => {
    const row = version === undefined ? await requireModel(trx, name) : await requireVersion(trx, name, version);
    const tags: Record<string, string> = JSON.parse(row.tags_json);
    for (const [key, value] of Object.entries(update.tags ?? {})) {
      if (value === null) delete tags[key];
      else tags[key] = value;
    }
    const values = { description: update.description ?? row.description, tags_json: JSON.stringify(tags) };
    if (version === undefined) await trx.updateTable('registered_models').set({ ...values, updated_at: ctx.now() }).where('name', '=', name).execute();
    else await trx.updateTable('model_versions').set(values).where('model', '=', name).where('version', '=', version).execute();
    await recordEvent(trx, ctx, { model: name, version: version ?? null, action: 'update', details: { description: update.description ?? null, tags: update.tags ?? {} } });
  });
}

/**
 * Moves a version to a stage. With `archiveExisting`, moving to production archives the other production versions in
 * the same transaction. Production needs the deployer role. Audited.
 * @throws LOOM_ERR_REGISTRY_NAME_INVALID (the stage), LOOM_ERR_REGISTRY_VERSION_NOT_FOUND, LOOM_ERR_REGISTRY_FORBIDDEN
 * @internal Use ModelRegistry.setStage.
 */
export async function setStage(ctx: RegistryContext, name: string, version: number, stageName: string, options: { archiveExisting?: boolean; reason?: string } = {}): Promise<{ version: ModelVersion; archived: number[] }> {
  const stage: ModelStage = checkStage(stageName);
  authorize(ctx.principal, stage === 'production' ? 'stage-production' : 'stage', name);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await requireVersion(trx, name, version);
    const archived: number[] = [];
    if (stage === 'production' && options.archiveExisting === true) {
      const others = await trx.selectFrom('model_versions').select('version').where('model', '=', name).where('stage', '=', 'production').where('version', '!=', version).execute();
      for (const other of others) {
        const v = Number(other.version);
        await trx.updateTable('model_versions').set({ stage: 'archived' }).where('model', '=', name).where('version', '=', v).execute();
        await recordEvent(trx, ctx, { model: name, version: v, action: 'stage', details: { from: 'production', to: 'archived', because: `version ${version} moved to production` }, reason: options.reason ?? null });
        archived.push(v);
      }
    }
    if (row.stage !== stage) {
      await trx.updateTable('model_versions').set({ stage }).where('model', '=', name).where('version', '=', version).execute();
      await recordEvent(trx, ctx, { model: name, version, action: 'stage', details: { from: row.stage, to: stage }, reason: options.reason ?? null });
    }
    return { version: versionFromRow({ ...row, stage }), archived };
  });
}
