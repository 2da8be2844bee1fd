import { LoomError } from '../core/errors/index.js';
import type { Workspace } from '../storage/workspace.js';
import { resolveRunId } from './get-run.js';
import { loadRuns } from './load-runs.js';
import { reapStaleRuns } from './reap-stale-runs.js';
import type { RunRecord } from './run-record.js';

/** The section of a comparison row. */
export type ComparisonSection = 'run' | 'lineage' | 'params' | 'metrics' | 'tags';

/** One line of a side-by-side diff: the value in each run (null where a run lacks it), and whether they differ. */
export interface ComparisonRow {
  readonly section: ComparisonSection;
  readonly key: string;
  readonly values: readonly (string | number | null)[];
  readonly differs: boolean;
}

/** Runs side by side: the runs in the order asked, and rows for attributes, lineage, params, metrics and tags. */
export interface RunComparison {
  readonly runs: readonly RunRecord[];
  readonly rows: readonly ComparisonRow[];
}

/**
 * Compares two or more runs side by side. Rows cover the run attributes (experiment, status, duration, seed, git),
 * lineage (one row per dataset role), every param, every metric's latest value and every tag any of the runs has;
 * `differs` marks rows whose values are not all equal (a missing value differs from any present one).
 *
 * @throws LOOM_ERR_TRACKING_COMPARE_TOO_FEW, LOOM_ERR_TRACKING_RUN_NOT_FOUND, LOOM_ERR_TRACKING_RUN_AMBIGUOUS
 * @example
 * const diff = await compareRuns(ws, [a.id, b.id]);
 * for (const row of diff.rows.filter((r) => r.differs)) console.log(row.section, row.key, row.values);
 */
export async function compareRuns(ws: Workspace, refs: readonly string[]): Promise<RunComparison> {
  if (refs.length < 2) throw new LoomError('TRACKING_COMPARE_TOO_FEW', { count: refs.length }, { details: { field: 'runs' } });
  const { db } = await ws.metadata();
  await reapStaleRuns(db);
  const ids: string[] = [];
  for (const ref of refs) ids.push(await resolveRunId(db, ref));
  const runs = await loadRuns(db, ids);
  const rows: ComparisonRow[] = [];
  const add = (section: ComparisonSection, key: string, values: (string | number | null)[]): void => {
    const first = JSON.stringify(values[0]);
    rows.push({ section, key, values, differs: values.some((v) => JSON.stringify(v) !== first) });
  };
  add('run', 'name', runs.map((r) => r.name));
  add('run', 'experiment', runs.map((r) => r.experiment));
  add('run', 'status', runs.map((r) => r.status));
  add('run', 'duration_s', runs.map((r) => (r.endTime === null ? null : (r.endTime - r.startTime) / 1000)));
  add('run', 'seed', runs.map((r) => r.seed));
  add('run', 'git_sha', runs.map((r) => r.git.sha));
  add('run', 'git_dirty', runs.map((r) => (r.git.dirty === null ? null : String(r.git.dirty))));
  for (const role of union(runs.map((r) => r.datasets.map((d) => d.role)))) {
    add('lineage', role, runs.map((r) => {
      const found = r.datasets.filter((d) => d.role === role).map((d) => `${d.dataset}@${d.version}`);
      return found.length === 0 ? null : found.join(', ');
    }));
  }
  for (const key of union(runs.map((r) => Object.keys(r.params)))) add('params', key, runs.map((r) => r.params[key] ?? null));
  for (const key of union(runs.map((r) => Object.keys(r.metrics)))) add('metrics', key, runs.map((r) => r.metrics[key]?.value ?? null));
  for (const key of union(runs.map((r) => Object.keys(r.tags)))) add('tags', key, runs.map((r) => r.tags[key] ?? null));
  return { runs, rows };
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}
