import type { Schema } from '../core/schema/index.js';
import type { ModelLineage, OutputSignature } from '../models/artifact/index.js';
import type { ModelAliasTable, ModelEvaluationTable, ModelVersionTable, RegisteredModelTable, RegistryEventTable } from '../storage/metadata/database.js';
import type { ModelStage } from './model-ref.js';

/** A registered model: a name holding numbered versions and movable aliases. Times are epoch ms (UTC). */
export interface RegisteredModel {
  readonly name: string;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The highest version number given out (0 before the first registration). */
  readonly latestVersion: number;
  /** Alias → version. */
  readonly aliases: Readonly<Record<string, number>>;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
}

/**
 * One registered version. Immutable: its artifact (`modelHash`, the manifest hash, and every file's SHA-256, all
 * stored in the artifact store), run, signature, lineage and model card. Mutable labels: stage, description, tags.
 */
export interface ModelVersion {
  readonly name: string;
  readonly version: number;
  readonly modelHash: string;
  readonly flavor: string;
  readonly task: string;
  readonly runId: string | null;
  readonly manifestBlob: string;
  readonly files: readonly { readonly name: string; readonly sha256: string; readonly bytes: number }[];
  readonly signature: { readonly input: Schema; readonly output: OutputSignature };
  readonly lineage: ModelLineage;
  /** Artifact-store hash of the model card (Markdown), or null. */
  readonly cardBlob: string | null;
  readonly sourceDir: string;
  readonly stage: ModelStage;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly createdBy: string;
}

/** An evaluation report attached to a version; the report is the artifact-store blob `reportBlob`. */
export interface AttachedEvaluation {
  readonly id: number;
  readonly name: string;
  readonly version: number;
  readonly reportBlob: string;
  readonly cardBlob: string | null;
  readonly dataRef: string;
  readonly dataRows: number;
  readonly evaluatedAt: number;
  readonly attachedAt: number;
  readonly attachedBy: string;
}

/** Where an alias points, and its revision (it grows by one per move). */
export interface ModelAlias {
  readonly alias: string;
  readonly version: number;
  readonly revision: number;
  readonly updatedAt: number;
  readonly updatedBy: string;
}

/** One history entry: who did what, when, and why. */
export interface RegistryEvent {
  readonly id: number;
  readonly name: string;
  readonly version: number | null;
  readonly action: string;
  readonly alias: string | null;
  readonly fromVersion: number | null;
  readonly toVersion: number | null;
  readonly actor: string;
  readonly reason: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

/** @internal */
export function modelFromRow(row: RegisteredModelTable, aliases: Record<string, number>): RegisteredModel {
  return {
    name: row.name,
    description: row.description,
    tags: JSON.parse(row.tags_json) as Record<string, string>,
    latestVersion: Number(row.latest_version),
    aliases,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    createdBy: row.created_by,
  };
}

/** @internal */
export function versionFromRow(row: ModelVersionTable): ModelVersion {
  return {
    name: row.model,
    version: Number(row.version),
    modelHash: row.model_hash,
    flavor: row.flavor,
    task: row.task,
    runId: row.run_id,
    manifestBlob: row.manifest_blob,
    files: JSON.parse(row.files_json) as ModelVersion['files'],
    signature: JSON.parse(row.signature_json) as ModelVersion['signature'],
    lineage: JSON.parse(row.lineage_json) as ModelLineage,
    cardBlob: row.card_blob,
    sourceDir: row.source_dir,
    stage: row.stage as ModelStage,
    description: row.description,
    tags: JSON.parse(row.tags_json) as Record<string, string>,
    createdAt: Number(row.created_at),
    createdBy: row.created_by,
  };
}

/** @internal */
export function evaluationFromRow(row: Omit<ModelEvaluationTable, 'id'> & { id: number }): AttachedEvaluation {
  return {
    id: Number(row.id),
    name: row.model,
    version: Number(row.version),
    reportBlob: row.report_blob,
    cardBlob: row.card_blob,
    dataRef: row.data_ref,
    dataRows: Number(row.data_rows),
    evaluatedAt: Number(row.evaluated_at),
    attachedAt: Number(row.attached_at),
    attachedBy: row.attached_by,
  };
}

/** @internal */
export function aliasFromRow(row: ModelAliasTable): ModelAlias {
  return { alias: row.alias, version: Number(row.version), revision: Number(row.revision), updatedAt: Number(row.updated_at), updatedBy: row.updated_by };
}

/** @internal */
export function eventFromRow(row: Omit<RegistryEventTable, 'id'> & { id: number }): RegistryEvent {
  return {
    id: Number(row.id),
    name: row.model,
    version: row.version === null ? null : Number(row.version),
    action: row.action,
    alias: row.alias,
    fromVersion: row.from_version === null ? null : Number(row.from_version),
    toVersion: row.to_version === null ? null : Number(row.to_version),
    actor: row.actor,
    reason: row.reason,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
    createdAt: Number(row.created_at),
  };
}
