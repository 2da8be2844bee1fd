import type { Kysely } from 'kysely';
import { LoomError } from '../core/errors/index.js';
import { suggestName } from '../models/gbdt/params/suggest-name.js';
import type { LoomDatabase } from '../storage/metadata/database.js';
import type { Workspace } from '../storage/workspace.js';
import { loadRuns } from './load-runs.js';
import { reapStaleRuns } from './reap-stale-runs.js';
import type { RunRecord } from './run-record.js';

/** Shortest id prefix accepted as a run reference. */
const MIN_PREFIX = 4;

/**
 * Finds one run by full id, unique id prefix (4+ hex characters) or unique run name, and returns its full record
 * (stale runs are reaped first, so a killed run shows as failed).
 *
 * @throws LOOM_ERR_TRACKING_RUN_NOT_FOUND (suggesting a close run name), LOOM_ERR_TRACKING_RUN_AMBIGUOUS
 * @example
 * const run = await getRun(ws, '0193a1f2');
 * console.log(run.status, run.metrics.auc?.value);
 */
export async function getRun(ws: Workspace, ref: string): Promise<RunRecord> {
  const { db } = await ws.metadata();
  await reapStaleRuns(db);
  const id = await resolveRunId(db, ref);
  return (await loadRuns(db, [id]))[0];
}

/** Resolves a run reference (id, id prefix, name) to its id. @internal */
export async function resolveRunId(db: Kysely<LoomDatabase>, ref: string): Promise<string> {
  const text = String(ref ?? '').trim();
  const exact = await db.selectFrom('runs').select('id').where('id', '=', text.toLowerCase()).executeTakeFirst();
  if (exact) return exact.id;
  const candidates = new Map<string, string>();
  if (/^[0-9a-f]+$/i.test(text) && text.length >= MIN_PREFIX) {
    const lower = text.toLowerCase();
    // A range on the primary key, so the prefix lookup uses the index on both backends.
    const byPrefix = await db.selectFrom('runs').select(['id', 'name']).where('id', '>=', lower).where('id', '<', `${lower}g`).limit(6).execute();
    for (const r of byPrefix) candidates.set(r.id, r.name);
  }
  const byName = await db.selectFrom('runs').select(['id', 'name']).where('name', '=', text).limit(6).execute();
  for (const r of byName) candidates.set(r.id, r.name);
  if (candidates.size === 1) return [...candidates.keys()][0];
  if (candidates.size > 1) {
    const examples = [...candidates.entries()].slice(0, 5).map(([id, name]) => `${id.slice(0, 12)} ${name}`).join(', ');
    throw new LoomError('TRACKING_RUN_AMBIGUOUS', { ref: text, count: candidates.size > 5 ? 'more than 5' : candidates.size, examples }, { details: { field: 'run' } });
  }
  const recent = await db.selectFrom('runs').select('name').orderBy('start_time', 'desc').limit(5000).execute();
  const close = suggestName(text, [...new Set(recent.map((r) => r.name))]);
  throw new LoomError('TRACKING_RUN_NOT_FOUND', { ref: text, suggestion: close === null ? '' : ` Did you mean "${close}"?` }, { details: { field: 'run', ...(close === null ? {} : { suggestion: close }) } });
}
