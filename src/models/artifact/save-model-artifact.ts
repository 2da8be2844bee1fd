import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LoomError } from '../../core/errors/index.js';
import { canonicalJson, sha256Hex } from '../../core/hashing.js';
import { manifestHash } from './manifest-hash.js';
import type { ModelArtifact } from './model-artifact.js';
import { MANIFEST_FILE, MODEL_FILE_NAME, MODEL_FORMAT_VERSION, type ModelManifest } from './model-manifest.js';
import { writeDurably } from '../../core/durable-file.js';

/** Options of saveModelArtifact. */
export interface SaveModelOptions {
  /** Replace a model already at `dir` (default false: LOOM_ERR_ARTIFACT_MODEL_EXISTS). */
  readonly overwrite?: boolean;
}

/**
 * Writes a model directory: each file, then `manifest.json` listing every file's SHA-256 and the manifest's own hash.
 * The manifest is canonical JSON (sorted keys) indented for reading, so the same model always gives the same bytes.
 * The directory is built beside `dir` and renamed into place, so a crash never leaves half a model at `dir`.
 *
 * @returns the model id (the manifest hash) and the written manifest.
 * @throws LOOM_ERR_ARTIFACT_MODEL_EXISTS, LOOM_ERR_ARTIFACT_MODEL_INVALID (a bad file name)
 * @example
 * const { id } = await saveModelArtifact('models/churn', { manifest, files: new Map([['model.json', bytes]]) });
 */
export async function saveModelArtifact(dir: string, artifact: ModelArtifact, options: SaveModelOptions = {}): Promise<{ id: string; manifest: ModelManifest }> {
  const target = resolve(dir);
  if (existsSync(target) && !options.overwrite) throw new LoomError('ARTIFACT_MODEL_EXISTS', { dir: target }, { details: { field: 'out' } });
  const names = [...artifact.files.keys()].sort();
  for (const name of names) {
    if (!MODEL_FILE_NAME.test(name) || name === MANIFEST_FILE) {
      throw new LoomError('ARTIFACT_MODEL_INVALID', { dir: target, field: `files.${name}`, problem: 'file names are lowercase letters, digits, ".", "_" and "-", and not manifest.json' }, { details: { field: 'files' } });
    }
  }
  const files = names.map((name) => {
    const bytes = artifact.files.get(name)!;
    return { name, sha256: sha256Hex(bytes), bytes: bytes.byteLength };
  });
  const body = { ...artifact.manifest, formatVersion: MODEL_FORMAT_VERSION, files };
  const manifest: ModelManifest = { ...body, manifestHash: manifestHash(body) };

  await mkdir(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(staging);
  try {
    for (const name of names) await writeDurably(join(staging, name), artifact.files.get(name)!);
    await writeDurably(join(staging, MANIFEST_FILE), new TextEncoder().encode(readableJson(manifest)));
    if (existsSync(target)) {
      const old = `${staging}.old`;
      await rename(target, old);
      await rename(staging, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(staging, target);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { id: manifest.manifestHash, manifest };
}

/** Canonical JSON re-indented: sorted keys, two spaces, a final newline. */
function readableJson(value: unknown): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
}
