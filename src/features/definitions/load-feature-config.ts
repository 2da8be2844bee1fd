import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ERROR_CATALOGUE, isLoomError, LoomError, type ErrorName } from '../../core/errors/index.js';
import type { FeatureConfig } from './define-config.js';

/** Node's CommonJS module cache, where a config that loads as CommonJS is kept under its file name. */
const commonJsCache = createRequire(import.meta.url).cache;
/** Per config file: the modification time it was last imported at in this process. */
const loadedAt = new Map<string, number>();

/** The config file `loom features` reads by default, in the working directory. */
export const FEATURE_CONFIG_FILE = 'loom.config.ts';

/** A loaded config and the folder its relative paths are resolved from. */
export interface LoadedFeatureConfig {
  readonly config: FeatureConfig;
  /** Absolute path of the config file. */
  readonly path: string;
  /** Its folder: relative file-source paths are resolved from here. */
  readonly baseDir: string;
}

/**
 * Imports a TypeScript (or JavaScript) config module and returns its default export, which must come from
 * defineConfig(). TypeScript needs the tsx loader, which the `loom` CLI always has. The module is re-imported when
 * the file changed since the last load in this process.
 *
 * @throws LOOM_ERR_FEATURES_CONFIG_NOT_FOUND, LOOM_ERR_FEATURES_CONFIG_LOAD_FAILED, and the definition errors the
 *   module's own builders throw
 * @example
 * const { config, baseDir } = await loadFeatureConfig('loom.config.ts');
 * await applyFeatures(ws, config, { baseDir });
 */
export async function loadFeatureConfig(path: string = FEATURE_CONFIG_FILE, cwd: string = process.cwd()): Promise<LoadedFeatureConfig> {
  const absolute = resolve(cwd, path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) throw new LoomError('FEATURES_CONFIG_NOT_FOUND', { path: absolute }, { details: { field: 'config' } });
  let module: { default?: unknown };
  const mtime = statSync(absolute).mtimeMs;
  // The query makes the ES module loader import a changed file anew; a config that loads as CommonJS (a .ts file
  // outside a `"type": "module"` package) sits in the CommonJS cache too, which ignores the query.
  if (loadedAt.get(absolute) !== mtime) delete commonJsCache[absolute];
  loadedAt.set(absolute, mtime);
  try {
    await registerCommonJsTypeScript();
    module = (await import(`${pathToFileURL(absolute).href}?mtime=${mtime}`)) as { default?: unknown };
  } catch (err) {
    if (isLoomError(err)) throw err;
    const foreign = adoptLoomError(err);
    if (foreign !== null) throw foreign;
    throw new LoomError('FEATURES_CONFIG_LOAD_FAILED', { path: absolute, problem: ((err as Error)?.message ?? String(err)).split('\n')[0] }, { cause: err, details: { field: 'config' } });
  }
  const config = module.default as FeatureConfig | undefined;
  if (config?.kind !== 'feature-config') {
    throw new LoomError('FEATURES_CONFIG_LOAD_FAILED', { path: absolute, problem: 'its default export was not made by defineConfig()' }, { details: { field: 'config' } });
  }
  return { config, path: absolute, baseDir: dirname(absolute) };
}

let commonJsHook: Promise<unknown> | null = null;

/**
 * Registers tsx's CommonJS loader, once per process, so a config that loads as CommonJS can require TypeScript (Loom's
 * own modules included). Loom's processes run under tsx's ES module loader only (decision 0013): the CommonJS one
 * scans each CommonJS file with a WebAssembly lexer on the main thread, whose growing memory detaches an ArrayBuffer
 * and slows every typed-array access in the process from then on. So it is registered here, in the processes that
 * load a feature config, and nowhere else. Where tsx is not installed (a built Loom), configs load as they are.
 */
async function registerCommonJsTypeScript(): Promise<void> {
  commonJsHook ??= import('tsx/cjs/api').then((api: { register: () => unknown }) => api.register(), () => null);
  await commonJsHook;
}

/**
 * A config run as CommonJS (a .ts file outside a `"type": "module"` package) loads its own copy of Loom's modules, so
 * its LoomErrors are instances of another class. Such an error is re-made here with the same code, message, details
 * and cause, so the CLI reports it as the coded error it is.
 */
function adoptLoomError(err: unknown): LoomError | null {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; details?: unknown } | null;
  if (e === null || typeof e !== 'object' || e.name !== 'LoomError' || typeof e.code !== 'string' || !e.code.startsWith('LOOM_ERR_')) return null;
  const name = e.code.slice('LOOM_ERR_'.length);
  if (!(name in ERROR_CATALOGUE)) return null;
  const adopted = new LoomError(name as ErrorName, {}, { cause: err, details: e.details as LoomError['details'] });
  Object.defineProperty(adopted, 'message', { value: String(e.message), enumerable: false, writable: true, configurable: true });
  return adopted;
}
