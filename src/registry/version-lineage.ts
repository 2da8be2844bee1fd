import type { ModelLineage } from '../models/artifact/index.js';
import { findVersion } from './resolve-model-ref.js';
import type { RegistryContext } from './registry-context.js';

/** A deployment of a version (rows written by serving/deployment; empty until that exists). */
export interface VersionDeployment {
  readonly id: string;
  readonly alias: string | null;
  readonly environment: string;
  readonly strategy: string;
  readonly status: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
}

/** Where a version came from and where it went: datasets → run → version → deployments. */
export interface VersionLineage {
  readonly name: string;
  readonly version: number;
  readonly modelHash: string;
  /** The dataset versions the model was trained (and validated) on, from its manifest. */
  readonly datasets: ModelLineage['datasets'];
  readonly run: { readonly id: string } | null;
  readonly code: { readonly gitSha: string | null; readonly seed: number | null; readonly loomVersion: string; readonly trainedAt: string };
  /** The data each attached evaluation report was made on, newest first. */
  readonly evaluations: readonly { readonly data: string; readonly rows: number; readonly evaluatedAt: number }[];
  /** Aliases pointing at this version now. */
  readonly aliases: readonly string[];
  readonly deployments: readonly VersionDeployment[];
}

/**
 * The lineage of the version a reference names.
 * @throws as ModelRegistry.resolve (without materializing the directory)
 * @internal Use ModelRegistry.lineage.
 */
export async function versionLineage(ctx: RegistryContext, ref: string): Promise<VersionLineage> {
  const { record } = await findVersion(ctx, ref);
  const { name, version } = record;
  const [evaluations, aliases, deployments] = await Promise.all([
    ctx.db.selectFrom('model_evaluations').select(['data_ref', 'data_rows', 'evaluated_at']).where('model', '=', name).where('version', '=', version).orderBy('id', 'desc').execute(),
    ctx.db.selectFrom('model_aliases').select('alias').where('model', '=', name).where('version', '=', version).orderBy('alias').execute(),
    ctx.db.selectFrom('model_deployments').selectAll().where('model', '=', name).where('version', '=', version).orderBy('created_at').execute(),
  ]);
  return {
    name,
    version,
    modelHash: record.modelHash,
    datasets: record.lineage.datasets,
    run: record.runId === null ? null : { id: record.runId },
    code: { gitSha: record.lineage.gitSha, seed: record.lineage.seed, loomVersion: record.lineage.loomVersion, trainedAt: record.lineage.createdAt },
    evaluations: evaluations.map((e) => ({ data: e.data_ref, rows: Number(e.data_rows), evaluatedAt: Number(e.evaluated_at) })),
    aliases: aliases.map((a) => a.alias),
    deployments: deployments.map((d) => ({
      id: d.id,
      alias: d.alias,
      environment: d.environment,
      strategy: d.strategy,
      status: d.status,
      createdAt: Number(d.created_at),
      updatedAt: Number(d.updated_at),
      createdBy: d.created_by,
    })),
  };
}
