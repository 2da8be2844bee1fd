import type { Kysely } from 'kysely';
import { LoomError } from '../core/errors/index.js';
import { suggestName } from '../models/gbdt/params/suggest-name.js';
import type { LoomDatabase } from '../storage/metadata/database.js';
import type { Workspace } from '../storage/workspace.js';
import type { ExperimentRecord } from './run-record.js';
import { reapStaleRuns } from './reap-stale-runs.js';
import { newExperimentId } from './run-id.js';
import { checkExperimentName } from './tracking-names.js';

/** The id of experiment `name`, creating it when missing. Safe when several processes create it at once. @internal */
export async function ensureExperiment(db: Kysely<LoomDatabase>, name: string, now: number): Promise<string> {
  checkExperimentName(name);
  const found = await db.selectFrom('experiments').select('id').where('name', '=', name).executeTakeFirst();
  if (found) return found.id;
  await db
    .insertInto('experiments')
    .values({ id: newExperimentId(), name, description: '', created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await db.selectFrom('experiments').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

/** The ids of the named experiments, in order. @throws LOOM_ERR_TRACKING_EXPERIMENT_NOT_FOUND with a close name. @internal */
export async function experimentIds(db: Kysely<LoomDatabase>, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db.selectFrom('experiments').select(['id', 'name']).where('name', 'in', [...names]).execute();
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  const ids: string[] = [];
  for (const name of names) {
    const id = byName.get(name);
    if (id === undefined) throw await experimentNotFound(db, name);
    ids.push(id);
  }
  return ids;
}

async function experimentNotFound(db: Kysely<LoomDatabase>, name: string): Promise<LoomError> {
  const known = (await db.selectFrom('experiments').select('name').orderBy('name').limit(10_000).execute()).map((r) => r.name);
  const close = suggestName(name, known);
  return new LoomError('TRACKING_EXPERIMENT_NOT_FOUND', { name, suggestion: close === null ? '' : ` Did you mean "${close}"?` }, { details: { field: 'experiment', ...(close === null ? {} : { suggestion: close }) } });
}

/**
 * Lists experiments by name with run counts (total and running; stale runs are reaped first) and the start of the
 * newest run.
 *
 * @example
 * for (const e of await listExperiments(ws)) console.log(e.name, e.runs);
 */
export async function listExperiments(ws: Workspace): Promise<ExperimentRecord[]> {
  const { db } = await ws.metadata();
  await reapStaleRuns(db);
  const rows = await db
    .selectFrom('experiments as e')
    .leftJoin('runs as r', 'r.experiment_id', 'e.id')
    .select((eb) => [
      'e.id',
      'e.name',
      'e.description',
      'e.created_at',
      eb.fn.count<number>('r.id').as('runs'),
      eb.fn.sum<number>(eb.case().when('r.status', '=', 'running').then(1).else(0).end()).as('running'),
      eb.fn.max<number | null>('r.start_time').as('last_run_at'),
    ])
    .groupBy(['e.id', 'e.name', 'e.description', 'e.created_at'])
    .orderBy('e.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    createdAt: Number(r.created_at),
    runs: Number(r.runs),
    running: Number(r.running ?? 0),
    lastRunAt: r.last_run_at === null ? null : Number(r.last_run_at),
  }));
}
