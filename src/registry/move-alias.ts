import { LoomError } from '../core/errors/index.js';
import { checkAliasName } from './model-ref.js';
import { aliasFromRow, type ModelAlias } from './registered-model.js';
import { recordEvent, requireAlias, requireModel, requireVersion, type Db, type RegistryContext } from './registry-context.js';
import { authorize, PROTECTED_ALIASES } from './registry-principal.js';

/** What a compare-and-set expects the alias to be: absent, or at a revision (and so at a known version). */
export type AliasExpectation = { readonly kind: 'absent' } | { readonly kind: 'at'; readonly revision: number; readonly version: number };

/** The outcome of a move. `fromVersion` is null when the alias was new. */
export interface AliasMove {
  readonly name: string;
  readonly alias: string;
  readonly fromVersion: number | null;
  readonly toVersion: number;
  readonly revision: number;
  readonly changed: boolean;
}

/**
 * Points `alias` at `version` if and only if the alias is still as `expected`: an insert that does nothing on
 * conflict, or an update guarded by the revision. Run inside a transaction; zero affected rows means another writer
 * moved the alias first, and the whole transaction is refused. This is what keeps two concurrent promotions from
 * both winning, on SQLite (one writer at a time) and on PostgreSQL (the guarded update waits for the other
 * transaction, then re-checks the revision and matches nothing).
 *
 * @throws LOOM_ERR_REGISTRY_ALIAS_CONFLICT
 * @internal
 */
export async function compareAndSetAlias(trx: Db, ctx: RegistryContext, name: string, alias: string, version: number, expected: AliasExpectation, action: string): Promise<number> {
  const now = ctx.now();
  if (expected.kind === 'absent') {
    const result = await trx
      .insertInto('model_aliases')
      .values({ model: name, alias, version, revision: 1, updated_at: now, updated_by: ctx.principal.name })
      .onConflict((oc) => oc.columns(['model', 'alias']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 1) return 1;
  } else {
    const result = await trx
      .updateTable('model_aliases')
      .set({ version, revision: expected.revision + 1, updated_at: now, updated_by: ctx.principal.name })
      .where('model', '=', name)
      .where('alias', '=', alias)
      .where('revision', '=', expected.revision)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return expected.revision + 1;
  }
  const found = await trx.selectFrom('model_aliases').select(['version', 'revision']).where('model', '=', name).where('alias', '=', alias).executeTakeFirst();
  throw new LoomError(
    'REGISTRY_ALIAS_CONFLICT',
    {
      name,
      alias,
      action,
      expected: expected.kind === 'absent' ? 'no holder' : `version ${expected.version} (revision ${expected.revision})`,
      found: found === undefined ? 'no holder' : `version ${found.version} (revision ${found.revision})`,
    },
    { details: { field: 'alias', expected, found: found === undefined ? null : { version: Number(found.version), revision: Number(found.revision) } } },
  );
}

/** Options of setAlias. */
export interface SetAliasOptions {
  /** Move only if the alias currently points at this version (null: only if it is unset). */
  readonly expectVersion?: number | null;
  readonly reason?: string;
}

/** Retries of an unconditional alias move that lost a race (it then moves from the new holder). */
const ATTEMPTS = 3;

/**
 * Points an alias at a version (creating the alias if needed), atomically, and records who moved it from where.
 * With `expectVersion` the move is conditional (a compare-and-set on what the caller saw); without it, a move that
 * races another is retried from the new holder, so the history stays exact.
 *
 * @throws LOOM_ERR_REGISTRY_NAME_INVALID, LOOM_ERR_REGISTRY_MODEL_NOT_FOUND, LOOM_ERR_REGISTRY_VERSION_NOT_FOUND,
 *   LOOM_ERR_REGISTRY_ALIAS_CONFLICT, LOOM_ERR_REGISTRY_FORBIDDEN
 * @internal Use ModelRegistry.setAlias.
 */
export async function setAlias(ctx: RegistryContext, name: string, alias: string, version: number, options: SetAliasOptions = {}): Promise<AliasMove> {
  checkAliasName(alias);
  authorize(ctx.principal, PROTECTED_ALIASES.includes(alias) ? 'alias-protected' : 'alias', name);
  await requireVersion(ctx.db, name, version);
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        const current = await trx.selectFrom('model_aliases').selectAll().where('model', '=', name).where('alias', '=', alias).executeTakeFirst();
        const fromVersion = current === undefined ? null : Number(current.version);
        if (options.expectVersion !== undefined && options.expectVersion !== fromVersion) {
          throw new LoomError(
            'REGISTRY_ALIAS_CONFLICT',
            { name, alias, action: 'alias move', expected: options.expectVersion === null ? 'no holder' : `version ${options.expectVersion}`, found: fromVersion === null ? 'no holder' : `version ${fromVersion}` },
            { details: { field: 'expect', expected: options.expectVersion, found: fromVersion } },
          );
        }
        if (current !== undefined && fromVersion === version) return { name, alias, fromVersion, toVersion: version, revision: Number(current.revision), changed: false };
        const expected: AliasExpectation = current === undefined ? { kind: 'absent' } : { kind: 'at', revision: Number(current.revision), version: Number(current.version) };
        const revision = await compareAndSetAlias(trx, ctx, name, alias, version, expected, 'alias move');
        await recordEvent(trx, ctx, { model: name, version, action: 'alias_set', alias, fromVersion, toVersion: version, reason: options.reason ?? null });
        return { name, alias, fromVersion, toVersion: version, revision, changed: true };
      });
    } catch (err) {
      const raced = err instanceof LoomError && err.code === 'LOOM_ERR_REGISTRY_ALIAS_CONFLICT' && options.expectVersion === undefined;
      if (raced && attempt < ATTEMPTS) continue;
      throw err;
    }
  }
}

/**
 * Removes an alias (recorded in the history; a later rollback cannot reach past a deletion).
 * @throws LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND, LOOM_ERR_REGISTRY_FORBIDDEN
 * @internal Use ModelRegistry.deleteAlias.
 */
export async function deleteAlias(ctx: RegistryContext, name: string, alias: string, reason?: string): Promise<ModelAlias> {
  authorize(ctx.principal, PROTECTED_ALIASES.includes(alias) ? 'alias-protected' : 'alias', name);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await requireAlias(trx, name, alias);
    const result = await trx.deleteFrom('model_aliases').where('model', '=', name).where('alias', '=', alias).where('revision', '=', current.revision).executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) {
      throw new LoomError('REGISTRY_ALIAS_CONFLICT', { name, alias, action: 'alias deletion', expected: `revision ${current.revision}`, found: 'another revision' }, { details: { field: 'alias' } });
    }
    await recordEvent(trx, ctx, { model: name, version: Number(current.version), action: 'alias_delete', alias, fromVersion: Number(current.version), toVersion: null, reason: reason ?? null });
    return aliasFromRow(current);
  });
}

/**
 * The holders an alias has had that a rollback can return to, oldest first, ending with the current holder: every
 * move pushes, every rollback pops, a deletion clears. Read from the history. @internal
 */
export async function aliasHolderStack(db: Db, name: string, alias: string): Promise<number[]> {
  const events = await db
    .selectFrom('registry_events')
    .select(['action', 'to_version'])
    .where('model', '=', name)
    .where('alias', '=', alias)
    .where('action', 'in', ['alias_set', 'promote', 'rollback', 'alias_delete'])
    .orderBy('id')
    .execute();
  const stack: number[] = [];
  for (const e of events) {
    if (e.action === 'alias_delete') stack.length = 0;
    else if (e.action === 'rollback') stack.pop();
    else if (e.to_version !== null) stack.push(Number(e.to_version));
  }
  return stack;
}

/**
 * Moves an alias back to its previous holder in one step (again and again, down the alias's history), with the
 * same compare-and-set as any move.
 *
 * @throws LOOM_ERR_REGISTRY_ALIAS_NOT_FOUND, LOOM_ERR_REGISTRY_ROLLBACK_UNAVAILABLE, LOOM_ERR_REGISTRY_ALIAS_CONFLICT,
 *   LOOM_ERR_REGISTRY_FORBIDDEN
 * @internal Use ModelRegistry.rollback.
 */
export async function rollbackAlias(ctx: RegistryContext, name: string, alias: string, reason?: string): Promise<AliasMove> {
  checkAliasName(alias);
  authorize(ctx.principal, 'rollback', name);
  await requireModel(ctx.db, name);
  return ctx.db.transaction().execute(async (trx) => {
    const current = await requireAlias(trx, name, alias);
    const stack = await aliasHolderStack(trx, name, alias);
    const holder = Number(current.version);
    if (stack.at(-1) !== holder) {
      throw new LoomError('REGISTRY_ROLLBACK_UNAVAILABLE', { name, alias, problem: `its history does not end at the current holder, version ${holder}` }, { details: { field: 'alias' } });
    }
    const target = stack.at(-2);
    if (target === undefined) {
      throw new LoomError('REGISTRY_ROLLBACK_UNAVAILABLE', { name, alias, problem: `version ${holder} is the first holder it has (since it was last set or deleted)` }, { details: { field: 'alias' } });
    }
    const revision = await compareAndSetAlias(trx, ctx, name, alias, target, { kind: 'at', revision: Number(current.revision), version: holder }, 'rollback');
    await recordEvent(trx, ctx, { model: name, version: target, action: 'rollback', alias, fromVersion: holder, toVersion: target, reason: reason ?? null });
    return { name, alias, fromVersion: holder, toVersion: target, revision, changed: true };
  });
}
