import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Progress } from '../cli/progress.js';
import type { EvaluationReport } from '../evaluation/evaluation-report.js';
import type { ArtifactStore } from '../storage/artifacts/index.js';
import type { LoomDatabase } from '../storage/metadata/database.js';
import type { Workspace } from '../storage/workspace.js';
import { attachEvaluation, evaluationInput, loadEvaluation, type EvaluationInput } from './attach-evaluation.js';
import { deleteAlias, rollbackAlias, setAlias, type AliasMove, type SetAliasOptions } from './move-alias.js';
import { commitPromotion, planPromotion, type PromoteRequest, type PromotionPlan, type PromotionResult } from './promote-model.js';
import { registerModelVersion, type RegisterModelRequest, type RegisterModelResult } from './register-model-version.js';
import type { AttachedEvaluation, ModelAlias, ModelVersion, RegisteredModel, RegistryEvent } from './registered-model.js';
import type { RegistryContext } from './registry-context.js';
import { localPrincipal, type Principal } from './registry-principal.js';
import { getModel, getVersion, listAliases, listEvaluations, listHistory, listModels, listVersions, type ModelSummary } from './registry-queries.js';
import { findVersion, resolveModel, type ResolvedModel } from './resolve-model-ref.js';
import { setStage, updateLabels, type LabelUpdate } from './update-model.js';
import { versionLineage, type VersionLineage } from './version-lineage.js';
import { readFeatureRefs, type ModelFeatureRef } from './model-feature-refs.js';

/** What a registry runs on. */
export interface ModelRegistryOptions {
  readonly db: Kysely<LoomDatabase>;
  readonly artifacts: ArtifactStore;
  /** Where resolved versions are rebuilt as model directories. */
  readonly cacheDir: string;
  /** Who acts (recorded in the history, checked against the permission table). Default: localPrincipal(). */
  readonly principal?: Principal;
  /** The clock, epoch ms (tests pin it). */
  readonly now?: () => number;
}

/**
 * The model registry: named models with immutable, numbered versions (each linking its artifact in the
 * content-addressed store, run, signature, lineage, evaluation reports and model card), movable aliases, stages,
 * gated promotion, one-step rollback and a full history of who did what. It runs on the workspace's metadata store,
 * SQLite (embedded default) or PostgreSQL, with the same behaviour: every alias move is a compare-and-set inside a
 * transaction, so of two concurrent promotions exactly one wins.
 *
 * @example
 * const ws = Workspace.open();
 * const registry = await ModelRegistry.open(ws);
 * const { version } = await registry.register({ dir: 'models/churn', name: 'churn' });
 * await registry.setAlias('churn', 'champion', version.version);
 * const { dir } = await registry.resolve('churn@champion');
 * await ws.close();
 */
export class ModelRegistry {
  readonly #ctx: RegistryContext;

  constructor(options: ModelRegistryOptions) {
    this.#ctx = { db: options.db, artifacts: options.artifacts, cacheDir: options.cacheDir, principal: options.principal ?? localPrincipal(), now: options.now ?? Date.now };
  }

  /** A registry over a workspace's metadata and artifact stores; resolved models are cached in `<home>/registry`. */
  static async open(ws: Workspace, options: { principal?: Principal; now?: () => number } = {}): Promise<ModelRegistry> {
    const [metadata, artifacts] = await Promise.all([ws.metadata(), ws.artifacts()]);
    return new ModelRegistry({ db: metadata.db, artifacts, cacheDir: join(ws.config.home, 'registry'), ...options });
  }

  /** The acting principal. */
  get principal(): Principal {
    return this.#ctx.principal;
  }

  /** A registry acting as another principal, over the same stores. */
  as(principal: Principal): ModelRegistry {
    return new ModelRegistry({ ...this.#ctx, principal });
  }

  /** Registers a model directory as the next version (see registerModelVersion for the checks). */
  register(request: RegisterModelRequest, progress?: Progress): Promise<RegisterModelResult> {
    return registerModelVersion(this.#ctx, request, progress);
  }

  /** The feature-store refs a version was trained on (empty when its data did not come from the feature store). */
  async featureRefs(name: string, version: number): Promise<ModelFeatureRef[]> {
    await getVersion(this.#ctx, name, version);
    return readFeatureRefs(this.#ctx.db, name, version);
  }

  /** Attaches an evaluation report (a validated input, or a report object) to a version. */
  attachEvaluation(name: string, version: number, report: EvaluationInput | EvaluationReport): Promise<AttachedEvaluation> {
    const input = 'bytes' in report ? report : evaluationInput(report);
    return attachEvaluation(this.#ctx, name, version, input);
  }

  /** Every registered model with its aliases and version count, by name. */
  list(): Promise<ModelSummary[]> {
    return listModels(this.#ctx);
  }

  get(name: string): Promise<RegisteredModel> {
    return getModel(this.#ctx, name);
  }

  /** Versions, newest first. */
  versions(name: string): Promise<ModelVersion[]> {
    return listVersions(this.#ctx, name);
  }

  version(name: string, version: number): Promise<ModelVersion> {
    return getVersion(this.#ctx, name, version);
  }

  aliases(name: string): Promise<ModelAlias[]> {
    return getModel(this.#ctx, name).then(() => listAliases(this.#ctx, name));
  }

  /** Evaluation reports attached to a version, newest first. */
  evaluations(name: string, version: number): Promise<AttachedEvaluation[]> {
    return listEvaluations(this.#ctx, name, version);
  }

  /** Reads an attached report back from the artifact store. */
  evaluationReport(evaluation: AttachedEvaluation): Promise<EvaluationReport> {
    return loadEvaluation(this.#ctx, evaluation);
  }

  /** The model card (Markdown) of a version: the one registered with it, else the newest evaluation's; or null. */
  async card(name: string, version: number): Promise<string | null> {
    const record = await getVersion(this.#ctx, name, version);
    const blob = record.cardBlob ?? (await listEvaluations(this.#ctx, name, version)).find((e) => e.cardBlob !== null)?.cardBlob ?? null;
    return blob === null ? null : new TextDecoder().decode(await this.#ctx.artifacts.get(blob));
  }

  /** History, newest first. */
  history(name: string, limit?: number): Promise<RegistryEvent[]> {
    return listHistory(this.#ctx, name, limit);
  }

  /** Points an alias at a version (atomically; conditional with `expectVersion`). */
  setAlias(name: string, alias: string, version: number, options?: SetAliasOptions): Promise<AliasMove> {
    return setAlias(this.#ctx, name, alias, version, options);
  }

  deleteAlias(name: string, alias: string, reason?: string): Promise<ModelAlias> {
    return deleteAlias(this.#ctx, name, alias, reason);
  }

  /** Applies the gate and moves `to` (default champion) to the version of `from` (default challenger). */
  async promote(request: PromoteRequest): Promise<PromotionResult> {
    return commitPromotion(this.#ctx, await planPromotion(this.#ctx, request));
  }

  /** The first half of promote: reads the aliases and applies the gate, writing nothing. */
  planPromotion(request: PromoteRequest): Promise<PromotionPlan> {
    return planPromotion(this.#ctx, request);
  }

  /** The second half of promote: compare-and-sets the aliases against the plan, in one transaction. */
  commitPromotion(plan: PromotionPlan): Promise<PromotionResult> {
    return commitPromotion(this.#ctx, plan);
  }

  /** Moves an alias (default champion) back to its previous holder. */
  rollback(name: string, alias = 'champion', reason?: string): Promise<AliasMove> {
    return rollbackAlias(this.#ctx, name, alias, reason);
  }

  setStage(name: string, version: number, stage: string, options?: { archiveExisting?: boolean; reason?: string }): Promise<{ version: ModelVersion; archived: number[] }> {
    return setStage(this.#ctx, name, version, stage, options);
  }

  /** Updates the description and tags of a model (no version) or a version. */
  update(name: string, version: number | undefined, update: LabelUpdate): Promise<void> {
    return updateLabels(this.#ctx, name, version, update);
  }

  /** The version a reference names, without materializing it. */
  async find(ref: string): Promise<ModelVersion> {
    return (await findVersion(this.#ctx, ref)).record;
  }

  /** Resolves `name`, `name@<version>` or `name@<alias>` to a verified model directory. */
  resolve(ref: string): Promise<ResolvedModel> {
    return resolveModel(this.#ctx, ref);
  }

  /** Datasets → run → version → deployments of the version a reference names. */
  lineage(ref: string): Promise<VersionLineage> {
    return versionLineage(this.#ctx, ref);
  }
}

/**
 * Resolves a registry reference to a verified model directory in a workspace, for commands that take a model
 * (`eval`, `predict`, `serve`): `churn@champion`, `churn@3`, or `churn` (the newest version that is not archived).
 *
 * @throws LOOM_ERR_REGISTRY_REF_INVALID, LOOM_ERR_REGISTRY_MODEL_NOT_FOUND, LOOM_ERR_REGISTRY_VERSION_NOT_FOUND,
 *   LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND
 * @example
 * const { dir, version } = await resolveRegisteredModel(ws, 'churn@champion');
 */
export async function resolveRegisteredModel(ws: Workspace, ref: string): Promise<ResolvedModel> {
  return (await ModelRegistry.open(ws)).resolve(ref);
}
