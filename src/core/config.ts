import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { LoomError } from './errors/index.js';

/** The name of the optional JSON config file, looked up in the working directory. */
export const CONFIG_FILE = 'loom.config.json';

const configSchema = z.strictObject({
  /** Workspace folder; every embedded default lives inside it. */
  home: z.string().min(1),
  /** Metadata store: `sqlite://<path>` (embedded default) or `postgres://…`. */
  metadataUri: z.string().min(1),
  /** Artifact store: `file://<path>`. */
  artifactsUri: z.string().min(1),
  /** Event log: `sqlite://<path>` (embedded default) or `nats://host:port`. */
  eventsUri: z.string().min(1),
  /** Key-value store: `sqlite://<path>` (embedded default) or `redis://host:port[/db]`. */
  kvUri: z.string().min(1),
  /** Default seed for anything random that is not given one. */
  seed: z.number().int().nonnegative(),
});

/** Resolved Loom configuration. Paths inside URIs are absolute once resolved. */
export type LoomConfig = z.infer<typeof configSchema>;

const fileSchema = configSchema.partial();

/** Environment variables that override the config file, and the key each one sets. */
export const CONFIG_ENV: ReadonlyArray<readonly [string, keyof LoomConfig]> = [
  ['LOOM_HOME', 'home'],
  ['LOOM_METADATA_URI', 'metadataUri'],
  ['LOOM_ARTIFACTS_URI', 'artifactsUri'],
  ['LOOM_EVENTS_URI', 'eventsUri'],
  ['LOOM_KV_URI', 'kvUri'],
  ['LOOM_SEED', 'seed'],
];

/** Where configuration comes from. Precedence: `overrides` > environment > `loom.config.json` > defaults. */
export interface ConfigSources {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly overrides?: Partial<LoomConfig>;
}

/**
 * Resolves the configuration. The workspace defaults to `./.loom` (or `LOOM_HOME`), and every backend defaults to
 * its embedded form inside it: `sqlite://<home>/loom.db`, `file://<home>/artifacts`, `sqlite://<home>/events.db`,
 * `sqlite://<home>/kv.db`.
 *
 * @throws LOOM_ERR_CONFIG_INVALID naming the offending key (and its source).
 */
export function resolveConfig(sources: ConfigSources = {}): LoomConfig {
  const cwd = sources.cwd ?? process.cwd();
  const env = sources.env ?? process.env;
  const fromFile = readConfigFile(cwd);
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of CONFIG_ENV) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    fromEnv[key] = key === 'seed' ? Number(raw) : raw;
  }
  const merged = { ...fromFile, ...fromEnv, ...sources.overrides };
  const home = resolve(cwd, (merged.home as string | undefined) ?? '.loom');
  const candidate = {
    seed: 42,
    metadataUri: `sqlite://${join(home, 'loom.db')}`,
    artifactsUri: `file://${join(home, 'artifacts')}`,
    eventsUri: `sqlite://${join(home, 'events.db')}`,
    kvUri: `sqlite://${join(home, 'kv.db')}`,
    ...merged,
    home,
  };
  const parsed = configSchema.safeParse(candidate);
  if (!parsed.success) throw invalid(parsed.error, 'config');
  const config = parsed.data;
  return {
    ...config,
    metadataUri: absolutize(config.metadataUri, cwd),
    artifactsUri: absolutize(config.artifactsUri, cwd),
    eventsUri: absolutize(config.eventsUri, cwd),
    kvUri: absolutize(config.kvUri, cwd),
  };
}

function readConfigFile(cwd: string): Partial<LoomConfig> {
  const path = join(cwd, CONFIG_FILE);
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new LoomError('CONFIG_INVALID', { field: CONFIG_FILE, problem: (err as Error).message }, { cause: err, details: { field: CONFIG_FILE } });
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error, CONFIG_FILE);
  return parsed.data;
}

function invalid(error: z.ZodError, source: string): LoomError {
  const issue = error.issues[0];
  const key = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
  const field = key === '' ? source : key;
  return new LoomError('CONFIG_INVALID', { field, problem: issue.message }, { details: { field, source } });
}

/** Makes the path of a `sqlite://` or `file://` URI absolute against `cwd`; other URIs pass through. */
function absolutize(uri: string, cwd: string): string {
  const match = /^(sqlite|file):\/\/(.*)$/.exec(uri);
  if (!match) return uri;
  const [, scheme, path] = match;
  if (path === ':memory:' || isAbsolute(path)) return uri;
  return `${scheme}://${resolve(cwd, path)}`;
}
