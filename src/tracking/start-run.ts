import { LoomError } from '../core/errors/index.js';
import type { Workspace } from '../storage/workspace.js';
import { ActiveRun, type RunBufferOptions } from './active-run.js';
import { ensureExperiment } from './experiments.js';
import { gitState } from './git-state.js';
import type { ParamValue } from './param-value.js';
import { reapStaleRuns } from './reap-stale-runs.js';
import { newRunId } from './run-id.js';
import type { GitState, RunDataset } from './run-record.js';
import { systemInfo } from './system-info.js';
import { checkRunName } from './tracking-names.js';

/** What startRun records up front. */
export interface StartRunOptions extends RunBufferOptions {
  /** Experiment name; created when missing. */
  readonly experiment: string;
  /** Run name (default `<experiment>-<n>`, n counting the experiment's runs from 1). */
  readonly name?: string;
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly tags?: Readonly<Record<string, ParamValue>>;
  /** Dataset versions the run reads (lineage). */
  readonly datasets?: readonly RunDataset[];
  readonly seed?: number;
  /** Code version; default: the git state of the working directory. */
  readonly git?: GitState;
}

/**
 * Starts a tracked run in an experiment (created on first use) and records its system info (Node, OS, CPUs, memory),
 * git commit and dirty flag, seed, dataset lineage, params and tags. Returns the live run: log metrics on it and
 * `await run.end()`.
 *
 * @throws LOOM_ERR_TRACKING_INVALID_NAME, LOOM_ERR_TRACKING_INVALID_VALUE
 * @example
 * const run = await startRun(ws, { experiment: 'churn', params: { num_leaves: 31 }, tags: { team: 'growth' } });
 * for (let i = 0; i < 100; i++) run.logMetric('valid_auc', 0.8 + i / 1000, i);
 * await run.end();
 */
export async function startRun(ws: Workspace, options: StartRunOptions): Promise<ActiveRun> {
  const { db } = await ws.metadata();
  const now = Date.now();
  if (options.name !== undefined) checkRunName(options.name);
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw new LoomError('TRACKING_INVALID_VALUE', { field: 'seed', problem: `${options.seed} is not an integer` }, { details: { field: 'seed' } });
  }
  await reapStaleRuns(db, { now });
  const experimentId = await ensureExperiment(db, options.experiment, now);
  const git = options.git ?? gitState();
  const system = systemInfo();
  const id = newRunId(now);
  let name = options.name;
  if (name === undefined) {
    const { n } = await db.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).where('experiment_id', '=', experimentId).executeTakeFirstOrThrow();
    name = `${options.experiment}-${Number(n) + 1}`;
  }
  await db
    .insertInto('runs')
    .values({
      id,
      experiment_id: experimentId,
      name,
      status: 'running',
      status_message: null,
      start_time: now,
      end_time: null,
      heartbeat_at: now,
      host: system.hostname,
      pid: system.pid,
      git_sha: git.sha,
      git_dirty: git.dirty === null ? null : git.dirty ? 1 : 0,
      seed: options.seed ?? null,
      system_json: JSON.stringify(system),
    })
    .execute();
  const run = new ActiveRun(ws, db, { id, name, experiment: options.experiment, startTime: now }, options);
  try {
    if (options.params) await run.logParams(options.params);
    if (options.tags) await run.setTags(options.tags);
    if (options.datasets) await run.logDatasets(options.datasets);
  } catch (err) {
    await run.fail(err);
    throw err;
  }
  return run;
}
