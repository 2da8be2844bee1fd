import { LoomError } from '../../core/errors/index.js';
import { canonicalJson, sha256Hex } from '../../core/hashing.js';
import type { Workspace } from '../../storage/workspace.js';
import { startRun, type ActiveRun, type RunDataset } from '../../tracking/index.js';
import { AshaPruner } from './asha-pruner.js';
import { GridSampler } from './grid-sampler.js';
import { MedianPruner } from './median-pruner.js';
import { NO_PRUNER, type Pruner } from './pruner.js';
import { RandomSampler, type Sampler } from './sampler.js';
import { SearchSpace, type TrialParams } from './search-space.js';
import { StudyStore } from './study-store.js';
import { TpeSampler } from './tpe-sampler.js';
import type { TrialExecutor } from './trial-executor.js';
import { isBetter, type Direction, type TrialRecord, type TrialState } from './trial-record.js';

/** A study to run or resume. */
export interface StudyRequest {
  /** Study name: the key it is stored and resumed under, and the tracking experiment of its runs. */
  readonly study: string;
  /** The search space as JSON (see SearchSpace.create). */
  readonly space: unknown;
  readonly direction: Direction;
  /** Finished (complete or pruned) and failed trials the study should hold in total; a resume runs only the rest. */
  readonly trials: number;
  /**
   * After this many seconds, start no more trials and stop the running ones: at their next reported step, or, for a
   * trial that reports nothing for a while, by the executor's `interrupt` (a worker is terminated). Such a trial is
   * recorded `interrupted` with the message `timeout: …` and its run as `killed`; a resume runs it again (same number
   * and params). The study's best so far is returned as usual.
   */
  readonly timeoutSeconds?: number;
  readonly sampler?: 'tpe' | 'random' | 'grid';
  readonly pruner?: 'median' | 'asha' | 'none';
  readonly seed?: number;
  /** Name of the intermediate and final score in tracking, e.g. `auc`. */
  readonly metric: string;
  /** Tracking experiment of the parent and trial runs (default: the study name). */
  readonly experiment?: string;
  /** Anything else that makes trials comparable (dataset, target, folds); part of the fingerprint checked on resume. */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly datasets?: readonly RunDataset[];
  /** Called after each finished trial. */
  readonly onTrial?: (done: number, total: number, best: number | null) => void;
}

/** One trial in a study summary. */
export interface TrialSummary {
  readonly number: number;
  readonly state: TrialState;
  readonly params: TrialParams;
  readonly value: number | null;
  readonly runId: string | null;
  /** Why a trial failed or was interrupted (`timeout: …` when the study's timeout stopped it), else null. */
  readonly message: string | null;
}

/** The study after this session. */
export interface StudyResult {
  readonly study: string;
  readonly direction: Direction;
  readonly bestParams: TrialParams | null;
  readonly bestValue: number | null;
  readonly bestTrial: number | null;
  /** This session's parent run; every trial run of the session has tag `loom.parent_run_id` set to it. */
  readonly parentRunId: string;
  /** The tracking experiment the runs are in. */
  readonly experiment: string;
  readonly resumed: boolean;
  /** True when the timeout passed: trials still running then were stopped and recorded `interrupted`. */
  readonly timedOut: boolean;
  /** Trials run in this session, and all trials of the study. */
  readonly ranThisSession: number;
  readonly trials: readonly TrialSummary[];
}

/** Resolves a sampler name. @throws LOOM_ERR_TUNING_INVALID_OPTION */
export function createSampler(name: string, seed: number, direction: Direction): Sampler {
  if (name === 'tpe') return new TpeSampler(seed, direction);
  if (name === 'random') return new RandomSampler(seed);
  if (name === 'grid') return new GridSampler(seed);
  throw new LoomError('TUNING_INVALID_OPTION', { field: 'sampler', problem: `"${name}" is not one of tpe, random, grid` }, { details: { field: 'sampler' } });
}

/** Resolves a pruner name. @throws LOOM_ERR_TUNING_INVALID_OPTION */
export function createPruner(name: string): Pruner {
  if (name === 'median') return new MedianPruner();
  if (name === 'asha') return new AshaPruner();
  if (name === 'none') return NO_PRUNER;
  throw new LoomError('TUNING_INVALID_OPTION', { field: 'pruner', problem: `"${name}" is not one of median, asha, none` }, { details: { field: 'pruner' } });
}

/**
 * Runs (or resumes) a study: samples params, runs up to `executor.slots` trials at once, prunes on intermediate
 * scores, and persists every trial and score in the metadata store as it happens, so a killed study resumes without
 * repeating a finished trial. A resume first runs again, under their own numbers and params, the trials that were
 * interrupted (killed process or timeout). Each trial is a tracked run under this session's parent run.
 *
 * @throws LOOM_ERR_TUNING_INVALID_SPACE, LOOM_ERR_TUNING_EMPTY_RANGE, LOOM_ERR_TUNING_INVALID_OPTION,
 *   LOOM_ERR_TUNING_SPACE_MISMATCH, LOOM_ERR_TUNING_TRIAL_FAILED (no trial finished)
 */
export async function runStudy(ws: Workspace, request: StudyRequest, executor: TrialExecutor): Promise<StudyResult> {
  const space = SearchSpace.create(request.space);
  if (!Number.isInteger(request.trials) || request.trials < 1) invalid('trials', `${request.trials} is not a whole number ≥ 1`);
  if (request.timeoutSeconds !== undefined && !(request.timeoutSeconds > 0)) invalid('timeout', `${request.timeoutSeconds} is not a positive number of seconds`);
  const seed = request.seed ?? 42;
  const samplerName = request.sampler ?? 'tpe';
  const sampler = createSampler(samplerName, seed, request.direction);
  const pruner = createPruner(request.pruner ?? 'median');
  const { db } = await ws.metadata();
  const store = new StudyStore(db, request.study);
  const spaceJson = canonicalJson(request.space);
  const settings = { ...(request.settings ?? {}), sampler: samplerName, pruner: pruner.name, seed, direction: request.direction, metric: request.metric };
  const settingsJson = canonicalJson(settings);
  const { resumed } = await store.open(spaceJson, settingsJson, sha256Hex(`${spaceJson}\n${settingsJson}`), request.direction, Date.now());
  const history = new Map<number, StoredTrial>((await store.trials()).map((t) => [t.number, t]));
  // Interrupted trials (a killed process, a timeout) run again first, with the params they were drawn with.
  const retries = [...history.values()].filter((t) => t.state === 'interrupted').sort((a, b) => a.number - b.number);
  const experiment = request.experiment ?? request.study;
  const parent = await startRun(ws, { experiment, name: `${request.study}-study-${Date.now()}`, params: { sampler: samplerName, pruner: pruner.name, trials: request.trials, seed }, tags: { 'loom.study': request.study, 'loom.study_role': 'parent' }, datasets: request.datasets, seed });
  await store.setParentRun(parent.id, Date.now());
  const timeoutMs = request.timeoutSeconds === undefined ? Infinity : request.timeoutSeconds * 1000;
  const deadline = Date.now() + timeoutMs;
  let timedOut = false;
  const pastDeadline = (): boolean => (timedOut ||= Date.now() >= deadline);
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => {
        timedOut = true;
        executor.interrupt?.();
      }, timeoutMs)
    : null;
  const counted = (): number => [...history.values()].filter((t) => t.state !== 'running' && t.state !== 'interrupted').length;
  let next = Math.max(-1, ...history.keys()) + 1;
  let ran = 0;
  let exhausted = false;
  const running = new Set<Promise<void>>();
  const best = (): TrialRecord | null => bestOf([...history.values()], request.direction);
  let firstError: string | null = null;

  const launch = async (): Promise<void> => {
    const retry = retries.shift();
    const number = retry?.number ?? next++;
    const params = retry?.params ?? sampler.sample(space, number, [...history.values()]);
    if (params === null) {
      exhausted = true;
      return;
    }
    const full = { ...space.fixed, ...params };
    const intermediate = new Map<number, number>();
    // Claimed before the first await, so a trial launched next (in parallel) already sees this one's params.
    history.set(number, { number, state: 'running', params, value: null, intermediate, runId: null, message: null });
    const tags = { 'loom.parent_run_id': parent.id, 'loom.study': request.study, 'loom.trial': number, ...(retry === undefined ? {} : { 'loom.retry_of_run_id': retry.runId ?? '' }) };
    const run = await startRun(ws, { experiment, name: `${request.study}-trial-${number}`, params: full, tags, datasets: request.datasets, seed });
    if (retry === undefined) await store.startTrial(number, params, run.id, Date.now());
    else await store.restartTrial(number, run.id, Date.now());
    history.set(number, { number, state: 'running', params, value: null, intermediate, runId: run.id, message: null });
    ran++;
    let stoppedAt: number | null = null;
    const report = (step: number, value: number): boolean => {
      intermediate.set(step, value);
      run.logMetric(`valid_${request.metric}`, value, step);
      if (pastDeadline()) {
        stoppedAt = step;
        return true;
      }
      const others = [...history.values()].filter((t) => t.number !== number);
      return pruner.shouldPrune(history.get(number)!, step, others, request.direction);
    };
    let state: TrialState;
    let value: number | null = null;
    let message: string | null = null;
    try {
      const outcome = await executor.run(number, full, report);
      state = outcome.pruned ? 'pruned' : 'complete';
      value = outcome.value;
    } catch (err) {
      state = 'failed';
      message = err instanceof Error ? err.message : String(err);
    }
    if (stoppedAt !== null || (state === 'failed' && timedOut)) {
      state = 'interrupted';
      value = null;
      message = `timeout: the study's ${request.timeoutSeconds} s ran out ${stoppedAt === null ? 'before the trial reported again, so its worker was stopped' : `at step ${stoppedAt}`}; resume the study to run it again`;
    } else if (state === 'failed') firstError ??= message;
    await store.addIntermediate(number, [...intermediate]);
    await store.finishTrial(number, state, value, message, Date.now());
    history.set(number, { number, state, params, value, intermediate, runId: run.id, message });
    await finishRun(run, state, value, request.metric, message);
    const b = best();
    request.onTrial?.(counted(), request.trials, b?.value ?? null);
  };

  try {
    while (!exhausted) {
      while (!exhausted && running.size < executor.slots && counted() + running.size < request.trials && !pastDeadline()) {
        const p: Promise<void> = launch().finally(() => running.delete(p));
        running.add(p);
        await Promise.resolve();
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
  } finally {
    if (timer !== null) clearTimeout(timer);
    await Promise.allSettled(running);
  }
  const b = best();
  if (b !== null) {
    parent.logMetric(`best_${request.metric}`, b.value!);
    await parent.setTags({ 'loom.best_trial': b.number, 'loom.best_run_id': history.get(b.number)!.runId ?? '' });
  }
  if (timedOut) await parent.setTags({ 'loom.stop_reason': 'timeout' });
  await parent.end('finished');
  const trials = [...history.values()].sort((x, y) => x.number - y.number).map((t) => ({ number: t.number, state: t.state, params: t.params, value: t.value, runId: t.runId, message: t.message }));
  if (b === null && trials.some((t) => t.state === 'failed')) {
    throw new LoomError('TUNING_TRIAL_FAILED', { study: request.study, problem: firstError ?? `see the failed trials' runs in experiment ${experiment}` });
  }
  return { study: request.study, direction: request.direction, bestParams: b === null ? null : { ...space.fixed, ...b.params }, bestValue: b?.value ?? null, bestTrial: b?.number ?? null, parentRunId: parent.id, experiment, resumed, timedOut, ranThisSession: ran, trials };
}

type StoredTrial = TrialRecord & { runId: string | null; message: string | null };

/** The best complete trial (ties: the earlier one). */
export function bestOf(trials: readonly TrialRecord[], direction: Direction): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const t of trials) {
    if (t.state !== 'complete' || t.value === null || Number.isNaN(t.value)) continue;
    if (best === null || isBetter(t.value, best.value!, direction) || (t.value === best.value && t.number < best.number)) best = t;
  }
  return best;
}

async function finishRun(run: ActiveRun, state: TrialState, value: number | null, metric: string, message: string | null): Promise<void> {
  await run.setTags({ 'loom.trial_state': state, ...(state === 'interrupted' ? { 'loom.stop_reason': 'timeout' } : {}) });
  if (value !== null && Number.isFinite(value)) run.logMetric(metric, value);
  await run.end(state === 'failed' ? 'failed' : state === 'interrupted' ? 'killed' : 'finished', message ?? undefined);
}

function invalid(field: string, problem: string): never {
  throw new LoomError('TUNING_INVALID_OPTION', { field, problem }, { details: { field } });
}
