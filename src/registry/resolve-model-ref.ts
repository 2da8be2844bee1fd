import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LoomError, isLoomError } from '../core/errors/index.js';
import { loadModelArtifact, MANIFEST_FILE } from '../models/artifact/index.js';
import { parseModelRef, type ModelRef } from './model-ref.js';
import { versionFromRow, type ModelVersion } from './registered-model.js';
import { requireAlias, requireModel, requireVersion, type RegistryContext } from './registry-context.js';
import { authorize } from './registry-principal.js';
import { writeDurably } from '../core/durable-file.js';

/** A reference resolved to a version and a verified model directory. */
export interface ResolvedModel {
  readonly name: string;
  readonly version: number;
  /** The alias the reference named, or null. */
  readonly alias: string | null;
  readonly modelHash: string;
  /** A model directory rebuilt from the artifact store (every file verified), ready for loadModelArtifact. */
  readonly dir: string;
  readonly record: ModelVersion;
}

/**
 * Finds the version a reference names: `name@<version>`, `name@<alias>`, or `name` / `name@latest` (the highest
 * version that is not archived). @internal
 */
export async function findVersion(ctx: RegistryContext, ref: string | ModelRef): Promise<{ record: ModelVersion; alias: string | null }> {
  const parsed = typeof ref === 'string' ? parseModelRef(ref) : ref;
  authorize(ctx.principal, 'read', parsed.name);
  if (parsed.kind === 'version') return { record: versionFromRow(await requireVersion(ctx.db, parsed.name, parsed.version)), alias: null };
  if (parsed.kind === 'alias') {
    const alias = await requireAlias(ctx.db, parsed.name, parsed.alias);
    return { record: versionFromRow(await requireVersion(ctx.db, parsed.name, Number(alias.version))), alias: parsed.alias };
  }
  const model = await requireModel(ctx.db, parsed.name);
  const row = await ctx.db.selectFrom('model_versions').selectAll().where('model', '=', parsed.name).where('stage', '!=', 'archived').orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (row === undefined) {
    const suggestion = model.latest_version === 0 ? ' It has no versions yet.' : ' Every version is archived; name one explicitly (name@<version>).';
    throw new LoomError('REGISTRY_VERSION_NOT_FOUND', { name: parsed.name, version: 'latest', suggestion }, { details: { field: 'version' } });
  }
  return { record: versionFromRow(row), alias: null };
}

/**
 * Resolves a reference to a model directory. The directory is rebuilt from the artifact store's blobs (each verified
 * against its SHA-256 on read) under the registry cache, once per artifact; a cached directory that no longer
 * verifies is rebuilt, so what callers load is always exactly what was registered.
 *
 * @throws LOOM_ERR_REGISTRY_REF_INVALID, LOOM_ERR_REGISTRY_MODEL_NOT_FOUND, LOOM_ERR_REGISTRY_VERSION_NOT_FOUND,
 *   LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND, LOOM_ERR_ARTIFACT_NOT_FOUND / LOOM_ERR_ARTIFACT_CORRUPT (the store)
 * @internal Use ModelRegistry.resolve or resolveRegisteredModel.
 */
export async function resolveModel(ctx: RegistryContext, ref: string | ModelRef): Promise<ResolvedModel> {
  const { record, alias } = await findVersion(ctx, ref);
  const dir = await materialize(ctx, record);
  return { name: record.name, version: record.version, alias, modelHash: record.modelHash, dir, record };
}

async function materialize(ctx: RegistryContext, record: ModelVersion): Promise<string> {
  const dir = join(ctx.cacheDir, record.modelHash);
  if (existsSync(dir)) {
    try {
      if ((await loadModelArtifact(dir)).id === record.modelHash) return dir;
    } catch (err) {
      if (!isLoomError(err)) throw err;
    }
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(ctx.cacheDir, { recursive: true });
  const staging = join(ctx.cacheDir, `.${record.modelHash}.${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(staging);
  try {
    await writeDurably(join(staging, MANIFEST_FILE), await ctx.artifacts.get(record.manifestBlob));
    for (const file of record.files) await writeDurably(join(staging, file.name), await ctx.artifacts.get(file.sha256));
    try {
      await rename(staging, dir);
    } catch (err) {
      // Another process materialized the same artifact first; its directory is as good as ours.
      if (!existsSync(dir)) throw err;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const loaded = await loadModelArtifact(dir);
  if (loaded.id !== record.modelHash) {
    throw new LoomError('ARTIFACT_MODEL_TAMPERED', { dir, file: MANIFEST_FILE, problem: `has hash ${loaded.id.slice(0, 12)}, not the registered ${record.modelHash.slice(0, 12)}` }, { details: { field: MANIFEST_FILE } });
  }
  return dir;
}
