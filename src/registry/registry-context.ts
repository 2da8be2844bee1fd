import type { Kysely, Transaction } from 'kysely';
import { LoomError } from '../core/errors/index.js';
import { suggestName } from '../models/gbdt/params/suggest-name.js';
import type { ArtifactStore } from '../storage/artifacts/index.js';
import type { LoomDatabase } from '../storage/metadata/database.js';
import type { Principal } from './registry-principal.js';

/** What every registry operation works with. @internal */
export interface RegistryContext {
  readonly db: Kysely<LoomDatabase>;
  readonly artifacts: ArtifactStore;
  readonly principal: Principal;
  /** Where resolved versions are materialized as model directories. */
  readonly cacheDir: string;
  /** Epoch milliseconds (UTC). */
  readonly now: () => number;
}

export type Db = Kysely<LoomDatabase> | Transaction<LoomDatabase>;

/** One history entry to append. @internal */
export interface RegistryEventInput {
  readonly model: string;
  readonly version?: number | null;
  readonly action: string;
  readonly alias?: string | null;
  readonly fromVersion?: number | null;
  readonly toVersion?: number | null;
  readonly reason?: string | null;
  readonly details?: Record<string, unknown>;
}

/** Appends to the registry history, inside the caller's transaction. @internal */
export async function recordEvent(db: Db, ctx: RegistryContext, event: RegistryEventInput): Promise<void> {
  await db
    .insertInto('registry_events')
    .values({
      model: event.model,
      version: event.version ?? null,
      action: event.action,
      alias: event.alias ?? null,
      from_version: event.fromVersion ?? null,
      to_version: event.toVersion ?? null,
      actor: ctx.principal.name,
      reason: event.reason ?? null,
      details_json: JSON.stringify({ role: ctx.principal.role, ...event.details }),
      created_at: ctx.now(),
    })
    .execute();
}

/** The model row, or LOOM_ERR_REGISTRY_MODEL_NOT_FOUND suggesting a close name. @internal */
export async function requireModel(db: Db, name: string) {
  const row = await db.selectFrom('registered_models').selectAll().where('name', '=', name).executeTakeFirst();
  if (row !== undefined) return row;
  const names = (await db.selectFrom('registered_models').select('name').orderBy('name').limit(10_000).execute()).map((r) => r.name);
  const near = suggestName(name, names);
  throw new LoomError('REGISTRY_MODEL_NOT_FOUND', { name, suggestion: near === null ? '' : ` Did you mean "${near}"?` }, { details: { field: 'name', ...(near === null ? {} : { suggestion: near }) } });
}

/** The version row, or LOOM_ERR_REGISTRY_VERSION_NOT_FOUND listing the versions there are. @internal */
export async function requireVersion(db: Db, name: string, version: number) {
  const row = await db.selectFrom('model_versions').selectAll().where('model', '=', name).where('version', '=', version).executeTakeFirst();
  if (row !== undefined) return row;
  const model = await requireModel(db, name);
  const suggestion = model.latest_version === 0 ? ' It has no versions yet.' : ` Its versions are 1 to ${model.latest_version}.`;
  throw new LoomError('REGISTRY_VERSION_NOT_FOUND', { name, version, suggestion }, { details: { field: 'version', latest: model.latest_version } });
}

/** The alias row, or LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND suggesting a close alias. @internal */
export async function requireAlias(db: Db, name: string, alias: string) {
  const row = await db.selectFrom('model_aliases').selectAll().where('model', '=', name).where('alias', '=', alias).executeTakeFirst();
  if (row !== undefined) return row;
  await requireModel(db, name);
  const known = (await db.selectFrom('model_aliases').select('alias').where('model', '=', name).orderBy('alias').execute()).map((r) => r.alias);
  const near = suggestName(alias, known);
  throw new LoomError(
    'REGISTRY_ALIAS_NOT_FOUND',
    { name, alias, suggestion: near === null ? '' : ` Did you mean "${near}"?`, known: known.length === 0 ? '(none)' : known.join(', ') },
    { details: { field: 'alias', known, ...(near === null ? {} : { suggestion: near }) } },
  );
}

/** True for a unique or primary-key violation, on SQLite and on PostgreSQL. @internal */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (code === '23505' || (typeof code === 'string' && (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'))) return true;
  }
  return false;
}
