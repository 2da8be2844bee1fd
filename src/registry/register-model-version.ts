import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LoomError } from '../core/errors/index.js';
import { sha256Hex } from '../core/hashing.js';
import type { EvaluationReport } from '../evaluation/evaluation-report.js';
import { loadModelArtifact, MANIFEST_FILE } from '../models/artifact/index.js';
import { NOOP_PROGRESS, type Progress } from '../cli/progress.js';
import { checkModelName } from './model-ref.js';
import { versionFromRow, type ModelVersion } from './registered-model.js';
import { isUniqueViolation, recordEvent, type Db, type RegistryContext } from './registry-context.js';
import { authorize } from './registry-principal.js';
import { insertEvaluation, type EvaluationInput } from './attach-evaluation.js';
import { checkFeatureRefs, insertFeatureRefs, trainingSetFeatureRefs, type ModelFeatureRef } from './model-feature-refs.js';

/** What to register. */
export interface RegisterModelRequest {
  /** A model directory (manifest.json plus its files), as `loom train` writes it. */
  readonly dir: string;
  readonly name: string;
  /** The tracking run that produced the model (opaque id). */
  readonly runId?: string;
  /** An evaluation report of this model (its `model.hash` must be the model's manifest hash). */
  readonly evaluation?: EvaluationInput;
  /** The model card as Markdown (default: the card that came with `evaluation`, if any). */
  readonly card?: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The feature-store refs the model reads (view versions and the input columns they fill). Default: the refs recorded
   * for the model's train dataset when the feature store built it (`getHistoricalFeatures({ dataset })`), else none.
   */
  readonly features?: readonly ModelFeatureRef[];
}

/** The version registered, and whether it is new (false when this artifact was already a version of the model). */
export interface RegisterModelResult {
  readonly version: ModelVersion;
  readonly created: boolean;
  /** Bytes copied into the artifact store (0 when every blob was already there). */
  readonly bytesStored: number;
}

/** Attempts when two writers collide on the version-per-artifact unique index (the loser then finds the winner's row). */
const ATTEMPTS = 3;

/**
 * Registers a model directory as the next version of `name` (creating the model on first use). The directory is
 * verified first (manifest hash and every file's SHA-256), then the manifest and each file are copied into the
 * content-addressed artifact store, so the version can never change silently: resolving it later rebuilds the
 * directory from verified blobs. Registering the same artifact again returns the existing version.
 *
 * @throws LOOM_ERR_ARTIFACT_MODEL_TAMPERED, LOOM_ERR_ARTIFACT_MODEL_FILE_MISSING, LOOM_ERR_ARTIFACT_MODEL_INVALID (the
 *   directory), LOOM_ERR_REGISTRY_NAME_INVALID, LOOM_ERR_REGISTRY_EVALUATION_MISMATCH, LOOM_ERR_REGISTRY_VERSION_CONFLICT
 *   (same artifact, another run), LOOM_ERR_REGISTRY_FORBIDDEN
 * @internal Use ModelRegistry.register.
 */
export async function registerModelVersion(ctx: RegistryContext, request: RegisterModelRequest, progress: Progress = NOOP_PROGRESS): Promise<RegisterModelResult> {
  const name = checkModelName(request.name);
  authorize(ctx.principal, 'register', name);
  if (request.runId !== undefined && (request.runId.trim() === '' || request.runId.length > 256)) {
    throw new LoomError('REGISTRY_INVALID_OPTION', { field: 'run', problem: 'a run id is 1 to 256 characters' }, { details: { field: 'run' } });
  }
  const model = await loadModelArtifact(request.dir);
  // The manifest is read again as bytes to store it verbatim; it must still be the one just verified.
  const manifestBytes = await readFile(join(model.dir, MANIFEST_FILE));
  const reread = JSON.parse(new TextDecoder().decode(manifestBytes)) as { manifestHash?: string };
  if (reread.manifestHash !== model.id) {
    throw new LoomError('ARTIFACT_MODEL_TAMPERED', { dir: model.dir, file: MANIFEST_FILE, problem: 'changed while it was being registered' }, { details: { field: MANIFEST_FILE } });
  }
  const evaluation = request.evaluation === undefined ? undefined : await prepareEvaluation(request.evaluation, model.id, name);

  const files = [...model.files.entries()].map(([file, bytes]) => ({ name: file, sha256: sha256Hex(bytes), bytes: bytes.byteLength }));
  progress.start(files.length + 1, `register ${name}`);
  let bytesStored = 0;
  const manifestPut = await ctx.artifacts.put(manifestBytes);
  if (manifestPut.created) bytesStored += manifestPut.bytes;
  progress.update(1);
  for (const [i, file] of files.entries()) {
    const put = await ctx.artifacts.put(model.files.get(file.name)!);
    if (put.hash !== file.sha256) {
      throw new LoomError('ARTIFACT_MODEL_TAMPERED', { dir: model.dir, file: file.name, problem: 'was stored with another hash than it was verified with' }, { details: { field: file.name } });
    }
    if (put.created) bytesStored += put.bytes;
    progress.update(i + 2);
  }
  progress.stop();
  const cardText = request.card ?? request.evaluation?.card;
  const cardBlob = cardText === undefined ? null : (await ctx.artifacts.put(new TextEncoder().encode(cardText))).hash;
  const evaluationBlob = evaluation === undefined ? undefined : (await ctx.artifacts.put(evaluation.bytes)).hash;

  const { manifest } = model;
  const featureRefs = request.features !== undefined ? checkFeatureRefs(request.features) : await trainingSetFeatureRefs(ctx.db, manifest.lineage);
  const row = {
    model: name,
    model_hash: model.id,
    flavor: manifest.flavor,
    task: manifest.outputSignature.task,
    run_id: request.runId ?? null,
    manifest_blob: manifestPut.hash,
    files_json: JSON.stringify(files),
    signature_json: JSON.stringify({ input: manifest.inputSignature, output: manifest.outputSignature }),
    lineage_json: JSON.stringify(manifest.lineage),
    card_blob: cardBlob,
    source_dir: model.dir,
    stage: 'none',
    description: request.description ?? '',
    tags_json: JSON.stringify(request.tags ?? {}),
  };

  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        const now = ctx.now();
        await trx
          .insertInto('registered_models')
          .values({ name, description: '', tags_json: '{}', latest_version: 0, created_at: now, updated_at: now, created_by: ctx.principal.name })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
        const existing = await trx.selectFrom('model_versions').selectAll().where('model', '=', name).where('model_hash', '=', model.id).executeTakeFirst();
        if (existing !== undefined) {
          if (request.runId !== undefined && existing.run_id !== null && existing.run_id !== request.runId) {
            throw new LoomError(
              'REGISTRY_VERSION_CONFLICT',
              { name, version: Number(existing.version), hash: model.id.slice(0, 12), problem: `it was registered from run "${existing.run_id}", not "${request.runId}"` },
              { details: { field: 'run' } },
            );
          }
          if (evaluation !== undefined) await insertEvaluation(trx, ctx, name, Number(existing.version), evaluation.report, evaluationBlob!, cardBlob);
          return { version: versionFromRow(existing), created: false, bytesStored };
        }
        const version = await nextVersion(trx, name, now);
        await trx.insertInto('model_versions').values({ ...row, version, created_at: now, created_by: ctx.principal.name }).execute();
        await insertFeatureRefs(trx, name, version, featureRefs);
        await recordEvent(trx, ctx, { model: name, version, action: 'register', details: { modelHash: model.id, runId: request.runId ?? null, sourceDir: model.dir } });
        if (evaluation !== undefined) await insertEvaluation(trx, ctx, name, version, evaluation.report, evaluationBlob!, cardBlob);
        const inserted = await trx.selectFrom('model_versions').selectAll().where('model', '=', name).where('version', '=', version).executeTakeFirstOrThrow();
        return { version: versionFromRow(inserted), created: true, bytesStored };
      });
    } catch (err) {
      if (attempt < ATTEMPTS && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

/** Takes the next version number; the update locks the model row, so concurrent registrations get distinct numbers. */
async function nextVersion(trx: Db, name: string, now: number): Promise<number> {
  await trx
    .updateTable('registered_models')
    .set((eb) => ({ latest_version: eb('latest_version', '+', 1), updated_at: now }))
    .where('name', '=', name)
    .execute();
  const { latest_version } = await trx.selectFrom('registered_models').select('latest_version').where('name', '=', name).executeTakeFirstOrThrow();
  return Number(latest_version);
}

async function prepareEvaluation(input: EvaluationInput, modelHash: string, name: string): Promise<{ report: EvaluationReport; bytes: Uint8Array }> {
  const { report, bytes, source } = input;
  if (report.model.hash !== modelHash) {
    throw new LoomError('REGISTRY_EVALUATION_MISMATCH', { source, reportHash: report.model.hash.slice(0, 12), name, version: '(new)', modelHash: modelHash.slice(0, 12) }, { details: { field: 'eval' } });
  }
  return { report, bytes };
}
