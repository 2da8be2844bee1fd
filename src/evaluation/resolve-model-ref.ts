import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LoomError } from '../core/errors/index.js';
import type { Workspace } from '../storage/workspace.js';

/** A model argument resolved to its directory, with its registry identity when it came from the registry. */
export interface ResolvedModelRef {
  readonly dir: string;
  readonly name?: string;
  readonly version?: number;
}

/** Registry references: a model name, optionally `@version`, `@alias` or `@latest`; never a path. */
const REGISTRY_REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(@[A-Za-z0-9_-]+)?$/;

/**
 * Resolves the model argument of `loom eval`: first a model directory (a path, absolute or relative to the working
 * directory, or a folder name under `<workspace>/models/`), then a registry reference (`churn`, `churn@3`,
 * `churn@champion`) resolved by the model registry to its verified directory. This is the one place that decides what
 * a model argument means.
 *
 * @throws LOOM_ERR_EVAL_MODEL_NOT_FOUND when the argument is neither a model directory nor a registry reference; the
 *   registry's errors (LOOM_ERR_REGISTRY_MODEL_NOT_FOUND, …) for an unknown registered model, version or alias
 */
export async function resolveModelRef(ws: Workspace, ref: string): Promise<ResolvedModelRef> {
  const candidates = [resolve(ref), join(ws.config.home, 'models', ref)];
  for (const dir of candidates) {
    if (existsSync(dir) && statSync(dir).isDirectory() && existsSync(join(dir, 'manifest.json'))) return { dir };
  }
  if (REGISTRY_REF.test(ref)) {
    // Loaded on demand: evaluating a model directory never needs the registry.
    const { resolveRegisteredModel } = await import('../registry/model-registry.js');
    const found = await resolveRegisteredModel(ws, ref);
    return { dir: found.dir, name: found.name, version: found.version };
  }
  throw new LoomError('EVAL_MODEL_NOT_FOUND', { ref, problem: `neither ${candidates.join(' nor ')} is a model directory with a manifest.json, and it is not a registry reference (name@alias)` }, { details: { field: 'model' } });
}
