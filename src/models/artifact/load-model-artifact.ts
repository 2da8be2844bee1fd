import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LoomError } from '../../core/errors/index.js';
import { sha256Hex } from '../../core/hashing.js';
import { manifestHash } from './manifest-hash.js';
import type { LoadedModelArtifact } from './model-artifact.js';
import { MANIFEST_FILE, MODEL_FORMAT_VERSION, manifestZod, type ModelManifest } from './model-manifest.js';
import { firstIssue } from '../../core/zod-issue.js';

/**
 * Reads a model directory and verifies it: the manifest parses and has the documented shape, its format version is
 * one this Loom reads, its own hash matches, and every listed file exists and matches its SHA-256.
 *
 * @throws LOOM_ERR_ARTIFACT_MODEL_FILE_MISSING, LOOM_ERR_ARTIFACT_MODEL_FORMAT_UNSUPPORTED,
 *   LOOM_ERR_ARTIFACT_MODEL_INVALID, LOOM_ERR_ARTIFACT_MODEL_TAMPERED
 * @example
 * const model = await loadModelArtifact('models/churn');
 * console.log(model.manifest.flavor, model.id);
 */
export async function loadModelArtifact(dir: string): Promise<LoadedModelArtifact> {
  const root = resolve(dir);
  const text = await readOrMissing(root, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(text));
  } catch (err) {
    throw new LoomError('ARTIFACT_MODEL_INVALID', { dir: root, field: MANIFEST_FILE, problem: (err as Error).message }, { cause: err, details: { field: MANIFEST_FILE } });
  }
  // The version is checked before the shape: a newer format may have a shape this Loom does not know.
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > MODEL_FORMAT_VERSION) {
    throw new LoomError('ARTIFACT_MODEL_FORMAT_UNSUPPORTED', { dir: root, version, supported: MODEL_FORMAT_VERSION }, { details: { field: 'formatVersion' } });
  }
  const parsed = manifestZod.safeParse(raw);
  if (!parsed.success) {
    const { field, problem } = firstIssue(parsed.error, MANIFEST_FILE);
    throw new LoomError('ARTIFACT_MODEL_INVALID', { dir: root, field, problem }, { details: { field } });
  }
  const manifest = parsed.data as ModelManifest;
  const { manifestHash: recorded, ...body } = manifest;
  if (manifestHash(body) !== recorded) {
    throw new LoomError('ARTIFACT_MODEL_TAMPERED', { dir: root, file: MANIFEST_FILE, problem: 'was edited after saving' }, { details: { field: MANIFEST_FILE } });
  }
  const files = new Map<string, Uint8Array>();
  for (const file of manifest.files) {
    const bytes = await readOrMissing(root, file.name);
    if (bytes.byteLength !== file.bytes || sha256Hex(bytes) !== file.sha256) {
      throw new LoomError('ARTIFACT_MODEL_TAMPERED', { dir: root, file: file.name, problem: 'does not match its recorded SHA-256' }, { details: { field: file.name } });
    }
    files.set(file.name, bytes);
  }
  const { formatVersion, files: _listed, ...rest } = body;
  return { id: recorded, dir: root, formatVersion, manifest: rest, files };
}

async function readOrMissing(root: string, name: string): Promise<Uint8Array> {
  try {
    return await readFile(join(root, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new LoomError('ARTIFACT_MODEL_FILE_MISSING', { dir: root, file: name }, { cause: err, details: { field: name } });
    throw err;
  }
}
