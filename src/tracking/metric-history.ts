import { LoomError } from '../core/errors/index.js';
import type { Workspace } from '../storage/workspace.js';
import { resolveRunId } from './get-run.js';
import { num } from './load-runs.js';
import type { MetricPoint } from './run-record.js';

/**
 * Every point of one metric of a run, by step then timestamp. A run reference is an id, id prefix or run name.
 *
 * @throws LOOM_ERR_TRACKING_RUN_NOT_FOUND; LOOM_ERR_TRACKING_METRIC_NOT_FOUND when the run never logged `key` (naming the keys it has)
 * @example
 * const points = await getMetricHistory(ws, run.id, 'valid_auc');
 * console.log(points.length, points.at(-1)?.value);
 */
export async function getMetricHistory(ws: Workspace, ref: string, key: string): Promise<MetricPoint[]> {
  const { db } = await ws.metadata();
  const id = await resolveRunId(db, ref);
  const rows = await db.selectFrom('run_metrics').select(['step', 'timestamp', 'value']).where('run_id', '=', id).where('key', '=', key).orderBy('step').orderBy('timestamp').execute();
  if (rows.length === 0) {
    const keys = (await db.selectFrom('run_latest_metrics').select('key').where('run_id', '=', id).orderBy('key').execute()).map((r) => r.key);
    throw new LoomError('TRACKING_METRIC_NOT_FOUND', { run: id.slice(0, 12), key, known: keys.join(', ') || '(none)' }, { details: { field: 'metric' } });
  }
  return rows.map((r) => ({ step: Number(r.step), timestamp: Number(r.timestamp), value: num(r.value) }));
}
