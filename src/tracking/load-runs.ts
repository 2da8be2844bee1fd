import type { Kysely } from 'kysely';
import type { LoomDatabase } from '../storage/metadata/database.js';
import type { LatestMetric, RunDataset, RunRecord, RunStatus, SystemInfo } from './run-record.js';

/** Ids per `in (…)` list. */
const CHUNK = 500;

/** Loads full records for run ids, in the order given (unknown ids are skipped). @internal */
export async function loadRuns(db: Kysely<LoomDatabase>, ids: readonly string[]): Promise<RunRecord[]> {
  const out = new Map<string, RunRecord>();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    const [runs, params, tags, metrics, datasets] = await Promise.all([
      db
        .selectFrom('runs as r')
        .innerJoin('experiments as e', 'e.id', 'r.experiment_id')
        .selectAll('r')
        .select('e.name as experiment')
        .where('r.id', 'in', chunk)
        .execute(),
      // Ordered by the primary key, so the lookup uses it (ordering by key alone tempts SQLite into scanning the value index).
      db.selectFrom('run_params').select(['run_id', 'key', 'value']).where('run_id', 'in', chunk).orderBy('run_id').orderBy('key').execute(),
      db.selectFrom('run_tags').select(['run_id', 'key', 'value']).where('run_id', 'in', chunk).orderBy('run_id').orderBy('key').execute(),
      db.selectFrom('run_latest_metrics').selectAll().where('run_id', 'in', chunk).orderBy('run_id').orderBy('key').execute(),
      db.selectFrom('run_datasets').selectAll().where('run_id', 'in', chunk).orderBy('run_id').orderBy('role').orderBy('dataset').execute(),
    ]);
    const paramsBy = group(params, (r) => [r.key, r.value] as const);
    const tagsBy = group(tags, (r) => [r.key, r.value] as const);
    const metricsBy = group(metrics, (r): readonly [string, LatestMetric] => [
      r.key,
      { value: num(r.value), step: Number(r.step), timestamp: Number(r.timestamp), min: num(r.min_value), max: num(r.max_value), count: Number(r.count) },
    ]);
    const datasetsBy = new Map<string, RunDataset[]>();
    for (const d of datasets) {
      let list = datasetsBy.get(d.run_id);
      if (!list) datasetsBy.set(d.run_id, (list = []));
      list.push({ role: d.role, dataset: d.dataset, version: d.version });
    }
    for (const r of runs) {
      out.set(r.id, {
        id: r.id,
        name: r.name,
        experiment: r.experiment,
        experimentId: r.experiment_id,
        status: r.status as RunStatus,
        statusMessage: r.status_message,
        startTime: Number(r.start_time),
        endTime: r.end_time === null ? null : Number(r.end_time),
        heartbeatAt: Number(r.heartbeat_at),
        params: paramsBy.get(r.id) ?? {},
        tags: tagsBy.get(r.id) ?? {},
        metrics: metricsBy.get(r.id) ?? {},
        datasets: datasetsBy.get(r.id) ?? [],
        git: { sha: r.git_sha, dirty: r.git_dirty === null ? null : Number(r.git_dirty) === 1 },
        seed: r.seed === null ? null : Number(r.seed),
        system: JSON.parse(r.system_json) as SystemInfo,
      });
    }
  }
  return ids.map((id) => out.get(id)).filter((r): r is RunRecord => r !== undefined);
}

/** A stored double back to a JS number: NULL stands for NaN. */
export function num(value: number | null): number {
  return value === null ? NaN : Number(value);
}

function group<R extends { run_id: string }, V>(rows: readonly R[], entry: (row: R) => readonly [string, V]): Map<string, Record<string, V>> {
  const by = new Map<string, Record<string, V>>();
  for (const row of rows) {
    let record = by.get(row.run_id);
    if (!record) by.set(row.run_id, (record = {}));
    const [key, value] = entry(row);
    record[key] = value;
  }
  return by;
}
