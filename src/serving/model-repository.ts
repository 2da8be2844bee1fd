import { resolve as resolvePath } from 'node:path';
import { LoomError, isLoomError } from '../core/errors/index.js';
import { suggestName } from '../models/gbdt/params/suggest-name.js';
import { parseModelRef, type ModelRegistry } from '../registry/index.js';
import { loadModel, type LoadedModel } from '../training/index.js';
import { rowScorerFor } from './batching/row-scorer.js';
import { servedModel, type ModelSelector, type ServedModel } from './served-model.js';
import { DEFAULT_ALIAS_REFRESH_MS } from './serving-defaults.js';

export { DEFAULT_ALIAS_REFRESH_MS };
/** Loaded model versions kept in memory; the least recently loaded non-default one is dropped beyond this. */
export const DEFAULT_MAX_LOADED = 16;

/** Options of ModelRepository. */
export interface ModelRepositoryOptions {
  /** When set, any registered model can be served by name, version or alias, loaded on first use. */
  readonly registry?: ModelRegistry | null;
  /** See DEFAULT_ALIAS_REFRESH_MS. 0 asks the registry on every request. */
  readonly aliasRefreshMs?: number;
  readonly maxLoaded?: number;
  /** The clock, epoch ms (tests pin it). */
  readonly now?: () => number;
}

interface Resolution {
  readonly expires: number;
  readonly result: Promise<{ version: number; modelHash: string; alias: string | null }>;
  /** The result once the registry answered (ready() reads it without waiting). */
  settled?: { version: number; modelHash: string; alias: string | null };
}

/**
 * The models a server answers for. Two sources, which can be mixed:
 * - directories (`addDirectory`): served under a fixed name as version `1`;
 * - the registry: `serve('churn@champion')` preloads a reference and makes it the name's default; with a registry
 *   every other registered model and version is served too, loaded on first request. Alias and `latest`
 *   resolutions are cached for `aliasRefreshMs`, so moving an alias swaps the served version within that delay
 *   without a restart; requests in flight keep the version they started with.
 * Loaded models are cached by content hash, so two aliases on one version share one copy.
 */
export class ModelRepository {
  readonly #registry: ModelRegistry | null;
  readonly #aliasRefreshMs: number;
  readonly #maxLoaded: number;
  readonly #now: () => number;
  readonly #directories = new Map<string, ServedModel>();
  /** Name → the reference its requests use when they name no version or alias. */
  readonly #defaults = new Map<string, string>();
  readonly #resolutions = new Map<string, Resolution>();
  readonly #loaded = new Map<string, Promise<LoadedModel>>();
  /**
   * The ServedModel last handed out per name, version and alias: the same object while the model stays loaded, so
   * per-model caches keyed by it (bound metric series, answer parts) hold across requests.
   */
  readonly #served = new Map<string, { readonly modelHash: string; readonly served: ServedModel }>();

  constructor(options: ModelRepositoryOptions = {}) {
    this.#registry = options.registry ?? null;
    this.#aliasRefreshMs = options.aliasRefreshMs ?? DEFAULT_ALIAS_REFRESH_MS;
    this.#maxLoaded = options.maxLoaded ?? DEFAULT_MAX_LOADED;
    this.#now = options.now ?? Date.now;
  }

  /** True when a registry backs this repository. */
  get hasRegistry(): boolean {
    return this.#registry !== null;
  }

  /**
   * Loads a model directory (verifying every file hash) and serves it as `name`, version `1`.
   * @throws the artifact errors of loadModel, LOOM_ERR_SERVING_INVALID_OPTION for a bad or duplicate name
   */
  async addDirectory(name: string, dir: string): Promise<ServedModel> {
    checkName(name);
    if (this.#directories.has(name) || this.#defaults.has(name)) throw new LoomError('SERVING_INVALID_OPTION', { field: 'models', problem: `the name "${name}" is given twice` }, { details: { field: 'models' } });
    const served = servedModel(name, '1', null, warmed(await loadModel(resolvePath(dir))));
    this.#directories.set(name, served);
    return served;
  }

  /**
   * Serves a registry reference (`name`, `name@3`, `name@champion`) and makes it the default for `name`; loads it now
   * so the server is ready only once it can answer.
   * @throws LOOM_ERR_SERVING_INVALID_OPTION without a registry, the registry's reference and lookup errors
   */
  async serve(ref: string): Promise<ServedModel> {
    const parsed = parseModelRef(ref);
    if (this.#registry === null) throw new LoomError('SERVING_INVALID_OPTION', { field: 'models', problem: `"${ref}" is a registry reference, and this server has no registry` }, { details: { field: 'models' } });
    if (this.#directories.has(parsed.name) || this.#defaults.has(parsed.name)) throw new LoomError('SERVING_INVALID_OPTION', { field: 'models', problem: `the name "${parsed.name}" is given twice` }, { details: { field: 'models' } });
    this.#defaults.set(parsed.name, ref);
    try {
      return await this.get(parsed.name, {});
    } catch (err) {
      this.#defaults.delete(parsed.name);
      throw err;
    }
  }

  /** Names served by default (directories and `serve` references), sorted. */
  names(): string[] {
    return [...new Set([...this.#directories.keys(), ...this.#defaults.keys()])].sort();
  }

  /**
   * The model version a request names.
   * @throws LOOM_ERR_SERVING_MODEL_NOT_FOUND, LOOM_ERR_SERVING_VERSION_NOT_FOUND (404), the registry's 4xx lookup errors
   */
  async get(name: string, selector: ModelSelector): Promise<ServedModel> {
    const dirModel = this.#directories.get(name);
    if (dirModel !== undefined) {
      if (selector.alias !== undefined) throw versionNotFound(name, `@${selector.alias}`, ['1']);
      if (selector.version !== undefined && selector.version !== dirModel.version) throw versionNotFound(name, selector.version, ['1']);
      return dirModel;
    }
    if (this.#registry === null) throw this.#modelNotFound(name);
    const ref = this.#refOf(name, selector);
    if (ref === null) throw versionNotFound(name, selector.version!, await this.versions(name));
    const resolved = await this.#resolve(ref);
    const model = await this.#load(resolved.modelHash, `${name}@${resolved.version}`);
    const key = `${name}\u0000${resolved.version}\u0000${resolved.alias ?? ''}`;
    const last = this.#served.get(key)?.served;
    if (last !== undefined && last.model === model) return last;
    const served = servedModel(name, String(resolved.version), resolved.alias, model);
    this.#served.set(key, { modelHash: resolved.modelHash, served });
    return served;
  }

  /** The versions a client can name for `name`, as strings, ascending (registry versions that are not archived). */
  async versions(name: string): Promise<string[]> {
    const dirModel = this.#directories.get(name);
    if (dirModel !== undefined) return [dirModel.version];
    if (this.#registry === null) throw this.#modelNotFound(name);
    try {
      const versions = await this.#registry.versions(name);
      return versions.filter((v) => v.stage !== 'archived').map((v) => v.version).sort((a, b) => a - b).map(String);
    } catch (err) {
      throw this.#translate(err, name);
    }
  }

  /**
   * What get(name, selector) would answer, when it can be told without waiting: a served directory, or a registry
   * reference whose resolution is fresh and whose model is loaded. Undefined otherwise (get then finds it, or throws
   * the error); the serving routes call it first so that a request for a loaded model is answered without a promise.
   */
  ready(name: string, selector: ModelSelector): ServedModel | undefined {
    const dirModel = this.#directories.get(name);
    if (dirModel !== undefined) return selector.alias === undefined && (selector.version === undefined || selector.version === dirModel.version) ? dirModel : undefined;
    if (this.#registry === null) return undefined;
    const ref = this.#refOf(name, selector);
    const cached = ref === null ? undefined : this.#resolutions.get(ref);
    const resolved = cached !== undefined && cached.expires > this.#now() ? cached.settled : undefined;
    if (resolved === undefined) return undefined;
    const entry = this.#served.get(`${name}\u0000${resolved.version}\u0000${resolved.alias ?? ''}`);
    return entry !== undefined && entry.modelHash === resolved.modelHash ? entry.served : undefined;
  }

  /** The registry reference a request for `name` resolves, or null for a version that is no version number. */
  #refOf(name: string, selector: ModelSelector): string | null {
    if (selector.version !== undefined) return /^[1-9][0-9]{0,15}$/.test(selector.version) ? `${name}@${selector.version}` : null;
    if (selector.alias !== undefined) return `${name}@${selector.alias}`;
    return this.#defaults.get(name) ?? name;
  }

  #resolve(ref: string): Promise<{ version: number; modelHash: string; alias: string | null }> {
    const now = this.#now();
    const cached = this.#resolutions.get(ref);
    if (cached !== undefined && cached.expires > now) return cached.result;
    const parsed = parseModelRef(ref);
    const name = parsed.name;
    const resolution: Resolution = {
      expires: parsed.kind === 'version' ? Number.POSITIVE_INFINITY : now + this.#aliasRefreshMs,
      result: this.#registry!.find(ref).then(
        (r) => (resolution.settled = { version: r.version, modelHash: r.modelHash, alias: parsed.kind === 'alias' ? parsed.alias : null }),
        (err: unknown) => {
          this.#resolutions.delete(ref);
          throw this.#translate(err, name);
        },
      ),
    };
    if (this.#resolutions.size > 10_000) this.#resolutions.clear();
    this.#resolutions.set(ref, resolution);
    return resolution.result;
  }

  /** The loaded model of an artifact; only a model not loaded yet is rebuilt (and verified) from the registry. */
  #load(modelHash: string, pinnedRef: string): Promise<LoadedModel> {
    let loading = this.#loaded.get(modelHash);
    if (loading === undefined) {
      loading = this.#registry!.resolve(pinnedRef).then(async (r) => warmed(await loadModel(r.dir)));
      loading.catch(() => this.#loaded.delete(modelHash));
      this.#loaded.set(modelHash, loading);
      if (this.#loaded.size > this.#maxLoaded) {
        const oldest = this.#loaded.keys().next().value;
        if (oldest !== undefined && oldest !== modelHash) {
          this.#loaded.delete(oldest);
          // The evicted model is let go: no ServedModel keeps it.
          for (const [key, entry] of this.#served) if (entry.modelHash === oldest) this.#served.delete(key);
        }
      }
    }
    return loading;
  }

  /** Registry "model not found" becomes the serving code; other registry 4xx errors pass through unchanged. */
  #translate(err: unknown, name: string): unknown {
    if (isLoomError(err, 'REGISTRY_MODEL_NOT_FOUND')) return this.#modelNotFound(name);
    return err;
  }

  #modelNotFound(name: string): LoomError {
    const known = this.names();
    const near = suggestName(name, known);
    return new LoomError(
      'SERVING_MODEL_NOT_FOUND',
      { name, suggestion: near === null ? '' : ` Did you mean "${near}"?`, known: known.length === 0 ? '(none)' : known.join(', ') },
      { details: { field: 'name', ...(near === null ? {} : { suggestion: near }) } },
    );
  }
}

function versionNotFound(name: string, version: string, known: readonly string[]): LoomError {
  return new LoomError('SERVING_VERSION_NOT_FOUND', { name, version, known: known.length === 0 ? '(none)' : known.join(', ') }, { details: { field: 'version', known } });
}

function checkName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) {
    throw new LoomError('SERVING_INVALID_OPTION', { field: 'models', problem: `"${name}" is not a model name (letters, digits, ".", "_", "-"; up to 128)` }, { details: { field: 'models' } });
  }
}

/**
 * A loaded model made ready to answer its first request as fast as the next: its row scorer is built and has scored
 * one row, so a GBDT's single-row code is generated (predict/row-code.ts) before traffic reaches it, not during a
 * request (which would add several milliseconds to that request, e.g. the first one after a hot swap).
 */
function warmed(model: LoadedModel): LoadedModel {
  rowScorerFor(model)?.warm();
  return model;
}
